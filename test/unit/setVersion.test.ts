import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EXTENSION_MANIFEST,
  parseVersion,
  setVersion,
  TASK_MANIFEST,
} from '../../scripts/setVersion';

const repoRoot = path.resolve(__dirname, '..', '..');

/** A scratch package with copies of the real manifests. */
function scratch(version: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-version-'));
  fs.mkdirSync(path.join(root, path.dirname(TASK_MANIFEST)), { recursive: true });
  for (const rel of [EXTENSION_MANIFEST, TASK_MANIFEST]) {
    fs.copyFileSync(path.join(repoRoot, rel), path.join(root, rel));
  }
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'x', version }));
  return root;
}

describe('scripts/setVersion (npm version)', () => {
  const roots: string[] = [];
  const make = (version: string): string => {
    const root = scratch(version);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('parses MAJOR.MINOR.PATCH and refuses what the Marketplace cannot take', () => {
    assert.deepEqual(parseVersion('2.10.0'), { Major: 2, Minor: 10, Patch: 0 });
    for (const bad of ['1.2', '1.2.3-beta.1', 'v1.2.3', '1.2.3.4', '']) {
      assert.throws(() => parseVersion(bad), /must be MAJOR\.MINOR\.PATCH, e\.g\. 1\.2\.3\.$/);
    }
  });

  it('writes the version into both manifests and changes nothing else', () => {
    const root = make('2.3.4');
    const before = {
      extension: fs.readFileSync(path.join(root, EXTENSION_MANIFEST), 'utf8'),
      task: fs.readFileSync(path.join(root, TASK_MANIFEST), 'utf8'),
    };
    assert.deepEqual(setVersion(root), {
      version: '2.3.4',
      changed: [EXTENSION_MANIFEST, TASK_MANIFEST],
    });
    const extension = fs.readFileSync(path.join(root, EXTENSION_MANIFEST), 'utf8');
    const task = fs.readFileSync(path.join(root, TASK_MANIFEST), 'utf8');
    assert.equal((JSON.parse(extension) as { version: string }).version, '2.3.4');
    assert.deepEqual((JSON.parse(task) as { version: unknown }).version, {
      Major: 2,
      Minor: 3,
      Patch: 4,
    });
    // Put the old version back in the text: the rest must be byte for byte as it was.
    const old = JSON.parse(before.task) as {
      version: { Major: number; Minor: number; Patch: number };
    };
    const oldExtension = (JSON.parse(before.extension) as { version: string }).version;
    assert.equal(extension.replace('"2.3.4"', `"${oldExtension}"`), before.extension);
    assert.equal(
      task.replace(
        /"Major": 2,(\s*)"Minor": 3,(\s*)"Patch": 4/,
        `"Major": ${old.version.Major},$1"Minor": ${old.version.Minor},$2"Patch": ${old.version.Patch}`,
      ),
      before.task,
    );
    assert.deepEqual(setVersion(root).changed, [], 'a second run changes nothing');
  });

  it('refuses a pre-release and writes nothing', () => {
    const root = make('2.0.0-beta.1');
    const before = fs.readFileSync(path.join(root, TASK_MANIFEST), 'utf8');
    assert.throws(() => setVersion(root), /Version '2\.0\.0-beta\.1' must be MAJOR\.MINOR\.PATCH/);
    assert.equal(fs.readFileSync(path.join(root, TASK_MANIFEST), 'utf8'), before);
  });

  it('runs as the version script of `npm version`, whose commit and tag hold all the files', function () {
    this.timeout(60_000);
    const root = make('1.0.0');
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const script = path.join(repoRoot, 'scripts', 'setVersion.ts');
    fs.writeFileSync(
      path.join(root, 'package.json'),
      `${JSON.stringify({ name: 'x', version: '1.0.0', scripts: { version: `"${tsx}" "${script}"` } }, null, 2)}\n`,
    );
    const git = (...args: string[]): string => {
      const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout.trim();
    };
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
    const npm = spawnSync('npm', ['version', 'minor'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
    assert.equal(npm.status, 0, npm.stderr);
    assert.equal(git('tag', '--list'), 'v1.1.0');
    assert.deepEqual(git('show', '--name-only', '--format=%s', 'v1.1.0^{commit}').split('\n'), [
      '1.1.0',
      '',
      'package.json',
      TASK_MANIFEST,
      EXTENSION_MANIFEST,
    ]);
    assert.deepEqual(
      (JSON.parse(git('show', `v1.1.0:${TASK_MANIFEST}`)) as { version: unknown }).version,
      { Major: 1, Minor: 1, Patch: 0 },
    );
  });
});
