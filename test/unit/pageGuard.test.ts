import { strict as assert } from 'node:assert';
import { createPageGuard, MAX_PAGES } from '../../src/vault/pageGuard';

const VAULT = 'https://contoso-kv.vault.azure.net';
const link = (token: string, origin = 'https://contoso-kv.vault.azure.net:443'): string =>
  `${origin}/secrets?api-version=2026-04-01&$skiptoken=${token}`;

describe('createPageGuard: which nextLink may be followed', () => {
  const cases: Array<[string, string, ReturnType<ReturnType<typeof createPageGuard>['accept']>]> = [
    ["the vault's own origin, port 443 written out", link('a'), { ok: true }],
    ["the vault's own origin, no port", link('a', VAULT), { ok: true }],
    ['host in another case', link('a', 'https://CONTOSO-KV.vault.azure.net'), { ok: true }],
    [
      'another vault',
      link('a', 'https://other-kv.vault.azure.net'),
      { ok: false, reason: 'foreign-origin', origin: 'https://other-kv.vault.azure.net' },
    ],
    [
      'Azure DevOps',
      link('a', 'https://dev.azure.com'),
      { ok: false, reason: 'foreign-origin', origin: 'https://dev.azure.com' },
    ],
    [
      'localhost',
      link('a', 'https://localhost:8443'),
      { ok: false, reason: 'foreign-origin', origin: 'https://localhost:8443' },
    ],
    [
      'plain http to the vault host',
      link('a', 'http://contoso-kv.vault.azure.net'),
      { ok: false, reason: 'foreign-origin', origin: 'http://contoso-kv.vault.azure.net' },
    ],
    [
      'another port on the vault host',
      link('a', 'https://contoso-kv.vault.azure.net:8443'),
      { ok: false, reason: 'foreign-origin', origin: 'https://contoso-kv.vault.azure.net:8443' },
    ],
    [
      'a vault name as a prefix of another host',
      link('a', 'https://contoso-kv.vault.azure.net.evil.example'),
      {
        ok: false,
        reason: 'foreign-origin',
        origin: 'https://contoso-kv.vault.azure.net.evil.example',
      },
    ],
    [
      'not a URL',
      'secrets?$skiptoken=a',
      { ok: false, reason: 'foreign-origin', origin: '(not a URL)' },
    ],
  ];
  for (const [label, nextLink, verdict] of cases) {
    it(label, () => assert.deepEqual(createPageGuard(VAULT).accept(nextLink), verdict));
  }

  it('refuses a link seen before, however its port is written', () => {
    const guard = createPageGuard(VAULT);
    assert.deepEqual(guard.accept(link('a')), { ok: true });
    assert.deepEqual(guard.accept(link('b')), { ok: true });
    assert.deepEqual(guard.accept(link('a', VAULT)), { ok: false, reason: 'loop' });
    assert.equal(guard.pages, 3);
  });

  it('refuses a listing past its page bound, counting the first page', () => {
    const guard = createPageGuard(VAULT, 3);
    assert.deepEqual(guard.accept(link('1')), { ok: true });
    assert.deepEqual(guard.accept(link('2')), { ok: true });
    assert.deepEqual(guard.accept(link('3')), { ok: false, reason: 'limit' });
  });

  it('bounds listings far beyond any vault (25 per page)', () => {
    assert.equal(MAX_PAGES, 10_000);
  });
});
