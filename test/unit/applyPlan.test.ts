import { strict as assert } from 'node:assert';
import type { Plan, PlannedVariable } from '../../src/plan/plan';
import { applyPlan } from '../../src/publish/applyPlan';
import { memoryAgent } from '../support/memoryAgent';
import { secretProperties } from '../support/secretProperties';

const PROPS = secretProperties('cfg', { version: 'v' });

function variable(name: string, value: string, output: boolean): PlannedVariable {
  return {
    name,
    value,
    secret: true,
    output,
    source: { entry: name, secretName: 'cfg', version: 'v', field: undefined },
    properties: PROPS,
  };
}

describe('applyPlan', () => {
  it('registers every mask first, then sets each variable, and its output twin when asked', () => {
    const agent = memoryAgent();
    const plan: Plan = {
      variables: [variable('USER', 'svc', false), variable('PEM', 'l1\nl2', true)],
      masks: ['svc', 'l1', 'l2'],
      warnings: [],
      infos: [],
      problems: [],
      errors: [],
      rows: [],
    };
    applyPlan(agent, plan);
    assert.deepEqual(agent.events, [
      { kind: 'secret', value: 'svc' },
      { kind: 'secret', value: 'l1' },
      { kind: 'secret', value: 'l2' },
      { kind: 'variable', name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET', value: 'true', secret: false },
      { kind: 'variable', name: 'USER', value: 'svc', secret: true },
      { kind: 'variable', name: 'PEM', value: 'l1\nl2', secret: true },
      { kind: 'output', name: 'PEM', value: 'l1\nl2', secret: true },
      {
        kind: 'variable',
        name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET',
        value: 'false',
        secret: false,
      },
    ]);
  });
});
