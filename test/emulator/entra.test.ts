/** The emulated Entra ID: client-credentials tokens, AADSTS errors, metadata endpoints, custom authorities. */
import assert from 'node:assert/strict';
import { decodeJwtPayload, startAzure } from './index';
import { call, getToken, type CallResult } from './testClient';
import type { AzureEmulator } from './types';

const TENANT = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';
const APP = '8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b';
const APP_OID = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const SECRET = 'entra-secret';
const EXPIRED = 'entra-old-secret';
const NOW = Date.UTC(2026, 3, 25, 17, 23, 9);

function tokenRequest(
  emulator: AzureEmulator,
  form: Record<string, string>,
  tenant = TENANT,
  host = 'login.microsoftonline.com',
): Promise<CallResult> {
  return call(emulator, {
    host,
    method: 'POST',
    path: `/${tenant}/oauth2/v2.0/token?client-request-id=3f1e2d3c-aaaa-4bbb-8ccc-123456789abc`,
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(form).toString(),
  });
}

const credentials = (secret: string, clientId = APP): Record<string, string> => ({
  client_id: clientId,
  client_secret: secret,
  scope: 'https://vault.azure.net/.default',
  grant_type: 'client_credentials',
  'client-request-id': '3f1e2d3c-aaaa-4bbb-8ccc-123456789abc',
});

/** Checks the AADSTS error body shape and returns its description. */
function assertEntraError(result: CallResult, status: number, error: string, code: number): string {
  assert.equal(result.status, status, result.text);
  const body = result.json as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), [
    'error',
    'error_description',
    'error_codes',
    'timestamp',
    'trace_id',
    'correlation_id',
    'error_uri',
  ]);
  assert.equal(body.error, error);
  assert.deepEqual(body.error_codes, [code]);
  assert.equal(body.timestamp, '2026-04-25 17:23:09Z');
  assert.equal(body.correlation_id, '3f1e2d3c-aaaa-4bbb-8ccc-123456789abc');
  assert.equal(body.error_uri, `https://login.microsoftonline.com/error?code=${code}`);
  const description = String(body.error_description);
  assert.match(
    description,
    new RegExp(
      `^AADSTS${code}: .+\\r\\nTrace ID: ${String(body.trace_id)}\\r\\nCorrelation ID: 3f1e2d3c-aaaa-4bbb-8ccc-123456789abc\\r\\nTimestamp: 2026-04-25 17:23:09Z$`,
      's',
    ),
  );
  return description.split('\r\n')[0] ?? '';
}

