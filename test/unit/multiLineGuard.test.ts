import { strict as assert } from 'node:assert';
import { guardLifted, planGuard, type GuardVariable } from '../../src/publish/multiLineGuard';

describe('guardLifted: as task-lib and the agent both decide', () => {
  const cases: Array<[string, GuardVariable, boolean]> = [
    ['absent', undefined, false],
    ['true', { value: 'true', secret: false }, true],
    ['TRUE', { value: 'TRUE', secret: false }, true],
    ['True', { value: 'True', secret: false }, true],
    ["'true ' (task-lib does not trim)", { value: 'true ', secret: false }, false],
    ["' true'", { value: ' true', secret: false }, false],
    ['1 (the agent accepts it, task-lib does not)', { value: '1', secret: false }, false],
    ['$true', { value: '$true', secret: false }, false],
    ['false', { value: 'false', secret: false }, false],
    ['empty', { value: '', secret: false }, false],
    ['a secret variable true (not in the environment)', { value: 'true', secret: true }, false],
  ];
  for (const [label, guard, lifted] of cases) {
    it(label, () => assert.equal(guardLifted(guard), lifted));
  }
});

describe('planGuard', () => {
  it('leaves the guard alone when no value has several lines', () => {
    assert.deepEqual(planGuard(false, undefined), { lift: false });
    assert.deepEqual(planGuard(false, { value: 'true', secret: true }), { lift: false });
  });
  it('leaves a lifted guard alone', () => {
    assert.deepEqual(planGuard(true, { value: 'True', secret: false }), { lift: false });
  });
  it('lifts an absent guard and sets it back to false', () => {
    assert.deepEqual(planGuard(true, undefined), {
      lift: true,
      restore: { value: 'false', secret: false },
    });
  });
  it("lifts 'true ' and puts it back byte for byte", () => {
    assert.deepEqual(planGuard(true, { value: 'true ', secret: false }), {
      lift: true,
      restore: { value: 'true ', secret: false },
    });
  });
  it('cannot lift a secret guard: task-lib keeps it secret, out of the environment', () => {
    assert.deepEqual(planGuard(true, { value: 'true', secret: true }), {
      lift: false,
      blocked: true,
    });
  });
});
