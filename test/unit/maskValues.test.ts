import { strict as assert } from 'node:assert';
import { isMultiLine, masksFor } from '../../src/publish/maskValues';

describe('masksFor', () => {
  // [case, value, what is registered]
  const table: Array<[string, string, string[]]> = [
    ['a single-line value, whole', 'p@ss;w]rd%', ['p@ss;w]rd%']],
    ['a single-line value of punctuation only: it is the secret', '}{', ['}{']],
    ['a one-character single-line value', 'x', ['x']],
    ['an empty value', '', []],
    ['a blank single-line value', '   ', []],
    [
      'a PEM value: every line, whatever the line ends, blank lines left out',
      '-----BEGIN KEY-----\r\nAAA\nBBB\rCCC\n\n  \n-----END KEY-----\n',
      ['-----BEGIN KEY-----', 'AAA', 'BBB', 'CCC', '-----END KEY-----'],
    ],
    [
      'a JSON value: braces, brackets and their commas are not registered',
      '{\n  "user": "svc",\n  "roles": [\n    "a1"\n  ],\n  "nested": {\n    "k": 1\n  },\n}',
      ['  "user": "svc",', '  "roles": [', '    "a1"', '  "nested": {', '    "k": 1'],
    ],
    ['structural lines of every kind', '{\n}\n  },\n];\n()\n<>\n""\n\'\n`\n:\nkey-1', ['key-1']],
    [
      'short lines that can be secret content stay: base64 tail, digits, symbols',
      'MIIB\nQ==\n7\n=\n-\n+/\n!',
      ['MIIB', 'Q==', '7', '=', '-', '+/', '!'],
    ],
    ['a password on its own line between braces', '{\nhunter2\n}', ['hunter2']],
    ['a repeated line once', 'x\nx\nx', ['x']],
    [
      'lines kept exactly as they are, spaces included',
      '  secret one  \n\tb2',
      ['  secret one  ', '\tb2'],
    ],
  ];
  for (const [label, value, masks] of table) {
    it(label, () => assert.deepEqual(masksFor(value), masks));
  }

  it('tells multi-line values apart', () => {
    assert.equal(isMultiLine('a\rb'), true);
    assert.equal(isMultiLine('a\nb'), true);
    assert.equal(isMultiLine('ab'), false);
  });
});
