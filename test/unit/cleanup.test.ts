import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCleanup } from '../../src/cleanup/cleanupStage';
import {
  CLEANUP_ENV,
  CLEANUP_VARIABLE,
  parseRecord,
  rawCleanupRecord,
  serialiseRecord,
} from '../../src/cleanup/cleanupRecord';
import { removeWritten } from '../../src/cleanup/removeWritten';
import { FileWriteError, writeFiles } from '../../src/publish/writeFiles';
import { memoryAgent } from '../support/memoryAgent';
import { FileContent } from '../../src/plan/fileContent';

const posix = process.platform !== 'win32';

describe('certificate files: writing and the post-job cleanup', () => {
  let root: string;
  let temp: string;
  let outside: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-files-'));
    temp = path.join(root, '_temp');
    outside = path.join(root, 'outside');
    fs.mkdirSync(temp);
    fs.mkdirSync(outside);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the task variable as the agent hands it to later stages', () => {
    assert.equal(
      CLEANUP_ENV,
      `VSTS_TASKVARIABLE_${CLEANUP_VARIABLE.replace(/[. ]/g, '_').toUpperCase()}`,
    );
    assert.equal(
      rawCleanupRecord({ [CLEANUP_ENV]: '{"files":[],"directories":[]}' }),
      '{"files":[],"directories":[]}',
    );
    assert.equal(rawCleanupRecord({ [CLEANUP_ENV]: '' }), undefined);
    assert.equal(rawCleanupRecord({}), undefined);
  });

  it('writes 0600 files in a new 0700 directory, recorded before anything is created', () => {
    const agent = memoryAgent();
    const dir = path.join(temp, 'keyvault-secrets-1');
    let existedWhenRecorded: boolean | undefined;
    const recording = {
      setTaskVariable: (name: string, value: string): void => {
        existedWhenRecorded = fs.existsSync(dir);
        agent.setTaskVariable(name, value);
      },
    };
    writeFiles(recording, dir, [
      { path: path.join(dir, 'a.pfx'), content: new FileContent(Buffer.from([1, 2, 3])) },
      { path: path.join(dir, 'b.pem'), content: new FileContent(Buffer.from('pem')) },
    ]);
    assert.equal(existedWhenRecorded, false);
    assert.deepEqual(parseRecord(agent.taskVariables.get(CLEANUP_VARIABLE.toUpperCase()) ?? ''), {
      files: [path.join(dir, 'a.pfx'), path.join(dir, 'b.pem')],
      directories: [dir],
    });
    assert.deepEqual(fs.readFileSync(path.join(dir, 'a.pfx')), Buffer.from([1, 2, 3]));
    if (posix) {
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(dir, 'a.pfx')).mode & 0o777, 0o600);
      assert.equal(fs.statSync(path.join(dir, 'b.pem')).mode & 0o777, 0o600);
    }
  });

  it('never writes into a directory that exists already, and records it first all the same', () => {
    const agent = memoryAgent();
    const dir = path.join(temp, 'taken');
    fs.mkdirSync(dir);
    assert.throws(
      () =>
        writeFiles(agent, dir, [
          { path: path.join(dir, 'a.pem'), content: new FileContent(Buffer.from('x')) },
        ]),
      (error: unknown) =>
        error instanceof FileWriteError &&
        error.message ===
          `Could not create the directory ${dir} for certificate files (EEXIST): check that Agent.TempDirectory exists and the agent's user may write to it.`,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.equal(agent.taskVariables.size, 1);
  });

  it('writes nothing and records nothing when there are no files', () => {
    const agent = memoryAgent();
    writeFiles(agent, path.join(temp, 'none'), []);
    assert.equal(agent.taskVariables.size, 0);
    assert.deepEqual(fs.readdirSync(temp), []);
  });

  it('removes exactly the recorded files and directory, and says how many', () => {
    const dir = path.join(temp, 'keyvault-secrets-2');
    const agent = memoryAgent({ variables: { 'Agent.TempDirectory': temp } });
    writeFiles(agent, dir, [
      { path: path.join(dir, 'a.pfx'), content: new FileContent(Buffer.from('a')) },
      { path: path.join(dir, 'b.pem'), content: new FileContent(Buffer.from('b')) },
    ]);
    fs.writeFileSync(path.join(temp, 'someone-elses.txt'), 'keep');
    const failure = runCleanup(
      agent,
      agent.taskVariables.get(CLEANUP_VARIABLE.toUpperCase()) ?? '',
    );
    assert.equal(failure, undefined);
    assert.deepEqual(fs.readdirSync(temp), ['someone-elses.txt']);
    assert.deepEqual(
      agent.events.filter((e) => e.kind === 'info').map((e) => ('message' in e ? e.message : '')),
      [`Removed 2 files and 1 directory that the task wrote under Agent.TempDirectory (${temp}).`],
    );
  });

  it('counts only what it removed: files already gone are not counted', () => {
    const dir = path.join(temp, 'k');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.pem'), 'a');
    const outcome = removeWritten(
      { files: [path.join(dir, 'a.pem'), path.join(dir, 'never-written.pfx')], directories: [dir] },
      temp,
    );
    assert.deepEqual(outcome, { removedFiles: 1, removedDirectories: 1, refused: [], failed: [] });
  });

  it('refuses anything outside Agent.TempDirectory: ../, other absolute paths, relative paths, links', () => {
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    const link = path.join(temp, 'link');
    fs.symlinkSync(outside, link);
    const record = {
      files: [
        path.join(temp, '..', 'outside', 'victim.txt'),
        victim,
        'victim.txt',
        path.join(link, 'victim.txt'),
      ],
      directories: [outside, temp],
    };
    const outcome = removeWritten(record, temp);
    assert.deepEqual(outcome.refused, [...record.files, outside, temp]);
    assert.equal(outcome.removedFiles, 0);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
    assert.ok(fs.existsSync(temp));
  });

  it('removes a planted link, not what it points to; leaves a directory holding foreign files', () => {
    const dir = path.join(temp, 'k');
    fs.mkdirSync(dir);
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, path.join(dir, 'a.pem'));
    fs.writeFileSync(path.join(dir, 'added-later.txt'), 'x');
    const agent = memoryAgent({ variables: { 'Agent.TempDirectory': temp } });
    const failure = runCleanup(
      agent,
      serialiseRecord({ files: [path.join(dir, 'a.pem')], directories: [dir] }),
    );
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
    assert.deepEqual(fs.readdirSync(dir), ['added-later.txt']);
    assert.equal(
      failure,
      'The post-job cleanup left 1 path it was asked to remove; see the errors above.',
    );
    assert.deepEqual(
      agent.events.filter((e) => e.kind === 'error').map((e) => ('message' in e ? e.message : '')),
      [
        `Could not remove '${dir}' (ENOTEMPTY): remove it before the agent runs another job, since it may hold a private key.`,
      ],
    );
  });

  it('fails on a record that is not the one the task wrote', () => {
    const agent = memoryAgent({ variables: { 'Agent.TempDirectory': temp } });
    assert.throws(
      () => runCleanup(agent, '{"files":"x"}'),
      /^Error: The task variable KeyVaultSecrets.WrittenFiles is not the record the task wrote.$/,
    );
    assert.throws(() => runCleanup(agent, 'not json'), /is not the record the task wrote/);
  });
});
