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

  it('points content.details at the Marketplace overview, not the developer README', () => {
    const details = extension.content.details?.path;
    assert.equal(details, 'overview.md');
    assert.ok(fs.existsSync(path.join(repoRoot, details)));
  });

  it('ships the MIT licence that package.json names, as content.license and a link', () => {
    assert.deepEqual(extension.content.license, { path: 'LICENSE', contentType: 'text/plain' });
    const licence = fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
    assert.match(licence, /^MIT License\n/);
    assert.equal(readJson<{ license: string }>('package.json').license, 'MIT');
    assert.equal(extension.links.license?.uri, `${extension.repository.uri}/blob/main/LICENSE`);
  });

  it('is public and not Preview, or private without the Public flag', () => {
    // README, "Versioning and publishing": private until the publisher is verified. The dev build
    // is always private and Preview (package.test.ts).
    const flags = extension.galleryFlags ?? [];
    assert.ok(!flags.includes('Preview'), 'the public build is flagged Preview');
    assert.equal(flags.includes('Public'), extension.public === true);
  });

  it('links getstarted and support into the repository, which package.json names too', () => {
    const repo = extension.repository;
    assert.equal(repo.type, 'git');
    assert.match(repo.uri, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    assert.equal(
      readJson<{ repository: { url: string } }>('package.json').repository.url,
      `git+${repo.uri}.git`,
    );
    assert.deepEqual(Object.keys(extension.links).sort(), ['getstarted', 'license', 'support']);
    assert.equal(extension.links.getstarted?.uri, `${repo.uri}#readme`);
    assert.equal(extension.links.support?.uri, `${repo.uri}/issues`);
    assert.equal(readTaskJson().helpUrl, `${repo.uri}#readme`);
  });

  // The screenshots themselves: screenshots.test.ts.
  it('has branding and tags', () => {
    assert.match(extension.branding.color, /^#[0-9A-Fa-f]{6}$/);
    assert.ok(['dark', 'light'].includes(extension.branding.theme));
    assert.ok(extension.tags.includes('Key Vault'));
  });

  it('keeps CHANGELOG.md with an entry for the current version', () => {
    const changelog = fs.readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8');
    assert.match(
      changelog,
      new RegExp(`^## \\[?${extension.version.replace(/\./g, '\\.')}\\]?`, 'm'),
    );
  });
});
