/**
 * The emulator against real Key Vault traffic (test/fixtures/recordings, see its README): each
 * vault is seeded with what a recording created, every replayable request is sent again, and the
 * answer must match the recorded one in status, body shape and key order, error texts and the
 * headers that matter. Dates, request ids, region and items per page are not compared; listings
 * follow the emulator's own nextLinks (recorded $skiptoken values are sanitised).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { startAzure } from './index';
import { call, getToken, type CallResult } from './testClient';
import type { AzureEmulator, EmulatedVault, SecretSeed } from './types';
import { createVaultCertificate, type VaultCertificate } from './vaultCertificates';

interface Entry {
  RequestUri: string;
  RequestMethod: string;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Item = { id: string; [key: string]: Json };

const RECORDINGS = join(__dirname, '..', 'fixtures', 'recordings');
const RECORDED_BODY_HOST = 'keyvault_name.vault.azure.net';
const TENANT = '7c3b1e53-3f1a-4d7e-9a55-0f1e2d3c4b5a';
const APP = '0f5e4d3c-2b1a-4c9d-8e7f-6a5b4c3d2e1f';
const SECRET = 'fidelity-client-secret';
const FIXED_HEADERS = [
  'cache-control',
  'pragma',
  'expires',
  'strict-transport-security',
  'x-content-type-options',
];
const CHALLENGE =
  /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/([^"/]+)", resource="https:\/\/vault\.azure\.net"$/;
const NETWORK_INFO = /^conn_type=Ipv4;addr=[0-9.]+;act_addr_fam=InterNetwork;$/;

const files = readdirSync(RECORDINGS)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('emulator fidelity against recorded Key Vault traffic', () => {
  let emulator: AzureEmulator;
  let token: string;

  before(async () => {
    emulator = await startAzure();
    emulator.addServicePrincipal({ tenantId: TENANT, appId: APP, secrets: [SECRET] });
    token = await getToken(emulator, TENANT, APP, SECRET);
  });
  after(() => emulator.close());

  it('has recordings to compare against', () => {
    assert.ok(files.length >= 8, `expected the recordings in ${RECORDINGS}`);
  });

  files.forEach((file, index) => {
    const entries = (
      JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8')) as { Entries: Entry[] }
    ).Entries;
    // File B (certificates) comes from an access-policy vault with 90-day retention; files A from
    // an RBAC vault with 7-day retention (recordings README).
    const accessPolicy = file.startsWith('certificates.');

    describe(file, () => {
      let vault: EmulatedVault;
      let host: string;

      before(() => {
        vault = emulator.addVault({
          name: `rec${index}-kv`,
          tenantId: TENANT,
          accessModel: accessPolicy ? 'accessPolicy' : 'rbac',
          softDeleteRetentionDays: accessPolicy ? 90 : 7,
          leadingEmptyPages: 2,
        });
        host = vault.host;
        seed(vault, entries);
        vault.grant(APP, ['get', 'list']);
      });

      entries.forEach((entry, i) => {
        const uri = new URL(entry.RequestUri);
        const tokenless = entry.StatusCode === 401;
        const replayable =
          tokenless ||
          (entry.RequestMethod === 'GET' &&
            uri.pathname.startsWith('/secrets') &&
            uri.searchParams.get('$skiptoken') !== 'Sanitized');
        if (!replayable) return;

        it(`#${i} ${entry.RequestMethod} ${uri.pathname} → ${entry.StatusCode}`, async () => {
          const clientRequestId = randomUUID();
          // Live traffic percent-encodes the key (docs/azure-protocols.md §2); the test proxy normalised it.
          const query = uri.search.replace('api-version=', 'api%2Dversion=');
          const result = await call(emulator, {
            host,
            method: entry.RequestMethod,
            path: `${uri.pathname}${query}`,
            headers: {
              'x-ms-client-request-id': clientRequestId,
              ...(tokenless ? { 'content-length': '0' } : { authorization: `Bearer ${token}` }),
            },
          });

          assert.equal(result.status, entry.StatusCode, result.text);
          compareHeaders(entry, result, clientRequestId);
          const recorded = withHost(entry.ResponseBody, host);
          const isListing = Array.isArray((recorded as { value?: unknown } | null)?.value);
          if (!isListing) {
            assertSameShape(result.json, recorded);
            assert.deepEqual(result.json, recorded); // ids, values, error code/inner code/message
            return;
          }

          // A listing: follow the emulator's own nextLinks to the end, page by page.
          const recordedItems = itemsById(entries, host);
          const listed: string[] = [];
          let page = result;
          for (let pages = 1; ; pages++) {
            assert.ok(pages < 500, 'the listing does not end');
            const body = page.json as { value: Item[]; nextLink: string | null };
            assert.deepEqual(Object.keys(body), ['value', 'nextLink']);
            for (const item of body.value) {
              const twin = recordedItems.get(item.id);
              assert.ok(twin, `listed an item the recording does not have: ${item.id}`);
              assertSameShape(item, twin);
              assert.deepEqual(item, twin);
              assert.equal('value' in item, false);
              listed.push(item.id);
            }
            if (body.nextLink === null) break;
            const recordedLink = recordedNextLink(entries, uri.pathname);
            if (recordedLink) {
              assert.equal(
                body.nextLink.replace(/\$skiptoken=[^&]+/, '$skiptoken=Sanitized'),
                withHost(recordedLink, host),
              );
            }
            const next = new URL(body.nextLink);
            assert.equal(next.port, '', 'an explicit :443 is the default port');
            assert.match(body.nextLink, new RegExp(`^https://${host.replace(/\./g, '\\.')}:443/`));
            page = await call(emulator, {
              host: next.hostname,
              path: `${next.pathname}${next.search}`,
              headers: {
                authorization: `Bearer ${token}`,
                'x-ms-client-request-id': clientRequestId,
              },
            });
            assert.equal(page.status, 200, page.text);
            compareHeaders(entry, page, clientRequestId);
          }
          const expected = [...recordedItems.keys()].filter((id) =>
            sameCollection(id, uri.pathname, host),
          );
          assert.deepEqual([...listed].sort(), [...expected].sort());
          const names = listed.map((id) => id.split('/').slice(4).join('/'));
          assert.deepEqual(
            names,
            [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
          );
        });
      });
    });
  });
});

/**
 * Certificate-backed secrets beyond what was recorded: the recorded PEM certificate secret
 * (certificates recording, #8) is the template for the body of every certificate secret, and the
 * recorded 400 (outcontenttype recording) the template for refused conversions.
 */
