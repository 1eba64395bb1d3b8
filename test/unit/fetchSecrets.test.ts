import { strict as assert } from 'node:assert';
import { fetchSecrets } from '../../src/vault/fetchSecrets';
import type { SecretProperties, SecretRecord, SecretSource } from '../../src/vault/secretSource';
import { skipReason } from '../../src/secrets/validity';
import { secretProperties } from '../support/secretProperties';

const NOW = new Date('2026-11-27T12:00:00Z');

/** A Key Vault error as the SDK raises it: status, outer code, inner code, request id header. */
function vaultError(status: number, code: string, innerCode?: string): Error {
  return Object.assign(new Error(`${code} message`), {
    name: 'RestError',
    statusCode: status,
    code,
    details: innerCode ? { error: { code, innerError: { code: innerCode } } } : { error: { code } },
    response: {
      status,
      headers: { get: (n: string) => (n === 'x-ms-request-id' ? 'rid' : undefined) },
    },
  });
}

/** A vault held in memory: what tests of the fetch rules need, and nothing from the SDK. */
function fakeVault(values: Record<string, string | Error>, pages: SecretProperties[][] = []) {
  const log: string[] = [];
  let active = 0;
  let peak = 0;
  const source: SecretSource = {
    async get(name, version): Promise<SecretRecord> {
      log.push(version === undefined ? `get ${name}` : `get ${name}/${version}`);
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      active -= 1;
      const v = values[name];
      if (v === undefined) throw vaultError(404, 'SecretNotFound');
      if (v instanceof Error) throw v;
      return { value: v, properties: attr(name, { version: version ?? 'current' }) };
    },
    async *listPages(): AsyncIterable<SecretProperties[]> {
      for (const page of pages) {
        log.push(`page ${page.length}`);
        await new Promise((r) => setImmediate(r));
        yield page;
      }
    },
  };
  return { source, log, peak: () => peak };
}

const attr = secretProperties;

const reads = (...names: string[]) => names.map((name) => ({ name, version: undefined }));
const usable = (secret: SecretProperties): boolean => skipReason(secret, NOW) === undefined;

