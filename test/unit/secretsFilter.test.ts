import { strict as assert } from 'node:assert';
import { parseSecretsFilter, MAX_FILTER_ENTRIES } from '../../src/config/secretsFilter';

/** The selection in the shape these cases were written for: `*`, or the names in order. */
function legacy(raw: string | undefined): unknown {
  const result = parseSecretsFilter(raw);
  if ('errors' in result) return result;
  const { exact, patterns } = result.selection;
  return patterns.length > 0
    ? { selection: { kind: 'all' } }
    : { selection: { kind: 'named', names: exact.map((e) => e.secretName) } };
}

describe('parseSecretsFilter', () => {
  it('reads * as every secret', () => {
    assert.deepEqual(legacy('*'), { selection: { kind: 'all' } });
    assert.deepEqual(legacy('  *  '), { selection: { kind: 'all' } });
  });

  it('reads names, trimmed, in order, ignoring empty entries as AzureKeyVault@2 does', () => {
    assert.deepEqual(legacy(' db-password , ApiKey,,token-1, '), {
      selection: { kind: 'named', names: ['db-password', 'ApiKey', 'token-1'] },
    });
  });

  it('accepts a 127-character name and refuses a 128-character one', () => {
    const ok = 'a'.repeat(127);
    assert.deepEqual(legacy(ok), { selection: { kind: 'named', names: [ok] } });
    const result = parseSecretsFilter('b'.repeat(128));
    assert.ok('errors' in result);
    assert.equal(result.errors.length, 1);
    assert.match(
      result.errors[0] ?? '',
      /^SecretsFilter entry 'b{80}…' is not a valid Key Vault secret name/,
    );
  });

  for (const empty of [undefined, '', '   ', ',', ' , ,']) {
    it(`refuses an empty filter (${JSON.stringify(empty)})`, () => {
      assert.deepEqual(legacy(empty), {
        errors: [
          "SecretsFilter is empty. Set it to '*' for every enabled secret of the vault, or to a comma-separated list of secret names.",
        ],
      });
    });
  }

  it('refuses * mixed with names', () => {
    const result = parseSecretsFilter('*,db');
    assert.ok('errors' in result);
    assert.match(result.errors[0] ?? '', /mixes '\*' with secret names/);
  });

  it('reports every bad name and every duplicate at once, quoting them defused', () => {
    const result = parseSecretsFilter('a_b,ok,OK,##vso[task.complete]x,line\nbreak,ok');
    assert.deepEqual(result, {
      errors: [
        "SecretsFilter entry 'a_b' is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
        "SecretsFilter names the secret 'OK' more than once (as 'ok'; Key Vault names ignore case). Remove the duplicate.",
        "SecretsFilter entry '##_vso[task.complete]x' is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
        "SecretsFilter entry 'line\\u000abreak' is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
        "SecretsFilter names the secret 'ok' more than once. Remove the duplicate.",
      ],
    });
  });

  it('refuses a filter with more entries than the limit', () => {
    const many = Array.from({ length: MAX_FILTER_ENTRIES + 1 }, (_, i) => `s${i}`).join(',');
    const result = parseSecretsFilter(many);
    assert.deepEqual(result, {
      errors: [
        `SecretsFilter lists ${MAX_FILTER_ENTRIES + 1} entries; at most ${MAX_FILTER_ENTRIES} are accepted. Use '*' to fetch every enabled secret.`,
      ],
    });
  });
});
