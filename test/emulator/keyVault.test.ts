/** The vault data plane beyond what the recordings show: validation, tokens, authorisation, paging, PUT. */
import assert from 'node:assert/strict';
import { startAzure } from './index';
import { call, getToken, type CallResult } from './testClient';
import type { AzureEmulator, EmulatedVault } from './types';

const TENANT = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b';
const OTHER_TENANT = '8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d';
const APP = '4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a';
const APP_OID = '6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c';
const STRANGER = '7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d';
const SECRET = 'kv-test-secret';
const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"`;

describe('emulated Key Vault data plane', () => {
  let now = Date.UTC(2026, 3, 25, 12);
  let emulator: AzureEmulator;
  let vault: EmulatedVault;
  let token: string;
  const kv = (
    path: string,
    options: { method?: string; body?: string; bearer?: string | null } = {},
  ): Promise<CallResult> =>
    call(emulator, {
      host: vault.host,
      method: options.method ?? 'GET',
      path,
      headers: {
        ...(options.bearer !== null && { authorization: `Bearer ${options.bearer ?? token}` }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(options.body !== undefined && { body: options.body }),
    });
  const errorOf = (result: CallResult): unknown => (result.json as { error: unknown }).error;

  before(async () => {
    emulator = await startAzure({ now: () => now });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: APP,
      objectId: APP_OID,
      secrets: [SECRET],
    });
    emulator.addServicePrincipal({ tenantId: TENANT, appId: STRANGER, secrets: [SECRET] });
    emulator.addServicePrincipal({ tenantId: OTHER_TENANT, appId: APP, secrets: [SECRET] });
    vault = emulator.addVault({ name: 'data-kv', tenantId: TENANT, pageSize: 3 });
    vault.setSecret('db-password', 'v1');
    vault.grant(APP);
    token = await getToken(emulator, TENANT, APP, SECRET);
  });
  after(() => emulator.close());

  describe('request validation', () => {
    it('accepts every api-version the SDK knows, with the key percent-encoded or not', async () => {
      for (const version of ['7.0', '7.3', '7.5', '7.6', '2025-07-01', '2026-04-01']) {
        assert.equal(
          (await kv(`/secrets/db-password/?api%2Dversion=${version}`)).status,
          200,
          version,
        );
      }
      assert.equal((await kv('/secrets/db-password?api-version=7.4')).status, 200);
    });

    it('refuses an unknown or missing api-version with 400 BadParameter', async () => {
      const unknown = await kv('/secrets/db-password/?api-version=2016-10-01x');
      assert.equal(unknown.status, 400);
      assert.deepEqual(errorOf(unknown), {
        code: 'BadParameter',
        message:
          'The specified version (2016-10-01x) is not recognized. Consider using the latest supported version (2026-04-01).',
      });
      const missing = await kv('/secrets/db-password/');
      assert.equal(missing.status, 400);
      assert.equal((errorOf(missing) as { code: string }).code, 'BadParameter');
    });

    it('refuses an invalid secret name with 400 BadParameter', async () => {
      const result = await kv('/secrets/bad_name/?api-version=2025-07-01');
      assert.equal(result.status, 400);
      assert.deepEqual(errorOf(result), {
        code: 'BadParameter',
        message: 'The request URI contains an invalid name: bad_name',
      });
    });

    it('matches secret names case-insensitively and keeps the stored spelling', async () => {
      const result = await kv('/secrets/DB-PASSWORD/?api-version=2025-07-01');
      assert.equal(result.status, 200);
      assert.match((result.json as { id: string }).id, /\/secrets\/db-password\/[0-9a-f]{32}$/);
    });

    it('answers 404 naming name/version for an unknown version', async () => {
      const result = await kv(
        '/secrets/db-password/00000000000000000000000000000000?api-version=2025-07-01',
      );
      assert.equal(result.status, 404);
      assert.match(
        (errorOf(result) as { message: string }).message,
        /^A secret with \(name\/id\) db-password\/00000000000000000000000000000000 was not found in this key vault\./,
      );
    });
  });

  describe('bearer tokens', () => {
    it('challenges a request without a token, never with the RBAC header', async () => {
      const result = await kv('/secrets/db-password/?api-version=2025-07-01', { bearer: null });
      assert.equal(result.status, 401);
      assert.equal(result.headers['www-authenticate'], CHALLENGE);
      assert.equal(result.headers['x-ms-keyvault-rbac-assignment-id'], undefined);
      assert.equal(
        result.text,
        '{"error":{"code":"Unauthorized","message":"AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token."}}',
      );
    });

    it('answers AKV10022 for a token of another audience', async () => {
      const storage = await getToken(
        emulator,
        TENANT,
        APP,
        SECRET,
        'https://storage.azure.com/.default',
      );
      const result = await kv('/secrets/db-password/?api-version=2025-07-01', { bearer: storage });
      assert.equal(result.status, 401);
      assert.equal(result.headers['www-authenticate'], CHALLENGE);
      assert.deepEqual(errorOf(result), {
        code: 'Unauthorized',
        message:
          'AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://storage.azure.com.',
      });
    });

    it('answers AKV10032 for a token of another tenant', async () => {
      const foreign = await getToken(emulator, OTHER_TENANT, APP, SECRET);
      const result = await kv('/secrets/db-password/?api-version=2025-07-01', { bearer: foreign });
      assert.equal(result.status, 401);
      assert.equal(
        (errorOf(result) as { message: string }).message,
        `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${TENANT}/, ` +
          'https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/, https://sts.windows.net/e2d54eb5-3869-4f70-8578-dee5fc7331f4/, ' +
          'https://sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/, https://sts.windows.net/975f013f-7f24-47e8-a7d3-abc4752bf346/, ' +
          `found https://sts.windows.net/${OTHER_TENANT}/.`,
      );
    });

    it('answers an expired token with 401 and the challenge, so the SDK fetches a new one', async () => {
      const shortLived = await getToken(emulator, TENANT, APP, SECRET);
      now += 3_599_000;
      try {
        const result = await kv('/secrets/db-password/?api-version=2025-07-01', {
          bearer: shortLived,
        });
        assert.equal(result.status, 401);
        assert.equal(result.headers['www-authenticate'], CHALLENGE);
        assert.deepEqual(errorOf(result), {
          code: 'Unauthorized',
          message: "[TokenExpired] Error validating token: 'S2S12086'.",
        });
      } finally {
        token = await getToken(emulator, TENANT, APP, SECRET);
      }
    });

    it('rejects a token it did not sign', async () => {
      const [header, payload] = token.split('.');
      const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
      const result = await kv('/secrets/db-password/?api-version=2025-07-01', { bearer: forged });
      assert.equal(result.status, 401);
      assert.match(
        (errorOf(result) as { message: string }).message,
        /^AKV10046: Unable to resolve the key used for signature validation/,
      );
    });
  });

  describe('authorisation', () => {
    it('puts a stable 32-hex RBAC assignment id on every authorised answer', async () => {
      const ok = await kv('/secrets/db-password/?api-version=2025-07-01');
      const missing = await kv('/secrets/nothing-here/?api-version=2025-07-01');
      const id = ok.headers['x-ms-keyvault-rbac-assignment-id'];
      assert.match(id ?? '', /^[0-9a-f]{32}$/);
      assert.equal(missing.status, 404);
      assert.equal(missing.headers['x-ms-keyvault-rbac-assignment-id'], id);
    });

    it('denies a caller without a role assignment with ForbiddenByRbac, without the assignment header', async () => {
      const strangerToken = await getToken(emulator, TENANT, STRANGER, SECRET);
      const list = await kv('/secrets?api-version=2025-07-01', { bearer: strangerToken });
      assert.equal(list.status, 403);
      assert.equal(list.headers['x-ms-keyvault-rbac-assignment-id'], undefined);
      const error = errorOf(list) as {
        code: string;
        message: string;
        innererror: { code: string };
      };
      assert.equal(error.code, 'Forbidden');
      assert.equal(error.innererror.code, 'ForbiddenByRbac');
      assert.match(
        error.message,
        /\r\nAction: 'Microsoft\.KeyVault\/vaults\/secrets\/readMetadata\/action'\r\n/,
      );
      assert.match(
        error.message,
        /\r\nResource: '\/subscriptions\/[0-9a-f-]+\/resourcegroups\/rg-data-kv\/providers\/microsoft\.keyvault\/vaults\/data-kv'\r\n/,
      );
      assert.match(error.message, /\r\nVault: data-kv;location=westus\r\n$/);
    });

    it('stops answering a caller whose grant was revoked', async () => {
      const other = emulator.addVault({
        name: 'revoke-kv',
        tenantId: TENANT,
        accessModel: 'accessPolicy',
      });
      other.setSecret('s', 'v');
      other.grant(APP, ['get']);
      const path = '/secrets/s/?api-version=2025-07-01';
      const get = (): Promise<CallResult> =>
        call(emulator, { host: other.host, path, headers: { authorization: `Bearer ${token}` } });
      const allowed = await get();
      assert.equal(allowed.status, 200);
      assert.equal(
        allowed.headers['x-ms-keyvault-rbac-assignment-id'],
        undefined,
        'access-policy vaults send none',
      );
      other.revoke(APP);
      const denied = await get();
      assert.equal(denied.status, 403);
      assert.match(
        (errorOf(denied) as { message: string }).message,
        /does not have secrets get permission on key vault 'revoke-kv;location=westus'/,
      );
    });
  });

  describe('listing', () => {
    before(() => {
      for (const name of ['a1', 'B2', 'c3', 'D4', 'e5'])
        vault.setSecret(name, { value: name, tags: { team: 'x' }, contentType: 'text/plain' });
    });

    it('pages with absolute nextLinks carrying :443, api-version, $skiptoken and maxresults', async () => {
      const first = await kv('/secrets?api%2Dversion=7.4&maxresults=2');
      const body = first.json as { value: Array<{ id: string }>; nextLink: string };
      assert.deepEqual(
        body.value.map((i) => i.id.split('/').pop()),
        ['a1', 'B2'],
      );
      assert.match(
        body.nextLink,
        /^https:\/\/data-kv\.vault\.azure\.net:443\/secrets\?api-version=7\.4&\$skiptoken=[\w-]+&maxresults=2$/,
      );
      assert.deepEqual(Object.keys(body.value[0] ?? {}), [
        'contentType',
        'id',
        'attributes',
        'tags',
      ]);
    });

    it('uses the vault page size without maxresults and ends with nextLink null', async () => {
      const names: string[] = [];
      let path: string | null = '/secrets?api-version=2025-07-01';
      while (path) {
        const page = (await kv(path)).json as {
          value: Array<{ id: string }>;
          nextLink: string | null;
        };
        assert.ok(page.value.length <= 3);
        names.push(...page.value.map((i) => i.id.split('/').pop() ?? ''));
        path =
          page.nextLink === null
            ? null
            : new URL(page.nextLink).pathname + new URL(page.nextLink).search;
      }
      assert.deepEqual(names, ['a1', 'B2', 'c3', 'D4', 'db-password', 'e5']);
    });

    it('refuses maxresults outside 1-25', async () => {
      assert.equal((await kv('/secrets?api-version=2025-07-01&maxresults=26')).status, 400);
      assert.equal((await kv('/secrets?api-version=2025-07-01&maxresults=0')).status, 400);
    });

    it('lists versions with versioned ids in ascending version order', async () => {
      vault.setSecret('rotated', { value: 'old', version: 'f'.repeat(32) });
      vault.setSecret('rotated', { value: 'new', version: '0'.repeat(32) });
      const result = await kv('/secrets/rotated/versions?api-version=2025-07-01');
      const body = result.json as { value: Array<{ id: string }>; nextLink: null };
      assert.deepEqual(
        body.value.map((i) => i.id.split('/').slice(-2).join('/')),
        [`rotated/${'0'.repeat(32)}`, `rotated/${'f'.repeat(32)}`],
      );
      assert.equal(body.nextLink, null);
      const latest = await kv('/secrets/rotated/?api-version=2025-07-01');
      assert.equal(
        (latest.json as { value: string }).value,
        'new',
        'the newest version is the current one',
      );
    });
  });

  describe('secret bundles', () => {
    it('returns certificate-backed secrets with managed, kid and the recorded key order', async () => {
      vault.setSecret('my-cert', {
        value: 'PEM',
        contentType: 'application/x-pem-file',
        managed: true,
        nbf: 1,
        exp: 2,
      });
      const result = await kv('/secrets/my-cert/?api-version=2025-07-01');
      const body = result.json as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), [
        'value',
        'contentType',
        'id',
        'managed',
        'attributes',
        'kid',
      ]);
      const version = String(body.id).split('/').pop();
      assert.equal(body.kid, `https://data-kv.vault.azure.net/keys/my-cert/${version}`);
      assert.deepEqual(Object.keys(body.attributes as object), [
        'enabled',
        'nbf',
        'exp',
        'created',
        'updated',
        'recoveryLevel',
        'recoverableDays',
      ]);
      assert.deepEqual(
        (body.attributes as Record<string, unknown>).recoveryLevel,
        'Recoverable+Purgeable',
      );
    });

    it('returns expired and not-yet-valid secrets normally', async () => {
      vault.setSecret('expired', { value: 'e', exp: 1 });
      vault.setSecret('future', { value: 'f', nbf: 4_000_000_000 });
      assert.equal((await kv('/secrets/expired/?api-version=2025-07-01')).status, 200);
      assert.equal((await kv('/secrets/future/?api-version=2025-07-01')).status, 200);
    });

    it('sets a secret by PUT when the caller may, and denies it with the setSecret action otherwise', async () => {
      const body = JSON.stringify({
        value: 'written',
        contentType: 'text/plain',
        attributes: { enabled: true },
        tags: { a: 'b' },
      });
      const denied = await kv('/secrets/written?api-version=2025-07-01', { method: 'PUT', body });
      assert.equal(denied.status, 403);
      assert.match(
        (errorOf(denied) as { message: string }).message,
        /Action: 'Microsoft\.KeyVault\/vaults\/secrets\/setSecret\/action'/,
      );

      vault.grant(APP, ['set']);
      const written = await kv('/secrets/written?api-version=2025-07-01', { method: 'PUT', body });
      assert.equal(written.status, 200);
      assert.deepEqual(Object.keys(written.json as object), [
        'value',
        'contentType',
        'id',
        'attributes',
        'tags',
      ]);
      const read = await kv('/secrets/written/?api-version=2025-07-01');
      assert.equal((read.json as { value: string }).value, 'written');
    });

    it('reports the client address in x-ms-keyvault-network-info', async () => {
      const result = await kv('/secrets/db-password/?api-version=2025-07-01');
      assert.equal(
        result.headers['x-ms-keyvault-network-info'],
        'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;',
      );
    });
  });

  it('logs each request with its User-Agent and request id, and the answer with its headers', async () => {
    emulator.resetLog();
    const userAgent = 'KeyVaultSecretsTask/1.0.0 (org=o; build=7; attempt=1) azsdk-js-client';
    const result = await call(emulator, {
      host: vault.host,
      path: '/secrets/db-password/?api-version=2025-07-01',
      headers: {
        authorization: `Bearer ${token}`,
        'user-agent': userAgent,
        'x-ms-client-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e',
      },
    });
    const [logged] = emulator.requests;
    assert.equal(emulator.requests.length, 1);
    assert.equal(logged?.headers['user-agent'], userAgent);
    assert.equal(logged?.headers['x-ms-client-request-id'], '0f8fad5b-d9cb-469f-a165-70867728950e');
    // The log holds what was answered: echoed request id, Key Vault's own id, the grant, the address.
    assert.equal(
      logged?.responseHeaders['x-ms-client-request-id'],
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    assert.equal(logged?.responseHeaders['x-ms-request-id'], result.headers['x-ms-request-id']);
    assert.match(logged?.responseHeaders['x-ms-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(
      logged?.responseHeaders['x-ms-keyvault-rbac-assignment-id'],
      result.headers['x-ms-keyvault-rbac-assignment-id'],
    );
    assert.match(
      logged?.responseHeaders['x-ms-keyvault-rbac-assignment-id'] ?? '',
      /^[0-9a-f]{32}$/,
    );
    assert.equal(
      logged?.responseHeaders['x-ms-keyvault-network-info'],
      'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;',
    );
  });

  it('refuses vault names Key Vault would refuse', () => {
    assert.throws(
      () => emulator.addVault({ name: 'a--b-vault', tenantId: TENANT }),
      /Invalid vault name 'a--b-vault'/,
    );
    assert.throws(
      () => emulator.addVault({ name: '1vault', tenantId: TENANT }),
      /Invalid vault name/,
    );
    assert.throws(
      () => emulator.addVault({ name: 'data-kv', tenantId: TENANT }),
      /already serves host 'data-kv\.vault\.azure\.net'/,
    );
  });
});
