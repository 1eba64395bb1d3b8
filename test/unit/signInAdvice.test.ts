import { strict as assert } from 'node:assert';
import { errorFacts } from '../../src/errors/errorFacts';
import type { ReportContext } from '../../src/report/problemReport';
import { APPLICATION_ID_HINT, signInAdvice } from '../../src/report/signInAdvice';
import { credentialSetupProblem, describeSignIn } from '../../src/report/signInMessages';
import { tokenIdentity } from '../../src/auth/tokenClaims';

const APP = '0b5c7a8e-3e2f-4c1d-9a6b-7f8e9d0c1b2a';
const ctx: ReportContext = {
  vaultName: 'contoso-kv',
  vaultUrl: 'https://contoso-kv.vault.azure.net',
  identity: `service principal ${APP} (workload identity federation)`,
  clientId: APP,
  connectionId: 'conn-1',
  tenantId: 'tenant-1',
  authKind: 'workloadIdentity',
};

function authError(message: string, statusCode?: number): Error {
  return Object.assign(new Error(message), { name: 'AuthenticationError', statusCode });
}
const advice = (error: unknown, context: ReportContext = ctx): string =>
  signInAdvice(errorFacts(error), context);

describe('signInAdvice', () => {
  it('expired client secret: rotate, or convert to workload identity federation', () => {
    assert.equal(
      advice(
        authError("AADSTS7000222: The provided client secret keys for app '...' are expired."),
      ),
      `The client secret of application ${APP} in service connection 'conn-1' has expired (AADSTS7000222). Create a new secret (az ad app credential reset --id '${APPLICATION_ID_HINT}' --append) and update the connection with it, or better, convert the connection to workload identity federation, which has no secret to expire.`,
    );
  });

  it('wrong client secret', () => {
    assert.match(
      advice(authError('AADSTS7000215: Invalid client secret provided.')),
      /^The client secret in service connection 'conn-1' is not valid for application 0b5c7a8e-3e2f-4c1d-9a6b-7f8e9d0c1b2a \(AADSTS7000215\)\. It may be the secret's ID instead of its value/,
    );
  });

  it('app not in tenant', () => {
    assert.equal(
      advice(
        authError(
          "AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.",
        ),
      ),
      `application ${APP} was not found in tenant tenant-1 (AADSTS700016). Check the application (client) id and tenant id of service connection 'conn-1'; the app registration may have been deleted or may live in another tenant.`,
    );
  });

  it('no matching federated credential: prints the issuer and subject to register, and the command', () => {
    const message =
      "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://vstoken.dev.azure.com/org-id'. Assertion Subject: 'sc://contoso/web/my-connection'. Assertion Audience: 'api://AzureADTokenExchange'.";
    assert.equal(
      advice(authError(message)),
      `application ${APP} has no federated credential matching service connection 'conn-1' (AADSTS70021). The subject is sc://<organization>/<project>/<connection name> and changes when the organization, project or connection is renamed. Register it with issuer 'https://vstoken.dev.azure.com/org-id' and subject 'sc://contoso/web/my-connection': az ad app federated-credential create --id '${APPLICATION_ID_HINT}' --parameters '{"name":"azure-devops","issuer":"https://vstoken.dev.azure.com/org-id","subject":"sc://contoso/web/my-connection","audiences":["api://AzureADTokenExchange"]}'`,
    );
  });

  it('subject mismatch (AADSTS700213) names the subject', () => {
    assert.match(
      advice(
        authError(
          "AADSTS700213: No matching federated identity record found for presented assertion subject 'sc://contoso/web/renamed'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
        ),
      ),
      / \(AADSTS700213\)\. .* Register it with subject 'sc:\/\/contoso\/web\/renamed' \(the issuer is https:\/\/vstoken\.dev\.azure\.com\/<organization id>\)\.$/,
    );
  });

  it('certificate not registered', () => {
    assert.match(
      advice(authError('AADSTS700027: Client assertion failed signature validation.')),
      /^The certificate in service connection 'conn-1' is not accepted for application .* \(AADSTS700027\)/,
    );
  });

  it('OIDC request refused by Azure DevOps, without quoting the HTTP exchange', () => {
    const error = authError(
      'AzurePipelinesCredential: Authentication Failed. oidcToken field not detected in the response. Response = {"Authorization":"Bearer job-token"}',
      401,
    );
    const text = advice(error);
    assert.equal(
      text,
      "Azure DevOps refused to issue an OIDC token for service connection 'conn-1' (HTTP 401). The job's access token may not use this connection: check the connection's pipeline permissions (Project settings > Service connections > Security) and that the job's authorization scope includes it.",
    );
    assert.ok(!text.includes('job-token'));
  });

  it('managed identity unavailable: suggests workload identity federation', () => {
    const error = Object.assign(new Error('ManagedIdentityCredential: Network unreachable.'), {
      name: 'CredentialUnavailableError',
    });
    assert.equal(
      advice(error, { ...ctx, authKind: 'managedIdentity', clientId: undefined }),
      'No managed identity is available on this agent. Microsoft-hosted agents have none: run the job on a self-hosted agent on an Azure VM or scale set with a managed identity, or use a connection with workload identity federation.',
    );
  });
});