describe('fetchSecrets', () => {
  it('fetches named secrets in order, the first one alone, then at most `concurrency` at once', async () => {
    const values = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`s${i}`, `v${i}`]));
    const vault = fakeVault(values);
    const seen: string[] = [];
    const outcome = await fetchSecrets(
      vault.source,
      { reads: reads(...Object.keys(values)) },
      { concurrency: 3, onValue: (v) => seen.push(v) },
    );
    assert.deepEqual(
      outcome.secrets.map((s) => [s.read.name, s.value]),
      Object.entries(values),
    );
    assert.deepEqual(outcome.problems, []);
    assert.equal(vault.log[0], 'get s0');
    assert.equal(vault.peak(), 3);
    assert.deepEqual(seen.sort(), Object.values(values).sort());
  });

  it('collects every per-secret problem and keeps going', async () => {
    const vault = fakeVault({ a: '1', c: vaultError(403, 'Forbidden', 'SecretDisabled'), d: '4' });
    const outcome = await fetchSecrets(
      vault.source,
      { reads: reads('a', 'b', 'c', 'd') },
      { concurrency: 2, onValue: () => undefined },
    );
    assert.deepEqual(
      outcome.secrets.map((s) => s.read.name),
      ['a', 'd'],
    );
    assert.deepEqual(
      outcome.failures.map((f) => [f.problem.cause, f.problem.secretName]),
      [
        ['not-found', 'b'],
        ['disabled', 'c'],
      ],
    );
  });

  it('stops at the first vault-wide problem and reports it once', async () => {
    const denied = vaultError(403, 'Forbidden', 'ForbiddenByFirewall');
    const vault = fakeVault({ a: denied, b: denied, c: denied });
    const outcome = await fetchSecrets(
      vault.source,
      { reads: reads('a', 'b', 'c') },
      { concurrency: 2, onValue: () => undefined },
    );
    assert.deepEqual(vault.log, ['get a']);
    assert.deepEqual(
      outcome.problems.map((p) => [p.cause, p.secretName, p.vaultWide]),
      [['denied-by-firewall', 'a', true]],
    );
    assert.deepEqual(outcome.secrets, []);
  });

  it('lists once and reads what the listing filter keeps, across pages', async () => {
    const pages = [
      [],
      [attr('a'), attr('off', { enabled: false })],
      [
        attr('old', { expiresOn: new Date('2026-01-01T00:00:00Z') }),
        attr('later', { notBefore: new Date('2027-01-01T00:00:00Z') }),
      ],
      [attr('b', { expiresOn: new Date('2027-01-01T00:00:00Z') })],
    ];
    const vault = fakeVault({ a: 'A', b: 'B', off: 'x', old: 'x', later: 'x' }, pages);
    const outcome = await fetchSecrets(
      vault.source,
      { reads: [], fromListing: usable },
      { concurrency: 4, onValue: () => undefined },
    );
    assert.deepEqual(
      outcome.secrets.map((s) => [s.read.name, s.value]),
      [
        ['a', 'A'],
        ['b', 'B'],
      ],
    );
    assert.deepEqual(
      outcome.listed?.map((p) => p.name),
      ['a', 'off', 'old', 'later', 'b'],
    );
    assert.deepEqual(vault.log.filter((l) => l.startsWith('get')).sort(), ['get a', 'get b']);
    // The value of 'a' is requested before the page after it arrives: fetches overlap paging.
    assert.ok(vault.log.indexOf('get a') < vault.log.indexOf('page 1'), vault.log.join(' | '));
  });

  it('reports a listing failure as one vault-wide problem', async () => {
    const source: SecretSource = {
      get: () => Promise.reject(new Error('unused')),
      listPages: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.reject(vaultError(403, 'Forbidden', 'AccessDenied')),
        }),
      }),
    };
    const outcome = await fetchSecrets(
      source,
      { reads: [], fromListing: usable },
      { concurrency: 4, onValue: () => undefined },
    );
    assert.deepEqual(
      outcome.problems.map((p) => [p.cause, p.secretName]),
      [['denied-by-access-policy', undefined]],
    );
  });

  it('reports a cancelled run as timed out', async () => {
    const vault = fakeVault({ a: '1', b: '2' });
    const cancel = new AbortController();
    cancel.abort();
    const outcome = await fetchSecrets(
      vault.source,
      { reads: reads('a', 'b') },
      { concurrency: 2, onValue: () => undefined, signal: cancel.signal },
    );
    assert.deepEqual(vault.log, []);
    assert.deepEqual(
      outcome.problems.map((p) => p.cause),
      ['timed-out'],
    );
  });
});

describe('fetchSecrets: reads asked for by name and by listing', () => {
  it('reads a version by id and makes a repeated read once', async () => {
    const vault = fakeVault({ a: 'A' });
    const outcome = await fetchSecrets(
      vault.source,
      {
        reads: [
          { name: 'a', version: undefined },
          { name: 'A', version: undefined },
          { name: 'a', version: 'v1' },
        ],
      },
      { concurrency: 2, onValue: () => undefined },
    );
    assert.deepEqual(vault.log, ['get a', 'get a/v1']);
    assert.deepEqual(
      outcome.secrets.map((s) => [s.read.name, s.read.version, s.properties.version]),
      [
        ['a', undefined, 'current'],
        ['a', 'v1', 'v1'],
      ],
    );
    assert.equal(outcome.listed, undefined);
  });

  it('does not read a listed secret again when a read by name already reads it', async () => {
    const vault = fakeVault({ a: 'A', b: 'B' }, [[attr('A'), attr('b')]]);
    const outcome = await fetchSecrets(
      vault.source,
      { reads: reads('a'), fromListing: () => true },
      { concurrency: 2, onValue: () => undefined },
    );
    assert.deepEqual(vault.log, ['get a', 'page 2', 'get b']);
    assert.deepEqual(
      outcome.secrets.map((s) => s.read.name),
      ['a', 'b'],
    );
  });
});
