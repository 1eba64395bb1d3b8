/** The emulated managed identity endpoints (IMDS and App Service), in process over plain http. */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { decodeJwtPayload, startAzure } from './index';
import { call } from './testClient';
import type { AzureEmulator, ManagedIdentityEndpoint } from './types';

const TENANT = 'e7f8091a-2b3c-4d4e-95f6-a7b8c9d0e1f2';
const SYSTEM = 'f8091a2b-3c4d-4e5f-a6a7-b8c9d0e1f2a3';
const SYSTEM_OID = '091a2b3c-4d5e-4f60-b7b8-c9d0e1f2a3b4';
const USER = '1a2b3c4d-5e6f-4071-88c9-d0e1f2a3b4c5';
const USER_OID = '2b3c4d5e-6f70-4182-99d0-e1f2a3b4c5d6';
const NOW = Date.UTC(2026, 3, 25, 17, 23, 9);

interface HttpResult {
  status: number;
  json: Record<string, unknown>;
}

function get(url: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('emulated managed identity endpoints', () => {
  let emulator: AzureEmulator;
  let imds: ManagedIdentityEndpoint;
  let appService: ManagedIdentityEndpoint;
  const systemAssigned = { appId: SYSTEM, objectId: SYSTEM_OID, tenantId: TENANT };
  const identities = [
    systemAssigned,
    { appId: USER, objectId: USER_OID, tenantId: TENANT, userAssignedClientId: USER },
  ];

  before(async () => {
    emulator = await startAzure({ now: () => NOW, tokenLifetimeSeconds: 86_399 });
    imds = await emulator.startManagedIdentity({ source: 'imds', identities });
    appService = await emulator.startManagedIdentity({ source: 'appService', identities });
  });
  after(() => emulator.close());

  it('hands out the variables MSAL reads for each source', () => {
    assert.match(imds.env.AZURE_POD_IDENTITY_AUTHORITY_HOST ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(
      imds.url,
      `${imds.env.AZURE_POD_IDENTITY_AUTHORITY_HOST}/metadata/identity/oauth2/token`,
    );
    assert.match(appService.env.IDENTITY_ENDPOINT ?? '', /^http:\/\/127\.0\.0\.1:\d+\/msi\/token$/);
    assert.match(appService.env.IDENTITY_HEADER ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual(Object.keys(appService.env), ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']);
  });

  it('IMDS: answers the system-assigned identity with string values, on either path form', async () => {
    for (const path of ['/metadata/identity/oauth2/token', '/metadata/identity/oauth2/token/']) {
      const url = `${imds.env.AZURE_POD_IDENTITY_AUTHORITY_HOST}${path}?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net`;
      const result = await get(url, { Metadata: 'true' });
      assert.equal(result.status, 200);
      assert.deepEqual(Object.keys(result.json), [
        'access_token',
        'client_id',
        'expires_in',
        'expires_on',
        'ext_expires_in',
        'not_before',
        'resource',
        'token_type',
      ]);
      assert.equal(result.json.client_id, SYSTEM);
      assert.equal(result.json.expires_in, '86399');
      assert.equal(result.json.expires_on, String(NOW / 1000 + 86_399));
      assert.equal(result.json.resource, 'https://vault.azure.net');
      assert.equal(result.json.token_type, 'Bearer');
      const claims = decodeJwtPayload(String(result.json.access_token));
      assert.equal(claims.aud, 'https://vault.azure.net');
      assert.equal(claims.iss, `https://sts.windows.net/${TENANT}/`);
      assert.equal(claims.appid, SYSTEM);
      assert.equal(claims.oid, SYSTEM_OID);
      assert.equal(claims.tid, TENANT);
    }
    const recorded = emulator.requests.at(-1);
    assert.equal(recorded?.host, '127.0.0.1');
    assert.equal(recorded.kind, 'mi.token');
    assert.equal(recorded.caller, SYSTEM);
  });

  it('IMDS: picks a user-assigned identity by client_id or object_id, and refuses an unknown one', async () => {
    const base = `${imds.url}?api-version=2018-02-01&resource=https://vault.azure.net`;
    const byClient = await get(`${base}&client_id=${USER.toUpperCase()}`, { Metadata: 'true' });
    assert.equal(decodeJwtPayload(String(byClient.json.access_token)).oid, USER_OID);
    const byObject = await get(`${base}&object_id=${USER_OID}`, { Metadata: 'true' });
    assert.equal(decodeJwtPayload(String(byObject.json.access_token)).appid, USER);

    const unknown = await get(`${base}&client_id=3c4d5e6f-7081-4293-aae1-f2a3b4c5d6e7`, {
      Metadata: 'true',
    });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json, {
      error: 'invalid_request',
      error_description: 'Identity not found',
    });
  });

  it('IMDS: refuses a request without the Metadata header', async () => {
    const result = await get(`${imds.url}?api-version=2018-02-01&resource=https://vault.azure.net`);
    assert.equal(result.status, 400);
    assert.deepEqual(result.json, {
      error: 'invalid_request',
      error_description: 'Required metadata header not specified',
    });
  });

  it('IMDS: a machine without a system-assigned identity answers "Identity not found" to a bare request', async () => {
    const userOnly = await emulator.startManagedIdentity({
      source: 'imds',
      identities: identities.slice(1),
    });
    const result = await get(
      `${userOnly.url}?api-version=2018-02-01&resource=https://vault.azure.net`,
      {
        Metadata: 'true',
      },
    );
    assert.equal(result.status, 400);
    assert.equal(result.json.error_description, 'Identity not found');
  });

  it('App Service: answers with X-IDENTITY-HEADER, and refuses without it', async () => {
    const url = `${appService.url}?api-version=2019-08-01&resource=https://vault.azure.net&client_id=${USER}`;
    const result = await get(url, { 'X-IDENTITY-HEADER': appService.env.IDENTITY_HEADER ?? '' });
    assert.equal(result.status, 200);
    assert.deepEqual(Object.keys(result.json), [
      'access_token',
      'expires_on',
      'resource',
      'token_type',
      'client_id',
    ]);
    assert.equal(result.json.client_id, USER);
    assert.equal(result.json.expires_on, String(NOW / 1000 + 86_399));
    assert.equal((await get(url)).status, 400);
  });

  it('issues tokens a vault accepts exactly like Entra-issued ones', async () => {
    const vault = emulator.addVault({ name: 'mi-kv', tenantId: TENANT });
    vault.setSecret('s', 'from-mi');
    vault.grant(SYSTEM);
    const token = await get(`${imds.url}?api-version=2018-02-01&resource=https://vault.azure.net`, {
      Metadata: 'true',
    });
    const result = await call(emulator, {
      host: vault.host,
      path: '/secrets/s/?api-version=2025-07-01',
      headers: { authorization: `Bearer ${String(token.json.access_token)}` },
    });
    assert.equal(result.status, 200, result.text);
    assert.equal(emulator.requests.at(-1)?.caller, SYSTEM);
  });

  it('applies fault rules to host 127.0.0.1, kind mi.token', async () => {
    emulator.addFault({
      host: '127.0.0.1',
      kind: 'mi.token',
      times: 1,
      action: { type: 'status', status: 500, body: { error: 'boom' } },
    });
    const url = `${imds.url}?api-version=2018-02-01&resource=https://vault.azure.net`;
    assert.equal((await get(url, { Metadata: 'true' })).status, 500);
    assert.equal((await get(url, { Metadata: 'true' })).status, 200);
  });

  it('offers a closed port for the "no managed identity here" case: the connection is refused', async () => {
    const closed = imds.closedEnv.AZURE_POD_IDENTITY_AUTHORITY_HOST ?? '';
    assert.notEqual(closed, imds.env.AZURE_POD_IDENTITY_AUTHORITY_HOST);
    await assert.rejects(get(`${closed}/metadata/identity/oauth2/token`), { code: 'ECONNREFUSED' });
    assert.equal(appService.closedEnv.IDENTITY_HEADER, appService.env.IDENTITY_HEADER);
  });

  it('refuses two system-assigned identities on one machine', async () => {
    await assert.rejects(
      emulator.startManagedIdentity({
        source: 'imds',
        identities: [systemAssigned, { appId: USER, tenantId: TENANT }],
      }),
      /at most one system-assigned identity/,
    );
  });
});
