import { strict as assert } from 'node:assert';
import { rawSecretInputs, runsInStage } from '../../src/stage';

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

describe('rawSecretInputs', () => {
  it('reads CertificatePassword as the agent hands it, before task-lib moves it away', () => {
    assert.deepEqual(rawSecretInputs({ INPUT_CERTIFICATEPASSWORD: ' pw;1 ' }), ['pw;1']);
    assert.deepEqual(rawSecretInputs({ INPUT_CERTIFICATEPASSWORD: '' }), []);
    assert.deepEqual(rawSecretInputs({}), []);
  });
});