describe('emulated Entra ID', () => {
  let emulator: AzureEmulator;

  before(async () => {
    emulator = await startAzure({ now: () => NOW, tokenLifetimeSeconds: 600 });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: APP,
      objectId: APP_OID,
      secrets: [SECRET],
      expiredSecrets: [EXPIRED],
    });
  });
  after(() => emulator.close());

  it('issues an access token for client credentials with the claims Key Vault reads', async () => {
    const result = await tokenRequest(emulator, credentials(SECRET));
    assert.equal(result.status, 200);
    const body = result.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), [
      'token_type',
      'expires_in',
      'ext_expires_in',
      'access_token',
    ]);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 600);
    assert.equal(body.ext_expires_in, 600);
    assert.equal(result.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(result.headers['client-request-id'], '3f1e2d3c-aaaa-4bbb-8ccc-123456789abc');
    const claims = decodeJwtPayload(String(body.access_token));
    const seconds = NOW / 1000;
    assert.deepEqual(
      {
        aud: claims.aud,
        iss: claims.iss,
        tid: claims.tid,
        appid: claims.appid,
        oid: claims.oid,
        iat: claims.iat,
        nbf: claims.nbf,
        exp: claims.exp,
      },
      {
        aud: 'https://vault.azure.net',
        iss: `https://sts.windows.net/${TENANT}/`,
        tid: TENANT,
        appid: APP,
        oid: APP_OID,
        iat: seconds,
        nbf: seconds,
        exp: seconds + 600,
      },
    );
    const last = emulator.requests.at(-1);
    assert.equal(last?.kind, 'entra.token');
    assert.equal(last.caller, APP);
  });

  it('answers an unknown application with 400 unauthorized_client AADSTS700016', async () => {
    const unknown = '11112222-3333-4444-8555-666677778888';
    const first = assertEntraError(
      await tokenRequest(emulator, credentials(SECRET, unknown)),
      400,
      'unauthorized_client',
      700016,
    );
    assert.equal(
      first,
      `AADSTS700016: Application with identifier '${unknown}' was not found in the directory '${TENANT}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  });

  it('answers a wrong client secret with 401 invalid_client AADSTS7000215', async () => {
    const first = assertEntraError(
      await tokenRequest(emulator, credentials('nope')),
      401,
      'invalid_client',
      7000215,
    );
    assert.equal(
      first,
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${APP}'.`,
    );
  });

  it('answers an expired client secret with 401 invalid_client AADSTS7000222', async () => {
    const first = assertEntraError(
      await tokenRequest(emulator, credentials(EXPIRED)),
      401,
      'invalid_client',
      7000222,
    );
    assert.equal(
      first,
      `AADSTS7000222: The provided client secret keys for app '${APP}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    );
  });

  it('answers a request without any client credential with AADSTS7000218', async () => {
    const form = credentials(SECRET);
    delete form.client_secret;
    assertEntraError(await tokenRequest(emulator, form), 401, 'invalid_client', 7000218);
  });

  it('answers an unknown tenant with AADSTS90002 and a scope without /.default with AADSTS1002012', async () => {
    assertEntraError(
      await tokenRequest(emulator, credentials(SECRET), '99999999-9999-4999-8999-999999999999'),
      400,
      'invalid_request',
      90002,
    );
    assertEntraError(
      await tokenRequest(emulator, {
        ...credentials(SECRET),
        scope: 'https://vault.azure.net/user_impersonation',
      }),
      400,
      'invalid_scope',
      1002012,
    );
  });

  it('answers a client assertion that is not a JWT with AADSTS50027 (assertions: clientAssertion.test.ts)', async () => {
    const form = credentials(SECRET);
    delete form.client_secret;
    const result = await tokenRequest(emulator, {
      ...form,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'a.b.c',
    });
    assert.equal(
      assertEntraError(result, 400, 'invalid_request', 50027),
      'AADSTS50027: JWT token is invalid or malformed.',
    );
  });

  it('serves openid-configuration and the signing keys it points to', async () => {
    const config = await call(emulator, {
      host: 'login.microsoftonline.com',
      path: `/${TENANT}/v2.0/.well-known/openid-configuration`,
    });
    assert.equal(config.status, 200);
    const body = config.json as Record<string, string>;
    assert.equal(
      body.token_endpoint,
      `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
    );
    assert.equal(body.issuer, `https://login.microsoftonline.com/${TENANT}/v2.0`);
    assert.equal(
      body.authorization_endpoint,
      `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
    );
    const keys = await call(emulator, {
      host: 'login.microsoftonline.com',
      path: new URL(body.jwks_uri ?? '').pathname,
    });
    const token = await getToken(emulator, TENANT, APP, SECRET);
    const kid = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      kid: string;
    };
    assert.equal((keys.json as { keys: Array<{ kid: string }> }).keys[0]?.kid, kid.kid);
    assert.equal(emulator.requests.at(-3)?.kind, 'entra.openid');

    const common = await call(emulator, {
      host: 'login.microsoftonline.com',
      path: '/organizations/v2.0/.well-known/openid-configuration',
    });
    assert.equal(
      (common.json as Record<string, string>).issuer,
      'https://login.microsoftonline.com/{tenantid}/v2.0',
    );
  });

  it('answers instance discovery for public-cloud hosts and invalid_instance for others', async () => {
    const known = await call(emulator, {
      host: 'login.microsoftonline.com',
      path: `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`)}`,
    });
    assert.equal(known.status, 200);
    const body = known.json as {
      tenant_discovery_endpoint: string;
      'api-version': string;
      metadata: Array<{ aliases: string[] }>;
    };
    assert.equal(
      body.tenant_discovery_endpoint,
      `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
    assert.equal(body['api-version'], '1.1');
    assert.ok(body.metadata[0]?.aliases.includes('login.windows.net'));
    assert.equal(emulator.requests.at(-1)?.kind, 'entra.discovery');

    const custom = await call(emulator, {
      host: 'login.microsoftonline.com',
      path: `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://adfs.local.azurestack.external/adfs/oauth2/authorize')}`,
    });
    assert.equal(custom.status, 400);
    assert.equal((custom.json as { error: string }).error, 'invalid_instance');
  });

  it('serves a custom authority host added later, whose tokens its vaults accept', async () => {
    emulator.addAuthorityHost('login.azurestack.local');
    const vault = emulator.addVault({
      name: 'stack-kv',
      tenantId: TENANT,
      dnsSuffix: 'vault.local.azurestack.external',
    });
    vault.setSecret('s', 'from-stack');
    vault.grant(APP);
    const token = await getToken(
      emulator,
      TENANT,
      APP,
      SECRET,
      'https://vault.local.azurestack.external/.default',
      'login.azurestack.local',
    );
    assert.equal(decodeJwtPayload(token).iss, `https://login.azurestack.local/${TENANT}/`);
    const result = await call(emulator, {
      host: vault.host,
      path: '/secrets/s/?api-version=2025-07-01',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(result.status, 200, result.text);
    assert.equal((result.json as { value: string }).value, 'from-stack');
  });

  it('issues China-cloud tokens in the sts.chinacloudapi.cn name', async () => {
    const token = await getToken(
      emulator,
      TENANT,
      APP,
      SECRET,
      'https://vault.azure.cn/.default',
      'login.chinacloudapi.cn',
    );
    assert.equal(decodeJwtPayload(token).iss, `https://sts.chinacloudapi.cn/${TENANT}/`);
    assert.equal(decodeJwtPayload(token).aud, 'https://vault.azure.cn');
  });
});
