// vss-extension.json contract: what it points at exists, and its identity agrees with task.json and
// package.json.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pngSize, readExtensionJson, readJson, readTaskJson, repoRoot, TASK_DIR } from './repo';

describe('vss-extension.json', () => {
  const extension = readExtensionJson();
  const taskContributions = extension.contributions.filter(
    (c) => c.type === 'ms.vss-distributed-task.task',
  );

  it('is the keyvault-secrets extension for Azure DevOps', () => {
    assert.equal(extension.manifestVersion, 1);
    assert.equal(extension.id, 'keyvault-secrets');
    assert.match(extension.publisher, /^[a-z0-9][a-z0-9-]*$/);
    assert.deepEqual(extension.targets, [{ id: 'Microsoft.VisualStudio.Services' }]);
    assert.deepEqual(extension.categories, ['Azure Pipelines']);
  });

  it('has the version of package.json and of task.json', () => {
    const { version } = readJson<{ version: string }>('package.json');
    const { Major, Minor, Patch } = readTaskJson().version;
    assert.equal(extension.version, version);
    assert.equal(`${Major}.${Minor}.${Patch}`, version);
  });

  it('lists only files and folders that exist', () => {
    for (const { path: rel } of extension.files) {
      assert.ok(fs.existsSync(path.join(repoRoot, rel)), `files entry ${rel} does not exist`);
    }
  });

  it('contributes one task whose folder holds a task.json and is packaged', () => {
    assert.equal(taskContributions.length, 1);
    const [contribution] = taskContributions;
    assert.deepEqual(contribution?.targets, ['ms.vss-distributed-task.tasks']);
    assert.equal(contribution?.properties.name, TASK_DIR);
    assert.ok(fs.existsSync(path.join(repoRoot, TASK_DIR, 'task.json')));
    const packaged = extension.files.map((f) => path.posix.normalize(f.path));
    assert.ok(packaged.includes(TASK_DIR), `${TASK_DIR} is not in files`);
  });

  it('gives every contribution a unique id', () => {
    const ids = extension.contributions.map((c) => c.id);
    assert.deepEqual([...new Set(ids)], ids);
  });

  it('has a 128x128 PNG extension icon', () => {
    assert.deepEqual(Object.keys(extension.icons), ['default']);
    assert.deepEqual(pngSize(path.join(repoRoot, extension.icons.default!)), {
      width: 128,
      height: 128,
    });
  });

  it('points content.details at an existing markdown file', () => {
    const details = extension.content.details?.path;
    assert.equal(details, 'README.md');
    assert.ok(fs.existsSync(path.join(repoRoot, details)));
  });
});
