import { strict as assert } from 'node:assert';
import { runsInStage } from '../../src/stage';

describe('runsInStage', () => {
  it('runs in the step when RunAsPreJob is false or unset', () => {
    for (const raw of [undefined, '', 'false', 'False', '1', 'yes']) {
      assert.equal(runsInStage('execution', raw), true, String(raw));
      assert.equal(runsInStage('prejob', raw), false, String(raw));
    }
  });
  it('runs before the job when RunAsPreJob is true, in any case', () => {
    for (const raw of ['true', 'TRUE', ' True ']) {
      assert.equal(runsInStage('prejob', raw), true);
      assert.equal(runsInStage('execution', raw), false);
    }
  });
});
