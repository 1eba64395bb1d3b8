import { strict as assert } from 'node:assert';
import { classifyProblem } from '../../src/errors/classifyProblem';
import { errorFacts } from '../../src/errors/errorFacts';
import { renderProblems, type ReportContext } from '../../src/report/problemReport';
import { RunStoppedError } from '../../src/vault/runDeadline';

const ctx: ReportContext = {
  vaultName: 'contoso-kv',
  vaultUrl: 'https://contoso-kv.vault.azure.net',
  identity: 'service principal 11111111-2222-3333-4444-555555555555 (client secret)',
  clientId: '11111111-2222-3333-4444-555555555555',
  connectionId: 'conn-1',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  authKind: 'servicePrincipalSecret',
};

function kvError(status: number, code: string, message: string, inner?: string): Error {
  return Object.assign(new Error(message), {
    name: 'RestError',
    statusCode: status,
    code,
    details: { error: { code, message, ...(inner ? { innerError: { code: inner } } : {}) } },
    response: {
      status,
      headers: { get: (n: string) => (n === 'x-ms-request-id' ? 'r1' : undefined) },
    },
  });
}

const RBAC_MESSAGE =
  "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=11111111-2222-3333-4444-555555555555;oid=99999999-8888-7777-6666-555555555555;iss=https://sts.windows.net/t/\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/contoso-kv/secrets/db'\r\nAssignment: (not found)\r\n";

function problem(error: unknown, secret?: string) {
  return classifyProblem(errorFacts(error), secret);
}

describe('classifyProblem', () => {
  const cases: Array<[string, unknown, string, boolean]> = [
    [
      '404 SecretNotFound',
      kvError(404, 'SecretNotFound', 'A secret with (name/id) x was not found'),
      'not-found',
      false,
    ],
    [
      '403 SecretDisabled',
      kvError(
        403,
        'Forbidden',
        'Operation get is not allowed on a disabled secret.',
        'SecretDisabled',
      ),
      'disabled',
      false,
    ],
    [
      '403 ForbiddenByRbac',
      kvError(403, 'Forbidden', RBAC_MESSAGE, 'ForbiddenByRbac'),
      'denied-by-rbac',
      false,
    ],
    [
      '403 AccessDenied',
      kvError(403, 'Forbidden', 'no secrets get permission', 'AccessDenied'),
      'denied-by-access-policy',
      true,
    ],
    [
      '403 ForbiddenByFirewall',
      kvError(403, 'Forbidden', 'Client address is not authorized', 'ForbiddenByFirewall'),
      'denied-by-firewall',
      true,
    ],
    [
      '403 ForbiddenByConnection',
      kvError(403, 'Forbidden', 'Public network access is disabled', 'ForbiddenByConnection'),
      'public-access-disabled',
      true,
    ],
    [
      '401 AKV10022',
      kvError(401, 'Unauthorized', 'AKV10022: Invalid audience.'),
      'token-rejected',
      true,
    ],
    ['429', kvError(429, 'Throttled', 'too many requests'), 'throttled', true],
    ['500 from Key Vault', kvError(500, 'InternalServerError', 'oops'), 'service-error', true],
    [
      '502 from a proxy',
      Object.assign(new Error('Bad Gateway'), {
        statusCode: 502,
        response: { status: 502, headers: { get: () => undefined } },
      }),
      'unreachable',
      true,
    ],
    [
      'ENOTFOUND',
      Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      'unreachable',
      true,
    ],
    [
      'AuthenticationError',
      Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), {
        name: 'AuthenticationError',
      }),
      'sign-in-failed',
      true,
    ],
    [
      'CredentialUnavailableError',
      Object.assign(new Error('ManagedIdentityCredential: unavailable'), {
        name: 'CredentialUnavailableError',
      }),
      'sign-in-failed',
      true,
    ],
    ['AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'timed-out', true],
    ['a cancelled job', new RunStoppedError('cancelled', 0), 'cancelled', true],
    ['the task deadline', new RunStoppedError('deadline', 300_000), 'deadline', true],
    ['anything else', new Error('boom'), 'unexpected', false],
  ];
  for (const [label, error, cause, vaultWide] of cases) {
    it(`classifies ${label} as ${cause}`, () => {
      const p = problem(error, 'db');
      assert.equal(p.cause, cause);
      assert.equal(p.vaultWide, vaultWide);
    });
  }
});