describe('emulator fidelity: certificate-backed secrets and outContentType', () => {
  const recording = (name: string): Entry[] =>
    (JSON.parse(readFileSync(join(RECORDINGS, name), 'utf8')) as { Entries: Entry[] }).Entries;
  const certificateEntries = recording(
    'certificates.recording_can_get_a_certificates_secret_in_pem_format.json',
  );
  const recordedPem = certificateEntries.find(
    (e) => e.StatusCode === 200 && e.RequestUri.includes('/secrets/'),
  ) as Entry;
  const recordedBody = recordedPem.ResponseBody as Record<string, Json>;
  const recordedRefusal = recording(
    'outcontenttype.recording_getsecret_with_outcontenttypeeqpem_does_not_throw_for_a_secret_with_contenttype_pfx.json',
  ).find((e) => e.StatusCode === 400) as Entry;

  let emulator: AzureEmulator;
  let token: string;
  let vault: EmulatedVault;
  let certificate: VaultCertificate;
  let pfxVersion: string;
  let pemVersion: string;
  const PEM_NAME = 'CRUDCertificateName-cangetacertificatessecretinPEMformat-';

  before(async () => {
    emulator = await startAzure();
    emulator.addServicePrincipal({ tenantId: TENANT, appId: APP, secrets: [SECRET] });
    token = await getToken(emulator, TENANT, APP, SECRET);
    vault = emulator.addVault({ name: 'certs-kv', tenantId: TENANT, accessModel: 'accessPolicy' });
    vault.grant(APP, ['get', 'list']);
    certificate = await createVaultCertificate({ key: 'ECDSA' });
    const attributes = recordedBody.attributes as Record<string, number>;
    pfxVersion = vault.setSecret('signing-cert', {
      value: certificate.pfxBase64,
      contentType: 'application/x-pkcs12',
      managed: true,
      nbf: attributes.nbf,
      exp: attributes.exp,
    });
    const [, , , , , version] = (recordedBody.id as string).split('/');
    pemVersion = vault.setSecret(PEM_NAME, {
      ...seedOf(recordedBody, recordedBody.value as string),
      version: version as string,
    });
  });
  after(() => emulator.close());

  const get = (path: string): Promise<CallResult> =>
    call(emulator, { host: vault.host, path, headers: { authorization: `Bearer ${token}` } });

  it('serves the recorded PEM certificate secret as recorded: managed, with its kid', async () => {
    const result = await get(`/secrets/${PEM_NAME}/?api-version=2025-07-01`);
    assert.equal(result.status, 200);
    assert.deepEqual(result.json, withHost(recordedBody, vault.host));
    assert.equal(pemVersion.length, 32);
  });

  it('serves a PFX certificate secret in the recorded shape, base64 value, kid to the key', async () => {
    const result = await get(`/secrets/signing-cert/?api-version=2025-07-01`);
    assert.equal(result.status, 200);
    const body = result.json as Record<string, Json>;
    assertSameShape(body, recordedBody);
    assert.equal(body.value, certificate.pfxBase64);
    assert.equal(body.contentType, 'application/x-pkcs12');
    assert.equal(body.managed, true);
    assert.equal(body.id, `https://${vault.host}/secrets/signing-cert/${pfxVersion}`);
    assert.equal(body.kid, `https://${vault.host}/keys/signing-cert/${pfxVersion}`);
  });

  it('converts a PFX certificate secret to PEM for outContentType: key first, then the chain', async () => {
    const result = await get(
      `/secrets/signing-cert/${pfxVersion}?api-version=2025-07-01&outContentType=application%2Fx-pem-file`,
    );
    assert.equal(result.status, 200, result.text);
    const body = result.json as Record<string, Json>;
    assertSameShape(body, recordedBody);
    assert.equal(body.contentType, 'application/x-pem-file');
    const pem = body.value as string;
    const blocks = [...pem.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]);
    assert.deepEqual(blocks, ['PRIVATE KEY', 'CERTIFICATE', 'CERTIFICATE']);
    assert.ok(pem.endsWith('-----END CERTIFICATE-----\n'));
    assert.equal(pem.includes('\r'), false);
    const [leafPem, issuerPem] = pem.split(/(?=-----BEGIN CERTIFICATE-----)/).slice(1);
    assert.ok(new X509Certificate(leafPem as string).raw.equals(certificate.leafDer));
    assert.ok(new X509Certificate(issuerPem as string).raw.equals(certificate.issuerDer));
    const key = createPrivateKey(pem);
    assert.ok(key.export({ type: 'pkcs8', format: 'der' }).equals(certificate.privateKeyDer));
  });

  it('ignores outContentType on api-versions before 2025-07-01', async () => {
    const result = await get(
      `/secrets/signing-cert/?api-version=7.5&outContentType=application%2Fx-pem-file`,
    );
    assert.equal(result.status, 200);
    assert.equal((result.json as { value: string }).value, certificate.pfxBase64);
  });

  it('returns a PEM certificate secret asked for PEM as stored, and refuses PEM to PFX', async () => {
    const same = await get(
      `/secrets/${PEM_NAME}/?api-version=2025-07-01&outContentType=application%2Fx-pem-file`,
    );
    assert.deepEqual(same.json, withHost(recordedBody, vault.host));
    const refused = await get(
      `/secrets/${PEM_NAME}/?api-version=2025-07-01&outContentType=application%2Fx-pkcs12`,
    );
    assert.equal(refused.status, 400);
    assertSameShape(refused.json, recordedRefusal.ResponseBody);
    assert.deepEqual(refused.json, {
      error: {
        code: 'BadParameter',
        message:
          "The 'PEM' to 'PFX' transformation is not supported. Only PFX to PEM transformation is supported.",
      },
    });
  });

  it('refuses outContentType on a secret that is not a certificate, as recorded', async () => {
    vault.setSecret('plain', { value: 'x', contentType: 'application/x-pkcs12' });
    const result = await get(
      `/secrets/plain/?api-version=2025-07-01&outContentType=application%2Fx-pem-file`,
    );
    assert.equal(result.status, 400);
    assert.deepEqual(result.json, recordedRefusal.ResponseBody);
  });
});

