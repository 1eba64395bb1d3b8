import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AgentStrings } from './agentStrings';
import { findLeaks } from './leakHunt';
import { cleanup, laterStageOf, runAgentTask } from './runTask';
import type { AgentRunOptions, ServiceConnection } from './types';

const SCRIPTS = path.join(__dirname, 'fixtures', 'FixtureTask', 'scripts');
const ENDPOINT: ServiceConnection = {
  id: '3F2504E0-4F89-41D3-9A0C-0305E82C3301',
  url: 'https://management.azure.com/',
  scheme: 'ServicePrincipal',
  parameters: {
    serviceprincipalid: 'app-id-1',
    serviceprincipalkey: 'sp-key-value-1',
    tenantid: 'tenant-1',
  },
  data: { subscriptionId: 'sub-1' },
};
const BASE_INPUTS = { ConnectedServiceName: ENDPOINT.id, KeyVaultName: 'contoso-kv' };

type Step =
  | { out: string }
  | { err: string }
  | { sleep: number }
  | { exit: number }
  | { file: string; content: string };

function runSteps(
  steps: Step[],
  extra: Partial<AgentRunOptions> = {},
): ReturnType<typeof runAgentTask> {
  return runAgentTask({
    target: path.join(SCRIPTS, 'steps.mjs'),
    inputs: BASE_INPUTS,
    endpoints: [ENDPOINT],
    timeoutMs: 10_000,
    ...extra,
    env: { FIXTURE_STEPS: JSON.stringify(steps), ...extra.env },
  });
}

