/**
 * Fails when azure-pipelines-task-lib's writer and the harness reader drift apart: the real
 * task-lib runs in a child process and the harness parser must recover every value byte-exact.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { getProperty, parseCommandLine, splitLines } from './commandParser';
import type { ParsedCommand } from './commandParser';
import { tryParseBoolean } from './dotnetSemantics';
import { parseTaskResult } from './taskResult';

/** Runs `script` with task-lib loaded as `tl`; returns the parsed commands from stdout. */
function runWithTaskLib(script: string, env: Record<string, string> = {}): ParsedCommand[] {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-drift-'));
  try {
    const child = spawnSync(
      process.execPath,
      ['-e', `const tl = require('azure-pipelines-task-lib/task');\n${script}`],
      {
        cwd: path.resolve(__dirname, '..', '..'),
        env: { PATH: process.env['PATH'] ?? '', AGENT_TEMPDIRECTORY: tempDir, ...env },
        encoding: 'utf8',
      },
    );
    assert.equal(child.status, 0, child.stderr);
    return splitLines(child.stdout)
      .map((line) => parseCommandLine(line))
      .filter((command): command is ParsedCommand => command !== undefined);
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

function only(commands: ParsedCommand[], event: string): ParsedCommand[] {
  return commands.filter((command) => command.area === 'task' && command.event === event);
}

describe('harness drift against the real azure-pipelines-task-lib writer', () => {
  it('recovers setVariable, setSecret, setResult, debug and warning exactly', () => {
    const commands = runWithTaskLib(`
      tl.setVariable('kv.secret one', 'va;l]ue%AZP25é', true);
      tl.setVariable('plain', 'p', false, true);
      tl.setSecret('s3cr;t]%');
      tl.debug('dbg %0A line');
      tl.warning('careful');
      tl.setResult(tl.TaskResult.Failed, 'it broke');
    `);

    const [secretVar, plainVar] = only(commands, 'setvariable');
    assert.ok(secretVar && plainVar);
    assert.equal(getProperty(secretVar, 'variable'), 'kv.secret one');
    assert.equal(secretVar.data, 'va;l]ue%AZP25é');
    assert.equal(tryParseBoolean(getProperty(secretVar, 'issecret')), true);
    assert.equal(tryParseBoolean(getProperty(secretVar, 'isoutput')), false);
    assert.equal(tryParseBoolean(getProperty(plainVar, 'isoutput')), true);
    assert.equal(tryParseBoolean(getProperty(plainVar, 'issecret')), false);

    assert.deepEqual(
      only(commands, 'setsecret').map((command) => command.data),
      ['s3cr;t]%'],
    );
    assert.ok(only(commands, 'debug').some((command) => command.data === 'dbg %0A line'));

    const issues = only(commands, 'issue').map((command) => [
      getProperty(command, 'type'),
      command.data,
    ]);
    assert.deepEqual(issues, [
      ['warning', 'careful'],
      ['error', 'it broke'],
    ]);
    const [complete] = only(commands, 'complete');
    assert.equal(parseTaskResult(complete && getProperty(complete, 'result')), 'Failed');
    assert.equal(complete?.data, 'it broke');
  });

  it('round-trips \\r\\n, %, ;, ], unicode byte-exact (multi-line allowed)', () => {
    const values = [
      'line1\r\nline2\nline3\rline4',
      '100% %AZP25 %0A %3B %5D',
      ';;]]==',
      'ünïcødé 🔑 \u2028 end',
      ' leading and trailing ',
    ];
    const commands = runWithTaskLib(
      `for (const [i, v] of ${JSON.stringify(values)}.entries()) tl.setVariable('v' + i, v, true);
       for (const v of ${JSON.stringify(values)}) tl.setSecret(v);
       tl.setVariable('name ;]%', 'x');`,
      { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true' },
    );
    const setVariables = only(commands, 'setvariable');
    assert.deepEqual(
      setVariables.slice(0, values.length).map((command) => command.data),
      values,
    );
    assert.equal(getProperty(setVariables[values.length] as ParsedCommand, 'variable'), 'name ;]%');
    assert.deepEqual(
      only(commands, 'setsecret').map((command) => command.data),
      values,
    );
  });

  it('task-lib writes Cancelled, which the agent refuses', () => {
    const [complete] = only(
      runWithTaskLib(`tl.setResult(tl.TaskResult.Cancelled, 'stop');`),
      'complete',
    );
    assert.ok(complete);
    assert.equal(getProperty(complete, 'result'), 'Cancelled');
    assert.equal(parseTaskResult(getProperty(complete, 'result')), undefined);
  });
});