describe('sign-in messages', () => {
  it('maps a missing SYSTEM_OIDCREQUESTURI to what the pipeline needs', () => {
    const text = credentialSetupProblem(
      new Error(
        'AzurePipelinesCredential: is unavailable. Ensure that you\'re running this task in an Azure Pipeline, so that following missing system variable(s) can be defined- "SYSTEM_OIDCREQUESTURI"',
      ),
      ctx,
    );
    assert.match(text, /^Workload identity federation needs the variable System\.OidcRequestUri/);
  });

  it("an unknown AADSTS code quotes Entra's description only, not the library's text", () => {
    assert.equal(
      advice(
        authError(
          'invalid_request Status code: 400\nMore details:\nAADSTS90002: Tenant not found. Trace ID: t1\n{"body":"raw"}',
          400,
        ),
      ),
      "Signing in as service principal 0b5c7a8e-3e2f-4c1d-9a6b-7f8e9d0c1b2a (workload identity federation) with service connection 'conn-1' failed (AADSTS90002). Entra said: AADSTS90002: Tenant not found. Trace ID: t1",
    );
  });

  it('quotes a description embedded in JSON only up to the JSON around it (no header of the exchange)', () => {
    const exchange = JSON.stringify({
      body: 'AADSTS90002: Tenant not found.',
      request: { headers: { authorization: 'Bearer job-token-value' } },
    });
    assert.equal(
      advice(authError(`AzurePipelinesCredential: Authenticate failed. ${exchange}`, 400)),
      "Signing in as service principal 0b5c7a8e-3e2f-4c1d-9a6b-7f8e9d0c1b2a (workload identity federation) with service connection 'conn-1' failed (AADSTS90002). Entra said: AADSTS90002: Tenant not found.",
    );
  });

  it("prefers Entra's error_description as identity keeps it", () => {
    const error = Object.assign(authError('unauthorized_client AADSTS1 whatever', 401), {
      errorResponse: {
        error: 'unauthorized_client',
        errorDescription: 'AADSTS1: the app is disabled.',
      },
    });
    assert.match(advice(error), /Entra said: AADSTS1: the app is disabled\.$/);
  });

  it("never quotes identity's fallback texts, which embed the response body", () => {
    const error = Object.assign(authError('x', 500), {
      errorResponse: {
        error: 'unknown',
        errorDescription:
          'An unknown error has occurred. Response body:\n\n{"access_token":"eyJ..."}',
      },
    });
    assert.match(
      advice({ ...error, name: 'AuthenticationError', message: 'x' }),
      /Microsoft Entra ID answered HTTP 500 with no explanation\./,
    );
  });

  it('describes who signed in from the token claims', () => {
    const payload = Buffer.from(
      JSON.stringify({ appid: APP, oid: 'oid-1', tid: 'tid-1' }),
    ).toString('base64url');
    const who = tokenIdentity(`e30.${payload}.sig`);
    assert.deepEqual(who, { appId: APP, objectId: 'oid-1', tenantId: 'tid-1' });
    assert.equal(
      describeSignIn(ctx, who ?? { appId: undefined, objectId: undefined, tenantId: undefined }),
      `application ${APP} (object id oid-1) in tenant tid-1, using workload identity federation`,
    );
    assert.equal(tokenIdentity('not-a-jwt'), undefined);
    assert.equal(tokenIdentity('a.@@@.c'), undefined);
  });
});
