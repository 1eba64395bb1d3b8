/**
 * The real clients (@azure/keyvault-secrets SecretClient, @azure/identity ClientSecretCredential)
 * against the emulator through its authenticating CONNECT proxy, with every SDK check left on.
 * They run in a child process (fixtures/secretClientScenario.ts) started with
 * NODE_EXTRA_CA_CERTS=<caCertFile> and HTTPS_PROXY, because Node reads the CA list only at start-up.
 */
import assert from 'node:assert/strict';
import { runScenario as runChild } from './fixtures/runScenario';
import type { Scenario, StepResult } from './fixtures/secretClientScenario';
import { startAzure } from './index';
import type { AzureEmulator, RecordedRequest } from './types';

const TENANT = '3f0e8a5c-1b2d-4c6e-8f90-a1b2c3d4e5f6';
const APP = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const APP_OID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const CLIENT_SECRET = 'app-secret~value';
const PROXY_USER = 'agent';
const PROXY_PASSWORD = 'p@ss:word';

function runScenario(emulator: AzureEmulator, scenario: Scenario): Promise<StepResult[]> {
  return runChild(emulator, scenario, {
    proxyAuth: { username: PROXY_USER, password: PROXY_PASSWORD },
  });
}

describe('real SecretClient and ClientSecretCredential through the proxy', function () {
  this.timeout(30_000);
  let emulator: AzureEmulator;
  let results: StepResult[];
  let requests: RecordedRequest[];
  let contosoHost: string;

  before(async () => {
    emulator = await startAzure({ proxyAuth: { username: PROXY_USER, password: PROXY_PASSWORD } });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: APP,
      objectId: APP_OID,
      secrets: [CLIENT_SECRET],
    });

    const contoso = emulator.addVault({
      name: 'contoso-kv',
      tenantId: TENANT,
      leadingEmptyPages: 2,
    });
    contosoHost = contoso.host;
    contoso.setSecret('db-password', 'line one\nline two');
    contoso.setSecret('disabled-one', { value: 'off', enabled: false });
    contoso.setSecret('Expired-One', { value: 'stale', exp: 1_000_000_000 });
    for (const name of ['alpha', 'Bravo', 'charlie']) contoso.setSecret(name, `${name}-value`);
    contoso.grant(APP);

    const locked = emulator.addVault({ name: 'locked-kv', tenantId: TENANT });
    locked.setSecret('top-secret', 'nope');

    const policy = emulator.addVault({
      name: 'policy-kv',
      tenantId: TENANT,
      accessModel: 'accessPolicy',
      region: 'eastus',
    });
    policy.setSecret('listed-only', 'nope');
    policy.grant(APP, ['list']);

    const client = (vaultUrl: string, clientSecret = CLIENT_SECRET) => ({
      vaultUrl,
      tenantId: TENANT,
      clientId: APP,
      clientSecret,
    });
    results = await runScenario(emulator, {
      clients: {
        good: client(contoso.url),
        locked: client(locked.url),
        policy: client(policy.url),
        wrong: client(contoso.url, 'not-the-secret'),
      },
      steps: [
        { client: 'good', op: 'get', name: 'db-password' },
        { client: 'good', op: 'list', maxPageSize: 2 },
        { client: 'good', op: 'get', name: 'disabled-one' },
        { client: 'good', op: 'get', name: 'missing-one' },
        { client: 'good', op: 'get', name: 'expired-one' },
        { client: 'locked', op: 'get', name: 'top-secret' },
        { client: 'policy', op: 'get', name: 'listed-only' },
        { client: 'wrong', op: 'get', name: 'db-password' },
      ],
    });
    requests = [...emulator.requests];
  });
  after(() => emulator.close());

  it('gets a multi-line secret value byte for byte', () => {
    const first = results[0];
    assert.ok(first?.ok);
    assert.equal(first.value, 'line one\nline two');
    assert.match(
      first.id ?? '',
      /^https:\/\/contoso-kv\.vault\.azure\.net\/secrets\/db-password\/[0-9a-f]{32}$/,
    );
  });

  it('answers the first request with the challenge, then the token request, then the get with a bearer', () => {
    const [challenge, token, get] = requests;
    assert.equal(challenge?.kind, 'kv.challenge');
    assert.equal(challenge.status, 401);
    assert.equal(challenge.headers.authorization, undefined);
    assert.equal(challenge.query['api-version'], '2025-07-01');

    assert.equal(token?.kind, 'entra.token');
    assert.equal(token.host, 'login.microsoftonline.com');
    assert.equal(token.path, `/${TENANT}/oauth2/v2.0/token`);
    const form = new URLSearchParams(token.body);
    assert.equal(form.get('client_id'), APP);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'https://vault.azure.net/.default');
    assert.equal(token.status, 200);
    assert.equal(token.caller, APP);

    assert.equal(get?.kind, 'kv.get');
    assert.equal(get.path, '/secrets/db-password/');
    assert.match(get.headers.authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(
      get.headers['x-ms-client-request-id'],
      challenge.headers['x-ms-client-request-id'],
    );
    assert.equal(get.status, 200);
    assert.equal(get.caller, APP);
  });

  it('lists through leading empty pages and nextLinks, sorted case-insensitively', () => {
    const list = results[1];
    assert.ok(list?.ok);
    assert.deepEqual(list.pages, [
      [],
      [],
      ['alpha', 'Bravo'],
      ['charlie', 'db-password'],
      ['disabled-one', 'Expired-One'],
      [],
    ]);
    const listCalls = requests.filter((r) => r.kind === 'kv.list');
    assert.equal(listCalls.length, 6);
    assert.ok(listCalls.every((r) => r.query.maxresults === '2' && r.status === 200));
    assert.ok(listCalls.slice(1).every((r) => r.query.$skiptoken));
  });

  it('fails a disabled secret with 403 SecretDisabled', () => {
    assert.deepEqual(results[2], {
      ok: false,
      errorName: 'RestError',
      statusCode: 403,
      code: 'Forbidden',
      innerCode: 'SecretDisabled',
      message: 'Operation get is not allowed on a disabled secret.',
    });
  });

  it('fails a missing secret with 404 SecretNotFound', () => {
    assert.deepEqual(results[3], {
      ok: false,
      errorName: 'RestError',
      statusCode: 404,
      code: 'SecretNotFound',
      message:
        'A secret with (name/id) missing-one was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182',
    });
  });

  it('returns an expired secret normally, matching its name case-insensitively', () => {
    const expired = results[4];
    assert.ok(expired?.ok);
    assert.equal(expired.value, 'stale');
    assert.match(expired.id ?? '', /\/secrets\/Expired-One\//);
  });

  it('denies an RBAC vault without a role assignment, naming caller, action, resource and vault', () => {
    const denied = results[5];
    assert.ok(denied && !denied.ok);
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'Forbidden');
    assert.equal(denied.innerCode, 'ForbiddenByRbac');
    assert.match(
      denied.message,
      new RegExp(
        '^Caller is not authorized to perform action on resource\\.\\r\\n' +
          'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time\\.\\r\\n' +
          `Caller: appid=${APP};oid=${APP_OID};iss=https://sts\\.windows\\.net/${TENANT}/\\r\\n` +
          "Action: 'Microsoft\\.KeyVault/vaults/secrets/getSecret/action'\\r\\n" +
          "Resource: '/subscriptions/[0-9a-f-]{36}/resourcegroups/rg-locked-kv/providers/microsoft\\.keyvault/vaults/locked-kv/secrets/top-secret'\\r\\n" +
          'Assignment: \\(not found\\)\\r\\nDenyAssignmentId: null\\r\\n' +
          "DecisionReason: 'DeniedWithNoValidRBAC' \\r\\nVault: locked-kv;location=westus\\r\\n$",
      ),
    );
  });

  it('denies an access-policy vault without the get permission', () => {
    const denied = results[6];
    assert.ok(denied && !denied.ok);
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.innerCode, 'AccessDenied');
    assert.equal(
      denied.message,
      `The user, group or application 'appid=${APP};oid=${APP_OID};iss=https://sts.windows.net/${TENANT}/' does not have secrets get permission on key vault 'policy-kv;location=eastus'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    );
  });

  it('fails a wrong client secret with AADSTS7000215 and never sends the get', () => {
    const failed = results[7];
    assert.ok(failed && !failed.ok);
    assert.match(
      failed.message,
      /AADSTS7000215: Invalid client secret provided\. .*for a secret added to app '9d8c7b6a-/,
    );
    const tokenCalls = requests.filter((r) => r.kind === 'entra.token');
    assert.equal(tokenCalls[tokenCalls.length - 1]?.status, 401);
    assert.equal(requests[requests.length - 1]?.kind, 'entra.token');
  });

  it('tunnels every connection through the proxy with the agent credentials', () => {
    const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
    assert.ok(emulator.tunnels.length > 0);
    for (const tunnel of emulator.tunnels) {
      assert.equal(tunnel.status, 200);
      assert.equal(tunnel.proxyAuthorization, expected);
      assert.match(
        tunnel.target,
        /^(contoso-kv|locked-kv|policy-kv)\.vault\.azure\.net:443$|^login\.microsoftonline\.com:443$/,
      );
    }
    assert.ok(emulator.tunnels.some((t) => t.target === `${contosoHost}:443`));
  });
});
