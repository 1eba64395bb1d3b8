import assert from 'node:assert/strict';
import * as path from 'node:path';

import { findLeaks } from './leakHunt';
import { runAgentTask } from './runTask';
import type { AgentRun } from './types';

function run(overrides: Partial<AgentRun>): AgentRun {
  return {
    exitCode: 0,
    signal: null,
    result: 'Succeeded',
    variables: new Map(),
    maskedValues: [],
    issues: [],
    commandErrors: [],
    log: [],
    stdout: '',
    stderr: '',
    tempDir: '/tmp/none',
    filesLeft: [],
    ...overrides,
  };
}

const SECRET = 's3cr>?t "V"/+~~~';
const PEM = '-----BEGIN KEY-----\nMIIBVwIBADANBgkq\n-----END KEY-----';

describe('harness/leakHunt', () => {
  it('finds the raw value and its JSON, URL, base64 and base64url forms, without printing the secret', () => {
    const b64 = Buffer.from(SECRET).toString('base64');
    const b64url = Buffer.from(SECRET).toString('base64url');
    const leaks = findLeaks(
      run({
        stdout: [
          `raw ${SECRET}`,
          `json {"v":${JSON.stringify(SECRET)}}`,
          `url ?v=${encodeURIComponent(SECRET)}&x`,
          `b64 ${b64}`,
          `b64url ${b64url}`,
          'clean',
        ].join('\n'),
      }),
      ['', SECRET],
    );
    assert.deepEqual(leaks, [
      'line 1 of stdout contains the raw form of secret #2',
      'line 2 of stdout contains the JSON-escaped form of secret #2',
      'line 3 of stdout contains the URL-encoded form of secret #2',
      'line 4 of stdout contains the base64 form of secret #2',
      'line 5 of stdout contains the base64url form of secret #2',
    ]);
    assert.ok(leaks.every((leak) => !leak.includes(SECRET)));
  });

  it('finds base64 of a secret embedded at any byte alignment in a larger blob', () => {
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      const blob = Buffer.from(`${prefix}${SECRET}tail`).toString('base64');
      assert.deepEqual(
        findLeaks(run({ stderr: blob }), [SECRET]),
        ['line 1 of stderr contains the base64 form of secret #1'],
        prefix,
      );
    }
  });

  it('hunts each line of a multi-line secret, since the agent masks per line', () => {
    const leaks = findLeaks(run({ log: ['-----BEGIN KEY-----', 'MIIBVwIBADANBgkq'] }), [PEM]);
    assert.deepEqual(leaks, [
      'line 1 of the job log contains the raw form of secret #1 (line 1)',
      'line 2 of the job log contains the raw form of secret #1 (line 2)',
    ]);
  });

  it('ignores the data of secret setvariable and setsecret commands, but not their command info', () => {
    const escapedPem = PEM.replace(/\n/g, '%0A');
    const leaks = findLeaks(
      run({
        stdout: [
          `##vso[task.setvariable variable=kv.x;isOutput=false;issecret=true;]${SECRET}`,
          `##vso[task.setsecret]${SECRET}`,
          `##vso[task.setvariable variable=pem;issecret=true;]${escapedPem}`,
          `##vso[task.setvariable variable=${SECRET};issecret=true;]x`,
          `##vso[task.setvariable variable=notSecret;issecret=false;]${escapedPem}`,
        ].join('\n'),
      }),
      [SECRET, PEM],
    );
    assert.deepEqual(leaks, [
      'line 4 of stdout contains the raw form of secret #1',
      'line 5 of stdout contains the raw form of secret #2 (line 1)',
      'line 5 of stdout contains the raw form of secret #2 (line 2)',
      'line 5 of stdout contains the raw form of secret #2 (line 3)',
      'line 5 of stdout (command, unescaped) contains the raw form of secret #2',
    ]);
  });

  it('searches issues and files, and skips forms shorter than 4 characters', () => {
    const leaks = findLeaks(
      run({
        issues: [{ type: 'warning', message: `oops ${SECRET}` }],
        fileContents: new Map([
          ['dump/out.json', Buffer.from(`{\n"a": 1,\n"v": ${JSON.stringify(SECRET)}\n}`)],
        ]),
      }),
      [SECRET, 'ab\nc'],
    );
    assert.deepEqual(leaks, [
      'warning issue #1 contains the raw form of secret #1',
      "line 3 of file 'dump/out.json' in the temp dir contains the JSON-escaped form of secret #1",
    ]);
    assert.deepEqual(findLeaks(run({ stdout: 'abc' }), ['abc']), []);
  });

  it('skips only the files the task delivered on purpose (certificate files)', () => {
    const files = new Map([
      ['kv/cert.pem', Buffer.from(PEM)],
      ['kv/other.txt', Buffer.from(PEM)],
    ]);
    assert.deepEqual(
      findLeaks(run({ fileContents: files }), [PEM], { deliveredFiles: ['kv/cert.pem'] }),
      [
        "line 1 of file 'kv/other.txt' in the temp dir contains the raw form of secret #1",
        "line 1 of file 'kv/other.txt' in the temp dir contains the raw form of secret #1 (line 1)",
        "line 2 of file 'kv/other.txt' in the temp dir contains the raw form of secret #1 (line 2)",
        "line 3 of file 'kv/other.txt' in the temp dir contains the raw form of secret #1 (line 3)",
      ],
    );
  });

  it('can be limited to places the agent masks', () => {
    const target = run({ stdout: `debug ${SECRET}`, log: ['debug ***'] });
    assert.equal(findLeaks(target, [SECRET]).length, 1);
    assert.deepEqual(findLeaks(target, [SECRET], { places: ['issues', 'log', 'files'] }), []);
  });

  it('finds a secret a task left in a temp file', async function () {
    this.timeout(10_000);
    const result = await runAgentTask({
      target: path.join(__dirname, 'fixtures', 'FixtureTask', 'scripts', 'steps.mjs'),
      inputs: { ConnectedServiceName: '', KeyVaultName: 'kv' },
      env: {
        FIXTURE_STEPS: JSON.stringify([
          { out: `##vso[task.setsecret]${SECRET}\n` },
          { file: 'cache/secrets.env', content: `A=1\nKV_X=${SECRET}\n` },
        ]),
      },
    });
    assert.deepEqual(findLeaks(result, [SECRET]), [
      "line 2 of file 'cache/secrets.env' in the temp dir contains the raw form of secret #1",
    ]);
  });
});