/** Seeds every secret version the recording shows: bundles from set/get answers, items from lists. */
function seed(vault: EmulatedVault, entries: Entry[]): void {
  const seen = new Set<string>();
  const add = (id: string, seedData: SecretSeed): void => {
    const [, , , , name, version] = id.split('/');
    if (!name) return;
    const key = `${name.toLowerCase()}/${version ?? '*'}`;
    const anyVersion = [...seen].some((k) => k.startsWith(`${name.toLowerCase()}/`));
    if (seen.has(key) || (version === undefined && anyVersion)) return;
    seen.add(key);
    vault.setSecret(name, { ...seedData, ...(version && { version }) });
  };
  for (const entry of entries) {
    if (entry.StatusCode !== 200 || !isObject(entry.ResponseBody)) continue;
    const body = entry.ResponseBody;
    if (
      typeof body.value === 'string' &&
      typeof body.id === 'string' &&
      body.id.includes('/secrets/')
    ) {
      add(body.id, seedOf(body, body.value));
    } else if (Array.isArray(body.value)) {
      for (const item of body.value)
        if (isObject(item) && typeof item.id === 'string') add(item.id, seedOf(item, 'x'));
    }
  }
}

function seedOf(body: Record<string, unknown>, value: string): SecretSeed {
  const a = (body.attributes ?? {}) as Record<string, number | boolean>;
  return {
    value,
    enabled: a.enabled as boolean,
    ...(a.nbf !== undefined && { nbf: a.nbf as number }),
    ...(a.exp !== undefined && { exp: a.exp as number }),
    created: a.created as number,
    updated: a.updated as number,
    ...(typeof body.contentType === 'string' && { contentType: body.contentType }),
    ...(body.managed === true && { managed: true }),
    ...(isObject(body.tags) && { tags: body.tags as Record<string, string> }),
  };
}

