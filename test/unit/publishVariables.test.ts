import { strict as assert } from 'node:assert';
import { publishVariables } from '../../src/publish/publishVariables';
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
});
