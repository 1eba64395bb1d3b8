import { strict as assert } from 'node:assert';
import { parseBooleanInput } from '../../src/config/booleanInput';

describe('config/booleanInput', () => {
  it('reads true and false in any case, and empty as the default', () => {
    assert.deepEqual(parseBooleanInput('DryRun', 'TRUE', false), { value: true });
    assert.deepEqual(parseBooleanInput('DryRun', ' false ', true), { value: false });
    assert.deepEqual(parseBooleanInput('DryRun', undefined, false), { value: false });
  });

  it('refuses anything else, quoting it, instead of reading it as false', () => {
    assert.deepEqual(parseBooleanInput('DryRun', 'yes', false), {
      error: "DryRun is 'yes'; it must be true or false (default false).",
    });
  });
});
