import { strict as assert } from 'node:assert';
import { firstOfEachName } from '../../src/vault/uniqueNames';

describe('firstOfEachName', () => {
  const cases: Array<[string[], string[]]> = [
    [
      ['good', 'other', 'good', 'GOOD'],
      ['good', 'other'],
    ],
    [['GOOD', 'good'], ['GOOD']],
    [
      ['a-b', 'A-B', 'a-c'],
      ['a-b', 'a-c'],
    ],
    [['x'], ['x']],
    [[], []],
  ];
  for (const [listed, kept] of cases) {
    it(`${JSON.stringify(listed)} -> ${JSON.stringify(kept)}`, () => {
      assert.deepEqual(listed.filter(firstOfEachName()), kept);
    });
  }
});
