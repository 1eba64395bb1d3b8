import assert from 'node:assert/strict';

import { AgentStrings } from './agentStrings';
import { AgentCommandProcessor } from './commandProcessor';
import type { CommandProcessorOptions } from './commandProcessor';
import { SecretMasker } from './masker';
import { mergeTaskResults, parseTaskResult } from './taskResult';

const EXIT_0 = { exitCode: 0, timedOut: false, fileName: 'node', args: '"task.js"' };

function processor(options: Partial<CommandProcessorOptions> = {}): AgentCommandProcessor {
  return new AgentCommandProcessor({
    masker: SecretMasker.forAgent(),
    fileExists: () => false,
    ...options,
  });
}

function feed(target: AgentCommandProcessor, lines: string[]): AgentCommandProcessor {
  for (const line of lines) target.processLine(line, 'stdout');
  return target;
}

describe('harness/commandProcessor (docs/agent-interface.md §4–§6)', () => {
  describe('task.setvariable', () => {
    it('stores flags via Boolean.TryParse ("1" is false) and echoes Processed masked', () => {
      const p = feed(processor(), [
        '##vso[task.setvariable variable=kv.a;issecret=true;isoutput=TRUE;isreadonly=1]s3cret-value',
        '##vso[task.setvariable variable=plain; issecret=true]visible',
        'the value is s3cret-value',
      ]);
      // An output variable is the read-only `<step>.<name>` (default step KeyVaultSecrets1).
      assert.deepEqual(p.variables.get('KeyVaultSecrets1.kv.a'), {
        value: 's3cret-value',
        secret: true,
        isOutput: true,
        readOnly: true,
      });
      assert.deepEqual(p.variables.get('plain'), {
        value: 'visible',
        secret: false,
        isOutput: false,
        readOnly: false,
      });
      assert.deepEqual(p.maskedValues, ['s3cret-value']);
      assert.deepEqual(p.log, [
        '##[debug]Processed: ##vso[task.setvariable variable=kv.a;issecret=true;isoutput=TRUE;isreadonly=1]***',
        '##[debug]Processed: ##vso[task.setvariable variable=plain; issecret=true]visible',
        'the value is ***',
      ]);
      assert.equal(p.finish(EXIT_0), 'Succeeded');
    });

    it('fails without a variable name', () => {
      const p = feed(processor(), ['##vso[task.setvariable issecret=true]v']);
      assert.deepEqual(p.commandErrors, [AgentStrings.missingVariableName]);
      assert.deepEqual(
        p.issues.map((issue) => issue.message),
        [
          AgentStrings.commandProcessFailed('##vso[task.setvariable issecret=true]v'),
          AgentStrings.missingVariableName,
        ],
      );
      assert.equal(p.finish(EXIT_0), 'Failed');
    });

    it('refuses multi-line secrets unless SYSTEM_UNSAFEALLOWMULTILINESECRET is true at that moment', () => {
      const p = feed(processor(), [
        '##vso[task.setvariable variable=pem1;issecret=true]a%0Ab',
        '##vso[task.setvariable variable=SYSTEM_UNSAFEALLOWMULTILINESECRET]True',
        '##vso[task.setvariable variable=pem2;issecret=true]c%0Ad',
        '##vso[task.setvariable variable=system_unsafeAllowMultilineSecret]false',
        '##vso[task.setvariable variable=pem3;issecret=true]e%0Af',
        '##vso[task.setvariable variable=notSecret]g%0Ah',
      ]);
      assert.deepEqual(p.commandErrors, [
        AgentStrings.multilineSecret,
        AgentStrings.multilineSecret,
      ]);
      assert.deepEqual(
        [...p.variables.keys()].filter((name) => name.startsWith('pem')),
        ['pem2'],
      );
      assert.equal(p.variables.get('pem2')?.value, 'c\nd');
      assert.equal(p.variables.get('notSecret')?.value, 'g\nh');
      assert.equal(p.finish(EXIT_0), 'Failed');
    });

    it('takes the knob from the variables the job starts with', () => {
      const p = feed(
        processor({
          jobVariables: [
            { name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET', value: 'true', secret: false },
          ],
        }),
        ['##vso[task.setvariable variable=pem;issecret=true]a%0Ab'],
      );
      assert.deepEqual(p.commandErrors, []);
    });

    it('does not mask a refused multi-line secret: the agent echoes it (a leak the hunter must see)', () => {
      const p = feed(processor(), [
        '##vso[task.setvariable variable=pem;issecret=true]line-one%0Aline-two',
      ]);
      assert.ok(p.log.some((line) => line.includes('line-one%0Aline-two')));
    });

    it('keeps a variable secret once secret, including job secret variables', () => {
      const p = feed(
        processor({ jobVariables: [{ name: 'Db.Password', value: 'old', secret: true }] }),
        [
          '##vso[task.setvariable variable=kv.x;issecret=true]first-secret',
          '##vso[task.setvariable variable=KV.X]second-secret',
          '##vso[task.setvariable variable=db.password]third-secret',
          'first-secret second-secret third-secret',
        ],
      );
      assert.deepEqual(
        [...p.variables.entries()],
        [
          ['KV.X', { value: 'second-secret', secret: true, isOutput: false, readOnly: false }],
          [
            'db.password',
            { value: 'third-secret', secret: true, isOutput: false, readOnly: false },
          ],
        ],
      );
      assert.equal(p.log.at(-1), '*** *** ***');
    });
    it('keeps one entry per name, under the latest spelling; output ones under <step>.<name>', () => {
      const p = feed(processor({ stepName: 'kv' }), [
        '##vso[task.setvariable variable=A]1',
        '##vso[task.setvariable variable=A;isoutput=true]2',
        '##vso[task.setvariable variable=a]3',
        '##vso[task.setvariable variable=b;isoutput=true]4',
        '##vso[task.setvariable variable=B;isoutput=true]5',
        '##vso[task.setvariable variable=KV.c]6',
        '##vso[task.setvariable variable=c;isoutput=true]7',
      ]);
      assert.deepEqual(
        [...p.variables].map(([name, v]) => [name, v.value, v.isOutput, v.readOnly]),
        [
          ['kv.A', '2', true, true],
          ['a', '3', false, false],
          ['kv.B', '5', true, true],
          ['kv.c', '7', true, true],
        ],
      );
      // Overwriting a read-only output variable is allowed with a warning (not enforced).
      assert.deepEqual(
        p.issues.map((i) => i.message),
        [AgentStrings.readOnlyVariableWarning('kv.B')],
      );
    });
  });

  it('task.setsecret masks from the Processed echo on; empty data is ignored', () => {
    const p = feed(processor(), [
      '##vso[task.setsecret]tok%AZP25en',
      '##vso[task.setsecret]',
      'tok%en',
    ]);
    assert.deepEqual(p.maskedValues, ['tok%en']);
    assert.deepEqual(p.log, [
      '##[debug]Processed: ##vso[task.setsecret]***',
      '##[debug]Processed: ##vso[task.setsecret]',
      '***',
    ]);
  });

  it('task.debug is logged as ##[debug], masked, and not echoed', () => {
    const p = feed(processor(), ['##vso[task.setsecret]hunter2', '##vso[task.debug]pw=hunter2']);
    assert.deepEqual(p.log, ['##[debug]Processed: ##vso[task.setsecret]***', '##[debug]pw=***']);
  });

  it('task.logissue / task.issue: error|warning any case, none → warning, other → failure', () => {
    const p = feed(processor(), [
      '##vso[task.setsecret]hunter2',
      '##vso[task.logissue type=Error]bad hunter2',
      '##vso[task.issue type=WARNING;source=TaskInternal]meh',
      '##vso[task.issue]no type',
      '##vso[task.issue type=info]other',
    ]);
    assert.deepEqual(p.issues.slice(0, 3), [
      { type: 'error', message: 'bad ***' },
      { type: 'warning', message: 'meh' },
      { type: 'warning', message: AgentStrings.cannotCreateTaskIssue },
    ]);
    assert.deepEqual(p.commandErrors, [AgentStrings.unexpectedIssueType('info')]);
    assert.ok(p.log.includes('##[error]bad ***'));
    assert.equal(p.finish(EXIT_0), 'Failed');
  });

  it('an error issue alone does not fail the step', () => {
    const p = feed(processor(), ['##vso[task.logissue type=error]only an issue']);
    assert.equal(p.finish(EXIT_0), 'Succeeded');
  });

  describe('task.complete and the step result', () => {
    it('parses results case-sensitively (names and 0..5); invalid fails the step', () => {
      assert.equal(parseTaskResult('SucceededWithIssues'), 'SucceededWithIssues');
      assert.equal(parseTaskResult('4'), 'Skipped');
      assert.equal(parseTaskResult('failed'), undefined);
      assert.equal(parseTaskResult('Cancelled'), undefined);
      assert.equal(parseTaskResult('6'), undefined);
      const p = feed(processor(), ['##vso[task.complete result=Cancelled;]stop']);
      assert.deepEqual(p.commandErrors, [AgentStrings.invalidCommandResult]);
      assert.equal(p.finish(EXIT_0), 'Failed');
    });

    it('merges results the agent way', () => {
      assert.equal(mergeTaskResults('SucceededWithIssues', 'Succeeded'), 'SucceededWithIssues');
      assert.equal(mergeTaskResults('Succeeded', 'Failed'), 'Failed');
      assert.equal(mergeTaskResults('Failed', 'Skipped'), 'Skipped');
      assert.equal(mergeTaskResults('Canceled', 'Skipped'), 'Canceled');
      assert.equal(mergeTaskResults('Skipped', 'Abandoned'), 'Skipped');
      const p = feed(processor(), [
        '##vso[task.complete result=SucceededWithIssues]',
        '##vso[task.complete result=0]',
      ]);
      assert.equal(p.finish(EXIT_0), 'SucceededWithIssues');
    });

    it('a non-zero exit fails the step whatever task.complete said, with the agent message', () => {
      const p = feed(processor(), ['##vso[task.complete result=Skipped]']);
      assert.equal(p.finish({ ...EXIT_0, exitCode: 3 }), 'Failed');
      assert.deepEqual(p.issues.at(-1), {
        type: 'error',
        message: AgentStrings.processExitCode(3, 'node', '"task.js"'),
      });
    });

    it('no task.complete and exit 0 is Succeeded; a timeout is Failed', () => {
      assert.equal(processor().finish(EXIT_0), 'Succeeded');
      const p = processor();
      assert.equal(p.finish({ ...EXIT_0, exitCode: null, timedOut: true }), 'Failed');
      assert.deepEqual(p.issues, [{ type: 'error', message: AgentStrings.stepTimedOut }]);
    });

    it('done=true releases the process: its exit code no longer counts', () => {
      let released = 0;
      const p = feed(processor({ onForceComplete: () => released++ }), [
        '##vso[task.complete result=Succeeded;done=true]',
      ]);
      assert.equal(released, 1);
      assert.equal(p.finish({ ...EXIT_0, exitCode: null }), 'Succeeded');
    });
  });

  it('task.uploadsummary / addattachment need an existing file', () => {
    const p = feed(processor({ fileExists: (file) => file.endsWith('/there.md'), cwd: '/work' }), [
      '##vso[task.uploadsummary]/tmp/there.md',
      '##vso[task.uploadsummary]/tmp/missing.md',
      '##vso[task.uploadsummary]',
      '##vso[task.addattachment type=Distributedtask.Core.Summary;name=s]relative/there.md',
      '##vso[task.addattachment name=s]/tmp/there.md',
    ]);
    assert.deepEqual(p.summaries, ['/tmp/there.md']);
    assert.deepEqual(
      p.attachments.map((attachment) => [attachment.type, attachment.name, attachment.path]),
      [
        ['DistributedTask.Core.Summary', 'there.md', '/tmp/there.md'],
        ['Distributedtask.Core.Summary', 's', 'relative/there.md'],
      ],
    );
    assert.deepEqual(p.commandErrors, [
      AgentStrings.missingAttachmentFile,
      AgentStrings.cannotUploadSummary,
      AgentStrings.missingAttachmentType,
    ]);
  });

  it('accepts prependpath, settaskvariable, setprogress, logdetail', () => {
    const p = feed(processor(), [
      '##vso[task.prependpath]/opt/tool/bin',
      '##vso[task.settaskvariable variable=tmpFile;issecret=true]/tmp/x-secret',
      '##vso[task.setprogress value=50]half',
      '##vso[task.logdetail id=1]x',
      'path /tmp/x-secret',
    ]);
    assert.deepEqual(p.prependedPaths, ['/opt/tool/bin']);
    assert.deepEqual(p.taskVariables.get('tmpFile'), { value: '/tmp/x-secret', secret: true });
    assert.equal(p.log.at(-1), 'path ***');
    assert.equal(p.finish(EXIT_0), 'Succeeded');
  });

  it('unknown area warns; unknown task event fails; unparsable ##vso warns and shows the line', () => {
    const p = feed(processor(), [
      '##vso[foo.bar]x',
      '##vso[task.frobnicate]x',
      'text ##vso[task.setvariable',
    ]);
    assert.deepEqual(p.issues[0], {
      type: 'warning',
      message: AgentStrings.commandNotFound('foo'),
    });
    assert.deepEqual(p.commandErrors, [AgentStrings.commandNotFound2('task', 'frobnicate')]);
    assert.ok(
      p.issues.some(
        (issue) => issue.message === AgentStrings.commandProcessFailed('##vso[task.frobnicate]x'),
      ),
    );
    assert.deepEqual(p.issues.at(-1), {
      type: 'warning',
      message: AgentStrings.commandKeywordDetected('text ##vso[task.setvariable'),
    });
    assert.equal(p.log.at(-1), 'text ##vso[task.setvariable');
    assert.ok(p.log.includes('##[debug]Processed: ##vso[task.frobnicate]x'));
    assert.ok(!p.log.some((line) => line.startsWith('##[debug]Processed: ##vso[foo.bar]')));
    assert.equal(p.finish(EXIT_0), 'Failed');
  });

  it('masks a multi-line Processed echo as one message, then splits it into log lines', () => {
    const p = feed(
      processor({
        jobVariables: [{ name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET', value: '1', secret: false }],
      }),
      ['##vso[task.setvariable variable=pem;issecret=true]l1%0Al2'],
    );
    assert.deepEqual(p.log, [
      '##[debug]Processed: ##vso[task.setvariable variable=pem;issecret=true]***',
    ]);
  });
});
