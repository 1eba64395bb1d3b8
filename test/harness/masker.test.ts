import assert from 'node:assert/strict';

import { backslashEscape, jsonStringEscape, SecretMasker, uriDataEscape } from './masker';

describe('harness/masker (legacy agent masker, docs/agent-interface.md §6)', () => {
  it('JSON string escape matches Newtonsoft, without quotes', () => {
    assert.equal(
      jsonStringEscape('cr\r_lf\n_tab\t_bs\\_dq"_nul\u0000_ls\u2028_é'),
      'cr\\r_lf\\n_tab\\t_bs\\\\_dq\\"_nul\\u0000_ls\\u2028_é',
    );
  });

  it('URI data escape is Uri.EscapeDataString: unreserved set only, upper-case hex', () => {
    assert.equal(uriDataEscape("a b!'()*~-_.é/"), 'a%20b%21%27%28%29%2A~-_.%C3%A9%2F');
    assert.equal(uriDataEscape('x\uD800y'), 'x%EF%BF%BDy');
  });

  it('backslash escape unescapes \\\\, \\\', \\" and \\t', () => {
    assert.equal(backslashEscape(String.raw`abc\\def\'\"ghi\t`), 'abc\\def\'"ghi\t');
  });

  it('masks the value and its three encoded forms, nothing else', () => {
    const masker = new SecretMasker();
    masker.addValue('p@ss "w" /x');
    assert.equal(masker.maskSecrets('a p@ss "w" /x b'), 'a *** b');
    assert.equal(masker.maskSecrets('json p@ss \\"w\\" /x'), 'json ***');
    assert.equal(masker.maskSecrets('uri p%40ss%20%22w%22%20%2Fx'), 'uri ***');
    const base64 = Buffer.from('p@ss "w" /x').toString('base64');
    assert.equal(masker.maskSecrets(base64), base64, 'no base64 for run-time secrets');
  });

  it('ignores empty values', () => {
    const masker = new SecretMasker();
    masker.addValue('');
    assert.equal(masker.maskSecrets('anything'), 'anything');
    assert.deepEqual(masker.registered, []);
  });

  it('masks the longest match: overlapping and touching matches merge into one ***', () => {
    const masker = new SecretMasker();
    masker.addValue('abc');
    masker.addValue('abcdef');
    masker.addValue('ghi');
    assert.equal(masker.maskSecrets('x abcdef y'), 'x *** y');
    assert.equal(masker.maskSecrets('x abcdefghi y'), 'x *** y');
    assert.equal(masker.maskSecrets('abc abc'), '*** ***');
    masker.addValue('aa');
    assert.equal(masker.maskSecrets('aaa'), '***');
  });

  it('masks a line against 5,000 values with the same rules: longest, overlapping, touching', () => {
    const masker = new SecretMasker();
    for (let i = 0; i < 5000; i++) masker.addValue(`#${i}#`);
    // Each value and its URI form (%23…%23); the JSON and backslash forms are the value itself.
    assert.equal(masker.registered.length, 10_000);
    assert.equal(
      masker.maskSecrets('a #1234# b #12#34#5000# c #49999# d %2342%23 e #1#2# f #1##2# g'),
      'a *** b ***5000# c #49999# d *** e *** f *** g',
    );
  });

  it('masks each line on its own: a multi-line value never matches across lines', () => {
    const masker = new SecretMasker();
    masker.addValue('line1\nline2');
    const output = 'line1\nline2';
    const perLine = output.split('\n').map((line) => masker.maskSecrets(line));
    assert.deepEqual(perLine, ['line1', 'line2']);
    masker.addValue('line1');
    masker.addValue('line2');
    assert.deepEqual(
      output.split('\n').map((line) => masker.maskSecrets(line)),
      ['***', '***'],
    );
  });

  it('masks the password of scheme://user:pass@host', () => {
    const masker = SecretMasker.forAgent();
    assert.equal(
      masker.maskSecrets('https://user:pa$$;word@example.com'),
      'https://user:***@example.com',
    );
    assert.equal(
      masker.maskSecrets('https://user@example.com:443/a@b'),
      'https://user@example.com:443/a@b',
    );
  });
});
