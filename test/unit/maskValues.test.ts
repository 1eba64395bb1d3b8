import { strict as assert } from 'node:assert';
import { isMultiLine, masksFor } from '../../src/publish/maskValues';

describe('masksFor', () => {
  it('masks a single-line value whole', () => {
    assert.deepEqual(masksFor('p@ss;w]rd%'), ['p@ss;w]rd%']);
  });
  it('masks every non-blank line of a multi-line value, whatever the line ends', () => {
    assert.deepEqual(masksFor('-----BEGIN KEY-----\r\nAAA\nBBB\rCCC\n\n  \n-----END KEY-----\n'), [
      '-----BEGIN KEY-----',
      'AAA',
      'BBB',
      'CCC',
      '-----END KEY-----',
    ]);
  });
  it('registers a repeated line once and nothing for an empty value', () => {
    assert.deepEqual(masksFor('x\nx\nx'), ['x']);
    assert.deepEqual(masksFor(''), []);
  });
  it('tells multi-line values apart', () => {
    assert.equal(isMultiLine('a\rb'), true);
    assert.equal(isMultiLine('a\nb'), true);
    assert.equal(isMultiLine('ab'), false);
  });
});
