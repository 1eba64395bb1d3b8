import { strict as assert } from 'node:assert';
import type { Plan, PlannedVariable } from '../../src/plan/plan';
import { applyPlan } from '../../src/publish/applyPlan';
import type { SecretProperties } from '../../src/vault/secretSource';
import { memoryAgent } from '../support/memoryAgent';

const PROPS: SecretProperties = {
  name: 'cfg',
  version: 'v',
  enabled: true,
  notBefore: undefined,
  expiresOn: undefined,
  createdOn: undefined,
  updatedOn: undefined,
  tags: {},
  contentType: undefined,
  managed: false,
  kid: undefined,
};

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
