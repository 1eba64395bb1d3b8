import { strict as assert } from 'node:assert';
import { code, escapeMarkdown, formatDate, table } from '../../src/report/markdown';

describe('report/markdown', () => {
  it('escapes what Markdown would read as syntax, and defuses logging commands', () => {
    assert.equal(
      escapeMarkdown('a|b *c* _d_ `e` [f](g) <h> & ~i~ $j$ \\k'),
      'a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) &lt;h&gt; &amp; \\~i\\~ \\$j\\$ \\\\k',
    );
    assert.equal(
      escapeMarkdown('x\r\n##vso[task.complete]y\u0007'),
      'x ##\\_vso\\[task.complete\\]y',
    );
  });

  it('puts plain ids in code spans, anything else as escaped text', () => {
    assert.equal(code('8f1c4e2a9b7d4c3e8a6f5b1d2c3e4f5a'), '`8f1c4e2a9b7d4c3e8a6f5b1d2c3e4f5a`');
    assert.equal(code('(org=o; build=1)'), '`(org=o; build=1)`');
    assert.equal(code('a`b|c'), 'a\\`b\\|c');
  });

  it('writes tables and dates', () => {
    assert.deepEqual(table(['A', 'B'], [['1', '2']]), ['| A | B |', '| --- | --- |', '| 1 | 2 |']);
    assert.equal(formatDate(new Date('2026-12-01T19:46:37.120Z')), '2026-12-01 19:46 UTC');
  });
});
