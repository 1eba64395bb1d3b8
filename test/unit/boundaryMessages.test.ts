import { strict as assert } from 'node:assert';
import { classifyProblem } from '../../src/errors/classifyProblem';
import { errorFacts } from '../../src/errors/errorFacts';
import { withWireFacts } from '../../src/errors/wireFacts';
import { WireLog, type FailedAnswer } from '../../src/net/wireLog';
import { RequestTimeoutError } from '../../src/net/retryPolicy';
import { failureMessage } from '../../src/report/failureMessage';
import { renderProblems, serviceAt, type ReportContext } from '../../src/report/problemReport';
import { credentialSetupProblem } from '../../src/report/signInMessages';

const SECRET = 'Sup3r$ecret-value-0123456789';
const ctx: ReportContext = {
  vaultName: 'contoso-kv',
  vaultUrl: 'https://contoso-kv.vault.azure.net',
  identity: 'service principal *** (client secret)',
  clientId: '11111111-2222-3333-4444-555555555555',
  connectionId: 'conn-1',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  authKind: 'servicePrincipalSecret',
  authorityHost: 'https://login.microsoftonline.com',
};

/** core-client's deserialization error, as it quotes the body (deserializationPolicy.ts). */
function parseError(): Error {
  return Object.assign(
    new Error(
      `Error "SyntaxError: Unexpected end of JSON input" occurred while parsing the response body - {"value":"${SECRET}`,
    ),
    {
      name: 'RestError',
      code: 'PARSE_ERROR',
      statusCode: 200,
      response: {
        status: 200,
        bodyAsText: `{"value":"${SECRET}`,
        headers: { get: (n: string) => (n === 'x-ms-request-id' ? 'rid-7' : undefined) },
      },
    },
  );
}

describe('no library text in a message', () => {
  it('a parse error that quotes the body: status and request id, never the body', () => {
    const facts = errorFacts(parseError());
    assert.equal(facts.serviceMessage, undefined, 'a 200 body is never read as an error');
    const [message] = renderProblems([classifyProblem(facts, 'one-secret')], ctx);
    assert.equal(message?.includes(SECRET.slice(0, 6)), false);
    assert.match(
      message ?? '',
      /^Vault 'contoso-kv' answered the read of secret 'one-secret' with a body that is not valid JSON \(HTTP 200, request id rid-7\);/,
    );
  });

  it('an unexpected error names its class, code and status only', () => {
    const error = Object.assign(new TypeError(`Cannot read properties of undefined ${SECRET}`), {
      code: 'ERR_X',
    });
    const [message] = renderProblems([classifyProblem(errorFacts(error), 'a')], ctx);
    assert.equal(
      message,
      "Reading secret 'a' from vault 'contoso-kv' failed unexpectedly (TypeError, code ERR_X). Re-run the job; if it persists, report it with these details.",
    );
  });

  it('the failure funnel shows only the class and code of an error that is not ours', () => {
    const message = failureMessage(
      Object.assign(new Error(SECRET), { code: 'EPIPE' }),
      () => undefined,
    );
    assert.equal(
      message,
      'The task failed unexpectedly (Error, code EPIPE); no secret variables were set, or only some if it failed while setting them. Re-run the job; if it persists, report it with this message.',
    );
    assert.equal(
      failureMessage(new Error('x'), () => 'ours'),
      'ours',
    );
  });

  it('a credential that refuses its settings: the class, not its text', () => {
    assert.equal(
      credentialSetupProblem(new Error(`bad ${SECRET}`), ctx),
      "Service connection 'conn-1' cannot be used to sign in: the Azure identity library refused its settings (Error). Check the connection's tenant id, application (client) id and credential (Project settings > Service connections > Edit).",
    );
  });
});

describe('serviceAt', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, "vault 'contoso-kv'"],
    ['contoso-kv.vault.azure.net', "vault 'contoso-kv'"],
    ['login.microsoftonline.com', 'Microsoft Entra ID (login.microsoftonline.com)'],
    ['dev.azure.com', 'Azure DevOps (dev.azure.com)'],
    ['contoso.visualstudio.com', 'Azure DevOps (contoso.visualstudio.com)'],
    ['169.254.169.254', 'the managed identity endpoint (169.254.169.254)'],
    ['proxy.corp.example', 'proxy.corp.example'],
  ];
  for (const [host, named] of cases) {
    it(`${host ?? '(none)'} -> ${named}`, () => assert.equal(serviceAt(host, ctx), named));
  }

  it('a timeout names the host it waited on', () => {
    const error = Object.assign(new RequestTimeoutError('contoso-kv.vault.azure.net', 1000), {
      stalledOn: ['login.microsoftonline.com'],
    });
    const [message] = renderProblems([classifyProblem(errorFacts(error), undefined)], ctx);
    assert.match(
      message ?? '',
      /^Microsoft Entra ID \(login\.microsoftonline\.com\) did not answer in time/,
    );
  });
});

describe('WireLog', () => {
  it('names inner requests a failed request waited on, not outer ones', () => {
    const wire = new WireLog();
    const vault = wire.started('contoso-kv.vault.azure.net');
    const token = wire.started('login.microsoftonline.com');
    assert.deepEqual(wire.stalledWithin(token, 'login.microsoftonline.com'), []);
    wire.ended(token, false);
    assert.deepEqual(wire.stalledWithin(vault, 'contoso-kv.vault.azure.net'), [
      'login.microsoftonline.com',
    ]);
  });

  it('does not blame a request that was answered', () => {
    const wire = new WireLog();
    const vault = wire.started('contoso-kv.vault.azure.net');
    wire.ended(wire.started('login.microsoftonline.com'), true);
    assert.deepEqual(wire.stalledWithin(vault, 'contoso-kv.vault.azure.net'), []);
  });
});

describe('withWireFacts', () => {
  const signInFailure = classifyProblem(
    errorFacts(Object.assign(new Error('x'), { name: 'AuthenticationRequiredError' })),
    undefined,
  );

  it("fills a sign-in failure's missing status from Entra's last error answer", () => {
    const filled = withWireFacts(signInFailure, 'https://login.microsoftonline.com', (host) =>
      host === 'login.microsoftonline.com'
        ? { status: 429, requestId: 'r9', what: 'error' as const }
        : undefined,
    );
    assert.deepEqual(
      [filled.facts.status, filled.facts.requestId, filled.facts.host],
      [429, 'r9', 'login.microsoftonline.com'],
    );
  });

  it('names an answer that was not JSON with a code signInAdvice reads', () => {
    const filled = withWireFacts(signInFailure, 'https://login.microsoftonline.com', () => ({
      status: 200,
      requestId: 'r1',
      what: 'not-json',
    }));
    assert.deepEqual([filled.facts.status, filled.facts.code], [200, 'ENTRA_NOT_JSON']);
  });

  it('leaves other problems, and known statuses, alone', () => {
    const none = (): undefined => undefined;
    assert.equal(
      withWireFacts(signInFailure, 'https://login.microsoftonline.com', none),
      signInFailure,
    );
    const notFound = classifyProblem(
      errorFacts(Object.assign(new Error('nf'), { statusCode: 404, code: 'SecretNotFound' })),
      'a',
    );
    const always = (): FailedAnswer => ({ status: 429, requestId: 'r', what: 'error' });
    assert.equal(withWireFacts(notFound, 'https://login.microsoftonline.com', always), notFound);
  });
});