describe('renderProblems', () => {
  it('groups secrets by cause, in order of first appearance', () => {
    const messages = renderProblems(
      [
        problem(kvError(404, 'SecretNotFound', 'nf'), 'a'),
        problem(kvError(403, 'Forbidden', 'disabled', 'SecretDisabled'), 'b'),
        problem(kvError(404, 'SecretNotFound', 'nf'), 'c'),
      ],
      ctx,
    );
    assert.deepEqual(messages, [
      "2 secrets ('a', 'c') not found in vault 'contoso-kv'. Check the names in SecretsFilter (Key Vault names ignore case), or create the secrets. A secret deleted recently can be recovered: az keyvault secret recover --vault-name contoso-kv --name a; az keyvault secret recover --vault-name contoso-kv --name c.",
      "Secret 'b' in vault 'contoso-kv' is disabled. Enable it (az keyvault secret set-attributes --vault-name contoso-kv --name b --enabled true), or remove it from SecretsFilter.",
    ]);
  });

  it('names the caller, the role and the scope for an RBAC denial', () => {
    const [message] = renderProblems(
      [problem(kvError(403, 'Forbidden', RBAC_MESSAGE, 'ForbiddenByRbac'), 'db')],
      ctx,
    );
    assert.equal(
      message,
      'Service principal 11111111-2222-3333-4444-555555555555 (client secret) (object id 99999999-8888-7777-6666-555555555555) may not read secret \'db\' in vault \'contoso-kv\': Azure RBAC denied it. Assign the role "Key Vault Secrets User" on the vault (or on each secret): az role assignment create --role "Key Vault Secrets User" --assignee 99999999-8888-7777-6666-555555555555 --scope "/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/contoso-kv". Role assignments can take a few minutes to apply.',
    );
  });

  it('tells a denied listing apart from a denied read, and says naming needs no list right', () => {
    const listMessage = RBAC_MESSAGE.replace(
      'secrets/getSecret/action',
      'secrets/readMetadata/action',
    ).replace('/vaults/contoso-kv/secrets/db', '/vaults/contoso-kv');
    const [message] = renderProblems(
      [problem(kvError(403, 'Forbidden', listMessage, 'ForbiddenByRbac'))],
      ctx,
    );
    assert.equal(
      message,
      'Service principal 11111111-2222-3333-4444-555555555555 (client secret) (object id 99999999-8888-7777-6666-555555555555) may not list the secrets of vault \'contoso-kv\': Azure RBAC denied the listing. SecretsFilter \'*\' (and any pattern) needs the list right at vault scope, Microsoft.KeyVault/vaults/secrets/readMetadata/action, which "Key Vault Secrets User" includes when it is assigned on the vault, not on single secrets: az role assignment create --role "Key Vault Secrets User" --assignee 99999999-8888-7777-6666-555555555555 --scope "/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/contoso-kv". Naming the secrets in SecretsFilter needs no list right at all.',
    );
  });

  it('prints each hint command with the real secret names, quoted for a shell when needed', () => {
    const names = Array.from({ length: 22 }, (_, i) => `s-${i}`);
    const [many] = renderProblems(
      names.map((n) => problem(kvError(404, 'SecretNotFound', 'nf'), n)),
      ctx,
    );
    assert.ok(
      many?.endsWith(
        `recovered: ${names
          .slice(0, 20)
          .map((n) => `az keyvault secret recover --vault-name contoso-kv --name ${n}`)
          .join('; ')}; and the same for the other 2.`,
      ),
      many,
    );
    const [odd] = renderProblems(
      [problem(kvError(403, 'Forbidden', 'disabled', 'SecretDisabled'), "it's")],
      ctx,
    );
    assert.match(odd ?? '', /--name 'it'\\''s' --enabled true\)/);
  });

  it('lists at most 20 names and counts the rest', () => {
    const problems = Array.from({ length: 23 }, (_, i) =>
      problem(kvError(404, 'SecretNotFound', 'nf'), `s${i}`),
    );
    const [message] = renderProblems(problems, ctx);
    assert.match(message ?? '', /^23 secrets \('s0', .*, 's19' and 3 more\) not found/);
  });

  it('defuses logging commands in service text', () => {
    const [message] = renderProblems(
      [problem(kvError(400, 'BadParameter', 'bad ##vso[task.setvariable variable=x]y'), 'a')],
      ctx,
    );
    assert.equal(
      message,
      "Key Vault rejected the request for secret 'a' in vault 'contoso-kv' (400). The service said: bad ##_vso[task.setvariable variable=x]y",
    );
  });

  it('says where a proxy answered for an unreachable vault', () => {
    const [message] = renderProblems(
      [
        problem(
          Object.assign(new Error('Bad Gateway'), {
            statusCode: 502,
            response: { status: 502, headers: { get: () => undefined } },
          }),
          'a',
        ),
      ],
      ctx,
    );
    assert.equal(
      message,
      "Could not reach vault 'contoso-kv' at https://contoso-kv.vault.azure.net (a proxy or gateway answered HTTP 502). Check that KeyVaultName is right and that the vault exists in the connection's cloud, and that this agent (and its proxy) can reach the host.",
    );
  });
});