describe('harness/runAgentTask (docs/agent-interface.md §1, §5, §10)', function () {
  this.timeout(20_000);

  it('exit 0 without task.complete is Succeeded; task.complete results merge', async () => {
    assert.equal((await runSteps([{ out: 'hello\n' }])).result, 'Succeeded');
    const run = await runSteps([
      { out: '##vso[task.complete result=SucceededWithIssues;]partly\n' },
      { out: '##vso[task.complete result=Succeeded;]\n' },
    ]);
    assert.equal(run.result, 'SucceededWithIssues');
    assert.equal(run.exitCode, 0);
  });

  it('a non-zero exit is Failed even after task.complete Succeeded', async () => {
    const run = await runSteps([{ out: '##vso[task.complete result=Succeeded;]\n' }, { exit: 7 }]);
    assert.equal(run.exitCode, 7);
    assert.equal(run.result, 'Failed');
    assert.ok(
      run.issues.some(
        (issue) =>
          issue.type === 'error' && issue.message.startsWith('Exit code 7 returned from process'),
      ),
    );
  });

  it('reads stdout and stderr in arrival order with one masker; lone \\r ends a line', async () => {
    const run = await runSteps([
      { out: '##vso[task.setsecret]tok-123456\n' },
      { sleep: 30 },
      {
        err: 'stderr has tok-123456\rnext\r\n##vso[task.setvariable variable=fromErr;issecret=true]e-secret\n',
      },
      { sleep: 30 },
      { out: 'stdout has e-secret' },
    ]);
    assert.deepEqual(run.log, [
      '##[debug]Processed: ##vso[task.setsecret]***',
      'stderr has ***',
      'next',
      '##[debug]Processed: ##vso[task.setvariable variable=fromErr;issecret=true]***',
      'stdout has ***',
    ]);
    assert.deepEqual(
      run.commands.map((command) => command.stream),
      ['stdout', 'stderr'],
    );
    assert.deepEqual(run.variables.get('fromErr'), {
      value: 'e-secret',
      secret: true,
      isOutput: false,
      readOnly: false,
    });
  });

  it('applies the multi-line guard in order as the task toggles the knob', async () => {
    const secret = (name: string): Step => ({
      out: `##vso[task.setvariable variable=${name};issecret=true;]l1%0Al2\n`,
    });
    const knob = (value: string): Step => ({
      out: `##vso[task.setvariable variable=SYSTEM_UNSAFEALLOWMULTILINESECRET;]${value}\n`,
    });
    const run = await runSteps([
      secret('a'),
      knob('true'),
      secret('b'),
      knob('false'),
      secret('c'),
    ]);
    assert.deepEqual(run.commandErrors, [
      AgentStrings.multilineSecret,
      AgentStrings.multilineSecret,
    ]);
    assert.equal(run.variables.get('b')?.value, 'l1\nl2');
    assert.ok(!run.variables.has('a') && !run.variables.has('c'));
    assert.equal(run.result, 'Failed');
  });

  it('kills the process on timeout and fails the step', async () => {
    const started = Date.now();
    const run = await runAgentTask({
      target: path.join(SCRIPTS, 'hang.mjs'),
      inputs: BASE_INPUTS,
      timeoutMs: 400,
    });
    assert.ok(Date.now() - started < 5000);
    assert.equal(run.timedOut, true);
    assert.equal(run.result, 'Failed');
    assert.equal(run.log[0], 'started');
    assert.ok(run.issues.some((issue) => issue.message === AgentStrings.stepTimedOut));
  });

  it('lists files left in the temp dir, keeps their contents, and removes the dirs by default', async () => {
    const run = await runSteps([
      { file: 'a.txt', content: 'alpha' },
      { file: 'nested/b.json', content: '{"b":1}' },
    ]);
    assert.deepEqual(run.filesLeft, ['a.txt', path.join('nested', 'b.json')]);
    assert.equal(run.fileContents.get('a.txt')?.toString(), 'alpha');
    assert.equal(fs.existsSync(run.workDir), false);
  });

  it('keepTempDir leaves the dirs for inspection until cleanup(run)', async () => {
    const run = await runSteps([{ file: 'kept.txt', content: 'k' }], { keepTempDir: true });
    try {
      assert.equal(fs.readFileSync(path.join(run.tempDir, 'kept.txt'), 'utf8'), 'k');
    } finally {
      cleanup(run);
    }
    assert.equal(fs.existsSync(run.workDir), false);
  });

  it('runs a later stage with the task variables and temp directory of the earlier one (§8)', async () => {
    const main = await runSteps(
      [
        { out: '##vso[task.settaskvariable variable=My.Written Files;]/tmp/a.pfx\n' },
        { out: '##vso[task.settaskvariable variable=token;issecret=true]tv-secret-1\n' },
        { file: 'from-main.txt', content: 'm' },
      ],
      { keepTempDir: true },
    );
    try {
      const later = await runAgentTask({
        target: path.join(SCRIPTS, 'envDump.mjs'),
        inputs: BASE_INPUTS,
        endpoints: [ENDPOINT],
        timeoutMs: 10_000,
        ...laterStageOf(main),
      });
      assert.equal(later.tempDir, main.tempDir);
      assert.deepEqual(later.filesLeft, ['env.json', 'from-main.txt']);
      const { env } = JSON.parse(later.fileContents.get('env.json')?.toString() ?? '{}') as {
        env: Record<string, string>;
      };
      assert.equal(env['VSTS_TASKVARIABLE_MY_WRITTEN_FILES'], '/tmp/a.pfx');
      assert.equal(env['VSTS_TASKVARIABLE_TOKEN'], 'tv-secret-1');
      assert.equal(env['AGENT_TEMPDIRECTORY'], main.tempDir);
      assert.deepEqual(
        Object.keys(env)
          .filter((k) => k.startsWith('VSTS_TASKVARIABLE_'))
          .sort(),
        ['VSTS_TASKVARIABLE_MY_WRITTEN_FILES', 'VSTS_TASKVARIABLE_TOKEN'],
      );
    } finally {
      cleanup(main);
    }
    assert.throws(() => laterStageOf(main), /ran without keepTempDir/);
  });

  it('starts the task with the agent overlay only: inputs, endpoints, no ambient AZURE_*, stdin closed', async () => {
    const saved = { ...process.env };
    process.env['AZURE_CLIENT_SECRET'] = 'ambient-secret';
    process.env['AZURE_TENANT_ID'] = 'ambient-tenant';
    process.env['IDENTITY_ENDPOINT'] = 'http://localhost:1';
    process.env['HTTPS_PROXY'] = 'http://ambient:3128';
    let run;
    try {
      run = await runAgentTask({
        target: path.join(SCRIPTS, 'envDump.mjs'),
        inputs: { azureSubscription: ENDPOINT.id, KeyVaultName: ' contoso-kv ' },
        endpoints: [ENDPOINT],
        secretVariables: { 'db.password': 'p4ssw0rd' },
        timeoutMs: 10_000,
      });
    } finally {
      for (const name of [
        'AZURE_CLIENT_SECRET',
        'AZURE_TENANT_ID',
        'IDENTITY_ENDPOINT',
        'HTTPS_PROXY',
      ]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    assert.equal(run.result, 'Succeeded');
    const dump = JSON.parse(run.fileContents.get('env.json')?.toString() ?? '{}') as {
      env: Record<string, string>;
      cwd: string;
      stdinEnded: boolean;
      stdinData: string;
    };
    const env = dump.env;
    assert.deepEqual(
      Object.keys(env).filter((name) =>
        /^(AZURE_|IDENTITY_|MSI_|HTTPS?_PROXY|NO_PROXY|NODE_OPTIONS)/i.test(name),
      ),
      [],
    );
    assert.equal(env['INPUT_CONNECTEDSERVICENAME'], ENDPOINT.id);
    assert.equal(env['INPUT_KEYVAULTNAME'], 'contoso-kv');
    assert.equal(env['INPUT_SECRETSFILTER'], '*');
    assert.equal(env['INPUT_RUNASPREJOB'], 'false');
    const id = ENDPOINT.id.toLowerCase();
    assert.equal(env[`ENDPOINT_AUTH_PARAMETER_${id}_SERVICEPRINCIPALKEY`], 'sp-key-value-1');
    assert.equal(env[`ENDPOINT_DATA_${id}_SUBSCRIPTIONID`], 'sub-1');
    assert.equal(env['ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN'], run.accessToken);
    assert.equal(env['SECRET_DB_PASSWORD'], 'p4ssw0rd');
    assert.equal(env['TF_BUILD'], 'True');
    assert.equal(env['AGENT_TEMPDIRECTORY'], run.tempDir);
    assert.equal(dump.cwd, env['SYSTEM_DEFAULTWORKINGDIRECTORY']);
    assert.equal(dump.stdinEnded, true);
    assert.equal(dump.stdinData, '');
  });

  it('runs a real task-lib task end to end: masks, multi-line secret after the knob, summary, failure', async () => {
    const run = await runAgentTask({
      target: path.join(SCRIPTS, 'taskLib.mjs'),
      inputs: BASE_INPUTS,
      endpoints: [ENDPOINT],
      timeoutMs: 10_000,
    });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(run.commandErrors, []);
    assert.ok(run.log.includes('vault=contoso-kv scheme=ServicePrincipal filter=* token=present'));
    assert.ok(run.log.includes('key is ***'));
    const pem = run.variables.get('kv.pem');
    assert.deepEqual(pem, {
      value: '-----BEGIN KEY-----\nAAAAbbbbCCCC\n-----END KEY-----',
      secret: true,
      isOutput: false,
      readOnly: false,
    });
    // An output variable is stored as the read-only `<step>.<name>` (default step name).
    assert.deepEqual(run.variables.get('KeyVaultSecrets1.kv.plain'), {
      value: 'visible;value]%',
      secret: false,
      isOutput: true,
      readOnly: true,
    });
    assert.deepEqual(
      run.issues.filter((issue) => issue.type === 'error'),
      [{ type: 'error', message: "could not read 'missing' from contoso-kv" }],
    );
    assert.equal(run.summaries.length, 1);
    assert.equal(path.basename(run.summaries[0] ?? ''), 'summary.md');
    // What the agent would upload: the file as it was when the step ended.
    assert.deepEqual(run.summaryContents, ['# Secrets\n- kv.pem\n']);
    assert.deepEqual(run.filesLeft, ['summary.md']);
    // setSecret(line) comes before setVariable(pem): "mask first".
    const pemSet = run.commands.findIndex((command) => command.properties['variable'] === 'kv.pem');
    const lastLineMask = run.commands.findIndex(
      (command) => command.event === 'setsecret' && command.data === '-----END KEY-----',
    );
    assert.ok(lastLineMask >= 0 && lastLineMask < pemSet);

    // The task printed the key itself: masked in the log, but still a leak in raw stdout.
    const leaks = findLeaks(run, ['sp-key-value-1', pem?.value ?? '']);
    assert.ok(
      leaks.some((leak) => /^line \d+ of stdout contains the raw form of secret #1$/.test(leak)),
      leaks.join('\n'),
    );
    assert.ok(
      !leaks.some((leak) => leak.includes('job log') || leak.includes('secret #2')),
      leaks.join('\n'),
    );
  });
});
