import { strict as assert } from 'node:assert';
import { oidcTokenIn } from '../../src/auth/oidcTokenMaskPolicy';

describe('oidcTokenIn (what the OIDC token mask registers)', () => {
  const cases: Array<[string, string | undefined]> = [
    ['{"oidcToken":"eyJ.a.b"}', 'eyJ.a.b'],
    ['{"oidcToken":""}', undefined],
    ['{"oidcToken":42}', undefined],
    ['{"other":"oidcToken"}', undefined],
    ['{"oidcToken":"eyJ.a.b"', undefined],
    ['null', undefined],
  ];
  for (const [body, expected] of cases) {
    it(`${body} → ${String(expected)}`, () => assert.equal(oidcTokenIn(body), expected));
  }
});
