import { strict as assert } from 'node:assert';
import { parseVaultName } from '../../src/config/vaultName';

describe('parseVaultName', () => {
  const ok = (raw: string, suffix = 'vault.azure.net'): string => {
    const result = parseVaultName(raw, suffix);
    assert.ok('name' in result, JSON.stringify(result));
    return result.name;
  };
  const error = (raw: string | undefined, suffix = 'vault.azure.net'): string => {
    const result = parseVaultName(raw, suffix);
    assert.ok('error' in result, JSON.stringify(result));
    return result.error;
  };

  it('accepts valid names, lower-cased', () => {
    assert.equal(ok('contoso-kv'), 'contoso-kv');
    assert.equal(ok('Abc'), 'abc');
    assert.equal(ok('a'.repeat(24)), 'a'.repeat(24));
  });

  it('accepts the vault URL or host of the same cloud', () => {
    assert.equal(ok('https://contoso-kv.vault.azure.net/'), 'contoso-kv');
    assert.equal(ok('contoso-kv.vault.azure.net'), 'contoso-kv');
    assert.equal(ok('https://Contoso-KV.vault.azure.net:443'), 'contoso-kv');
    assert.equal(
      ok('https://gov-kv.vault.usgovcloudapi.net/', 'vault.usgovcloudapi.net'),
      'gov-kv',
    );
  });

  it('refuses a URL of another cloud, naming the expected suffix', () => {
    assert.equal(
      error('https://contoso-kv.vault.azure.cn/'),
      "KeyVaultName 'https://contoso-kv.vault.azure.cn/' is not a vault name, nor a vault URL in this cloud (*.vault.azure.net). Set it to the vault's name only, e.g. contoso-kv.",
    );
  });

  it('refuses empty input', () => {
    assert.equal(
      error(undefined),
      'KeyVaultName is empty. Set it to the name of the key vault, e.g. contoso-kv.',
    );
    assert.equal(
      error('  '),
      'KeyVaultName is empty. Set it to the name of the key vault, e.g. contoso-kv.',
    );
  });

  for (const bad of [
    'ab',
    'a'.repeat(25),
    '1abc',
    'abc-',
    'ab--cd',
    'ab_cd',
    'ab cd',
    'ab\u00e9c',
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.match(
        error(bad),
        /^KeyVaultName '.*' is not a valid key vault name: names have 3 to 24 characters/,
      );
    });
  }
});