/** Every list item of the recording, by id with the emulator's host (last sighting wins). */
function itemsById(entries: Entry[], host: string): Map<string, Item> {
  const items = new Map<string, Item>();
  for (const entry of entries) {
    const body = entry.ResponseBody;
    if (entry.StatusCode !== 200 || !isObject(body) || !Array.isArray(body.value)) continue;
    for (const item of withHost(body.value, host) as Item[]) items.set(item.id, item);
  }
  return items;
}

/** Whether an item id belongs to the listing at `path` (/secrets or /secrets/{name}/versions). */
function sameCollection(id: string, path: string, host: string): boolean {
  const segments = new URL(id).pathname.split('/').filter(Boolean);
  if (path === '/secrets') return segments.length === 2 && new URL(id).host === host;
  const name = path.split('/')[2] ?? '';
  return segments.length === 3 && segments[1]?.toLowerCase() === name.toLowerCase();
}

function recordedNextLink(entries: Entry[], path: string): string | undefined {
  for (const entry of entries) {
    const body = entry.ResponseBody;
    if (!isObject(body) || typeof body.nextLink !== 'string') continue;
    if (new URL(body.nextLink).pathname === path) return body.nextLink;
  }
  return undefined;
}

function compareHeaders(entry: Entry, result: CallResult, clientRequestId: string): void {
  const recorded = Object.fromEntries(
    Object.entries(entry.ResponseHeaders).map(([k, v]) => [k.toLowerCase(), v]),
  );
  for (const name of Object.keys(recorded)) {
    if (name === 'x-ms-keyvault-rbac-assignment-id' || name === 'www-authenticate') continue; // below
    assert.ok(name in result.headers, `header ${name} is missing`);
  }
  for (const name of FIXED_HEADERS) assert.equal(result.headers[name], recorded[name], name);
  assert.equal(result.headers['content-type'], recorded['content-type']);
  assert.equal(result.headers['x-ms-client-request-id'], clientRequestId);
  assert.match(result.headers['x-ms-keyvault-network-info'] ?? '', NETWORK_INFO);
  assert.match(recorded['x-ms-keyvault-network-info'] ?? '', NETWORK_INFO);

  const recordedChallenge = recorded['www-authenticate'];
  const challenge = result.headers['www-authenticate'];
  assert.equal(
    challenge !== undefined,
    recordedChallenge !== undefined,
    'WWW-Authenticate presence',
  );
  if (recordedChallenge !== undefined) {
    assert.match(recordedChallenge, CHALLENGE);
    assert.equal(CHALLENGE.exec(challenge ?? '')?.[1], TENANT, `challenge: ${challenge}`);
  }

  const recordedAssignment = recorded['x-ms-keyvault-rbac-assignment-id'];
  const assignment = result.headers['x-ms-keyvault-rbac-assignment-id'];
  assert.equal(
    assignment !== undefined,
    recordedAssignment !== undefined,
    'RBAC assignment header presence',
  );
  if (assignment !== undefined) assert.match(assignment, /^[0-9a-f]{32}$/);
}

/** Same JSON types, same keys in the same order, recursively (array items against recorded ones). */
function assertSameShape(actual: unknown, recorded: unknown, path = '$'): void {
  assert.equal(typeName(actual), typeName(recorded), `${path}: type`);
  if (Array.isArray(actual) && Array.isArray(recorded)) {
    const template: unknown = (recorded as unknown[])[0];
    if (template !== undefined)
      actual.forEach((item, i) => assertSameShape(item, template, `${path}[${i}]`));
  } else if (isObject(actual) && isObject(recorded)) {
    assert.deepEqual(Object.keys(actual), Object.keys(recorded), `${path}: keys and their order`);
    for (const key of Object.keys(recorded))
      assertSameShape(actual[key], recorded[key], `${path}.${key}`);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function withHost<T>(value: T, host: string): T {
  return JSON.parse(
    JSON.stringify(value ?? null)
      .split(RECORDED_BODY_HOST)
      .join(host),
  ) as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
