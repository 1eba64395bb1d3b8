import { strict as assert } from 'node:assert';
import { publicationRefusal, publishVariables } from '../../src/publish/publishVariables';
import { memoryAgent } from '../support/memoryAgent';

describe('publishVariables', () => {
  it('sets single-line values as secret variables without touching the multi-line guard', () => {
    const agent = memoryAgent();
    publishVariables(agent, [
      { name: 'a', value: 'x;y]z%' },
      { name: 'empty', value: '' },
    ]);
    assert.deepEqual(agent.events, [
      { kind: 'variable', name: 'a', value: 'x;y]z%', secret: true },
      { kind: 'variable', name: 'empty', value: '', secret: true },
    ]);
  });

  it('lifts the guard only around multi-line values and puts it back', () => {
    const agent = memoryAgent();
    publishVariables(agent, [{ name: 'pem', value: 'line1\nline2' }]);
    assert.deepEqual(agent.events, [
      { kind: 'variable', name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET', value: 'true', secret: false },
      { kind: 'variable', name: 'pem', value: 'line1\nline2', secret: true },
      {
        kind: 'variable',
        name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET',
        value: 'false',
        secret: false,
      },
    ]);
  });

  it('leaves a guard the pipeline lifted itself as it was', () => {
    const agent = memoryAgent({ variables: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'True' } });
    publishVariables(agent, [{ name: 'pem', value: 'a\r\nb' }]);
    assert.deepEqual(agent.events, [
      { kind: 'variable', name: 'pem', value: 'a\r\nb', secret: true },
    ]);
  });

  it("lifts a guard of 'true ' (task-lib does not trim) and puts it back byte for byte", () => {
    const agent = memoryAgent({ variables: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true ' } });
    publishVariables(agent, [
      { name: 'one', value: 'single' },
      { name: 'pem', value: 'a\nb' },
    ]);
    assert.deepEqual(agent.events, [
      { kind: 'variable', name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET', value: 'true', secret: false },
      { kind: 'variable', name: 'one', value: 'single', secret: true },
      { kind: 'variable', name: 'pem', value: 'a\nb', secret: true },
      {
        kind: 'variable',
        name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET',
        value: 'true ',
        secret: false,
      },
    ]);
  });

  it('refuses, before setting anything, when the guard is a secret variable', () => {
    const agent = memoryAgent({ secretVariables: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true' } });
    const variables = [
      { name: 'one', value: 'single' },
      { name: 'pem', value: 'a\nb' },
      { name: 'key', value: 'c\r\nd' },
    ];
    assert.match(
      publicationRefusal(agent, variables) ?? '',
      /^Secrets 'pem', 'key' hold several lines, and this job defines SYSTEM_UNSAFEALLOWMULTILINESECRET as a secret variable/,
    );
    assert.throws(() => publishVariables(agent, variables), /No variables were set/);
    assert.deepEqual(agent.events, []);
  });

  it('has nothing to refuse without multi-line values, whatever the guard', () => {
    const agent = memoryAgent({ secretVariables: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true' } });
    assert.equal(publicationRefusal(agent, [{ name: 'one', value: 'single' }]), undefined);
  });
});
