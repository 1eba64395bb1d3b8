import { strict as assert } from 'node:assert';
import { extractField } from '../../src/plan/jsonField';

const DOC = `{
  "user": "svc",
  "password": "p@ss\\"w\\\\rd\\u00e9\\n2",
  "port": 5432,
  "ratio": 1.50,
  "big": 12345678901234567890,
  "exp": 1E+3,
  "on": true,
  "off": false,
  "none": null,
  "list": [ 1, "two" ,{ "x" : 3 } ],
  "nested": { "a": { "b": "deep", "c": [ ] }, "s": "with  spaces { } [ ] , :" },
  "dup": "first",
  "dup": "last",
  "empty": ""
}`;

describe('extractField: exact values of JSON fields', () => {
  const cases: Array<[string, string]> = [
    ['user', 'svc'],
    ['password', 'p@ss"w\\rdé\n2'],
    ['port', '5432'],
    ['ratio', '1.50'],
    ['big', '12345678901234567890'],
    ['exp', '1E+3'],
    ['on', 'true'],
    ['off', 'false'],
    ['none', 'null'],
    ['list', '[1,"two",{"x":3}]'],
    ['nested', '{"a":{"b":"deep","c":[]},"s":"with  spaces { } [ ] , :"}'],
    ['nested.a.b', 'deep'],
    ['nested.a.c', '[]'],
    ['dup', 'last'],
    ['empty', ''],
  ];
  for (const [path, value] of cases) {
    it(`${path} → ${JSON.stringify(value)}`, () => {
      assert.deepEqual(extractField(DOC, path.split('.')), { ok: true, value });
    });
  }

  it('keeps escapes as written inside compact objects', () => {
    assert.deepEqual(extractField('{"o": {"k" : "a\\u0041 \\"b\\""}}', ['o']), {
      ok: true,
      value: '{"k":"a\\u0041 \\"b\\""}',
    });
  });

  it('says which step failed, never the value', () => {
    assert.deepEqual(extractField('not json at all', ['x']), {
      ok: false,
      reason: 'not-json',
      at: [],
    });
    assert.deepEqual(extractField('"a string"', ['x']), {
      ok: false,
      reason: 'not-object',
      at: [],
    });
    assert.deepEqual(extractField('[1,2]', ['0']), { ok: false, reason: 'not-object', at: [] });
    assert.deepEqual(extractField('null', ['x']), { ok: false, reason: 'not-object', at: [] });
    assert.deepEqual(extractField(DOC, ['nested', 'b']), {
      ok: false,
      reason: 'missing',
      at: ['nested', 'b'],
    });
    assert.deepEqual(extractField(DOC, ['user', 'x']), {
      ok: false,
      reason: 'not-object',
      at: ['user'],
    });
    assert.deepEqual(extractField(DOC, ['list', '0']), {
      ok: false,
      reason: 'not-object',
      at: ['list'],
    });
    assert.deepEqual(extractField('{"toString": 1}', ['constructor']), {
      ok: false,
      reason: 'missing',
      at: ['constructor'],
    });
  });
});
