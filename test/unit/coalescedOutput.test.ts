import { strict as assert } from 'node:assert';
import { coalescedOutput } from '../../src/agent/coalescedOutput';

describe('coalescedOutput', () => {
  function setup(): {
    writes: string[];
    run: () => void;
    output: ReturnType<typeof coalescedOutput>;
  } {
    const writes: string[] = [];
    const scheduled: Array<() => void> = [];
    const output = coalescedOutput({ write: (text) => writes.push(text) }, (f) =>
      scheduled.push(f),
    );
    return { writes, output, run: () => scheduled.splice(0).forEach((f) => f()) };
  }

  it('joins the lines of one turn into one write, in order', () => {
    const { writes, output, run } = setup();
    output.write('##vso[task.setsecret]a\n');
    output.write('##vso[task.setvariable variable=x;isOutput=false;issecret=true;]a\n');
    output.write('Set 1 secret variable: x.\n');
    assert.deepEqual(writes, []);
    run();
    assert.deepEqual(writes, [
      '##vso[task.setsecret]a\n##vso[task.setvariable variable=x;isOutput=false;issecret=true;]a\nSet 1 secret variable: x.\n',
    ]);
  });

  it('writes what is pending on flush, and nothing twice', () => {
    const { writes, output, run } = setup();
    output.write('one\n');
    output.flush();
    run();
    output.write('two\n');
    run();
    output.flush();
    assert.deepEqual(writes, ['one\n', 'two\n']);
  });
});
