import { strict as assert } from 'node:assert';
import { neutraliseCommands, quote } from '../../src/report/safeText';

describe('safe text', () => {
  it('defuses logging commands anywhere, in any case', () => {
    assert.equal(
      neutraliseCommands('a ##vso[task.setvariable variable=x]y ##VSO[task.complete]'),
      'a ##_vso[task.setvariable variable=x]y ##_vso[task.complete]',
    );
  });
  it('quotes on one line, escaping control characters and cutting long text', () => {
    assert.equal(quote('a\r\nb\tc'), "'a\\u000d\\u000ab\\u0009c'");
    assert.equal(quote('x'.repeat(100), 10), `'${'x'.repeat(10)}…'`);
    assert.equal(quote('##vso[task.issue]'), "'##_vso[task.issue]'");
  });
});
