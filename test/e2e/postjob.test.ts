// The post-job stage of the bundled task (dist/postjob.js), as the agent runs it at the end of a
// job: with the task variables an earlier stage set and the same Agent.TempDirectory.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, runAgentTask, type HarnessRun } from '../harness';
import { CONNECTION_ID, servicePrincipalConnection, TASK_DIR } from './scenario';

const POSTJOB_TARGET = path.join(TASK_DIR, 'dist/postjob.js');
const RECORD = 'KeyVaultSecrets.WrittenFiles';

async function postJob(tempDir: string, record?: unknown): Promise<HarnessRun> {
  return runAgentTask({
    target: POSTJOB_TARGET,
    inputs: { ConnectedServiceName: CONNECTION_ID, KeyVaultName: 'contoso-kv' },
    endpoints: [servicePrincipalConnection()],
    tempDir,
    ...(record !== undefined && { taskVariables: { [RECORD]: JSON.stringify(record) } }),
    timeoutMs: 30_000,
  });
}

describe('e2e: post-job stage (dist/postjob.js)', function () {
  this.timeout(60_000);
  let root: string;
  let temp: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-postjob-e2e-'));
    temp = path.join(root, '_temp');
    fs.mkdirSync(temp);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('with nothing recorded costs a bare Node start: one line, no task-lib, no command', async () => {
    const run = await postJob(temp);
    try {
      assert.equal(run.result, 'Succeeded');
      assert.equal(run.stdout, 'Nothing to remove: the task wrote no files in this job.\n');
      assert.equal(run.stderr, '');
      assert.deepEqual(run.commands, []);
      // task-lib writes .taskkey into the temp directory the moment it loads.
      assert.deepEqual(fs.readdirSync(temp), []);
    } finally {
      cleanup(run);
    }
  });

  it('removes the recorded files and directory, says how many, and touches nothing else', async () => {
    const dir = path.join(temp, 'keyvault-secrets-0a1b');
    fs.mkdirSync(dir, { mode: 0o700 });
    for (const name of ['signing.pfx', 'tls.pem'])
      fs.writeFileSync(path.join(dir, name), 'k', { mode: 0o600 });
    fs.writeFileSync(path.join(temp, 'other-step.txt'), 'keep');
    const run = await postJob(temp, {
      files: [path.join(dir, 'signing.pfx'), path.join(dir, 'tls.pem')],
      directories: [dir],
    });
    try {
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(run.issues, []);
      assert.ok(
        run.log.includes(
          `Removed 2 files and 1 directory that the task wrote under Agent.TempDirectory (${temp}).`,
        ),
        run.log.join('\n'),
      );
      assert.deepEqual(run.filesLeft, ['other-step.txt']);
    } finally {
      cleanup(run);
    }
  });

  it('refuses a recorded path outside Agent.TempDirectory and fails the post-job step', async () => {
    const victim = path.join(root, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    const run = await postJob(temp, { files: [victim], directories: [] });
    try {
      assert.equal(run.result, 'Failed');
      assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
      assert.deepEqual(run.issues, [
        {
          type: 'error',
          message: `Did not remove '${victim}': it is not under Agent.TempDirectory (${temp}), so the task did not write it. The task variable ${RECORD} was changed after the task set it.`,
        },
        {
          type: 'error',
          message: 'The post-job cleanup left 1 path it was asked to remove; see the errors above.',
        },
      ]);
    } finally {
      cleanup(run);
    }
  });
});
