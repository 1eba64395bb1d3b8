// The end-to-end suite runs twice (scripts/test.ts): as the Node20_1 handler on the test runner's
// Node, and as the Node24 handler on the pinned Node 24 binary. This test proves each pass really
// started the bundle on the Node its handler names, in both stages, and that the bundle works there.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultHandler } from '../harness/handler';
import { PREJOB_TARGET, startScenario, variablesOf, type Scenario } from './scenario';

describe('end to end: the Node handler of this pass', function () {
  this.timeout(60_000);
  let s: Scenario;
  let dir: string;
  let nodeOptions: string;
  const expected = defaultHandler();
  const expectedVersion = spawnSync(expected.nodePath, ['-p', 'process.versions.node'], {
    encoding: 'utf8',
  }).stdout.trim();

  beforeEach(async () => {
    s = await startScenario();
    // A preload that reports the version of the Node running the task, as a plain variable.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-handler-'));
    const preload = path.join(dir, 'report-node.cjs');
    fs.writeFileSync(
      preload,
      "process.stdout.write('##vso[task.setvariable variable=TASK_NODE]' + process.versions.node + '\\n');\n",
    );
    nodeOptions = `--require ${preload}`;
  });
  afterEach(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`runs the step on Node ${expectedVersion} as ${expected.handler}`, async () => {
    if (expected.handler === 'Node24') assert.match(expectedVersion, /^24\./);
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      env: { NODE_OPTIONS: nodeOptions },
    });

    assert.equal(run.handler, expected.handler);
    assert.equal(run.nodePath, expected.nodePath);
    assert.equal(run.result, 'Succeeded');
    // Nothing on stderr: no deprecation warning from the bundle on this Node either.
    assert.equal(run.stderr, '');
    assert.deepEqual(variablesOf(run), {
      TASK_NODE: { value: expectedVersion, secret: false },
      'db-password': { value: 'Sup3r$ecret!', secret: true },
    });
  });

  it(`runs the pre-job stage on Node ${expectedVersion} as ${expected.handler}`, async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({
      target: PREJOB_TARGET,
      inputs: { SecretsFilter: 'db-password', RunAsPreJob: 'true' },
      env: { NODE_OPTIONS: nodeOptions },
    });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {
      TASK_NODE: { value: expectedVersion, secret: false },
      'db-password': { value: 'Sup3r$ecret!', secret: true },
    });
  });

  it('refuses a handler task.json does not declare, before starting anything', async () => {
    await assert.rejects(
      s.run({ handler: 'Node16' as never }),
      /task\.json declares no Node16 handler with the target dist\/main\.js\./,
    );
    assert.deepEqual(s.azure.requests, []);
  });
});
