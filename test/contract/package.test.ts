// Packaging: scripts/package.ts builds a VSIX holding exactly what ships, and a dev variant that can
// be installed beside the public one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEV_VARIANT,
  packageExtension,
  parseArgs,
  stampManifests,
  type ExtensionManifest,
  type PackageResult,
  type TaskManifest,
} from '../../scripts/package';
import {
  builtFile,
  readExtensionJson,
  readTaskJson,
  repoRoot,
  TASK_DIR,
  type TaskJson,
} from './repo';
import { readZip, type ZipEntry } from './zip';

describe('packaging (scripts/package.ts)', function () {
  // Each tfx run takes a second or two.
  this.timeout(120_000);

  let outputDir: string;
  let publicVsix: PackageResult;
  let devVsix: PackageResult;

  before(() => {
    builtFile(`${TASK_DIR}/dist/main.js`);
    outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-vsix-'));
    publicVsix = packageExtension({ outputDir, quiet: true });
    devVsix = packageExtension({ outputDir, quiet: true, dev: true });
  });

  after(() => {
    fs.rmSync(outputDir, { recursive: true, force: true });
  });

  const files = (vsix: PackageResult): ZipEntry[] =>
    readZip(vsix.vsixPath).filter((e) => !e.name.endsWith('/'));
  const entry = (vsix: PackageResult, name: string): Buffer => {
    const found = files(vsix).find((e) => e.name === name);
    assert.ok(found, `${name} is not in ${vsix.vsixPath}`);
    return found.read();
  };

  it('names the VSIX <publisher>.<id>-<version>.vsix', () => {
    const { publisher, version } = readExtensionJson();
    assert.equal(
      path.basename(publicVsix.vsixPath),
      `${publisher}.keyvault-secrets-${version}.vsix`,
    );
    assert.equal(
      path.basename(devVsix.vsixPath),
      `${publisher}.keyvault-secrets-dev-${version}.vsix`,
    );
  });

  it('holds exactly the manifests, overview, licence, images and the shipped task files', () => {
    const images = fs.readdirSync(path.join(repoRoot, 'images')).map((f) => `images/${f}`);
    const expected = [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension.vsomanifest',
      'overview.md',
      'LICENSE',
      ...images,
      `${TASK_DIR}/task.json`,
      `${TASK_DIR}/icon.png`,
      `${TASK_DIR}/dist/main.js`,
      `${TASK_DIR}/dist/main.js.LEGAL.txt`,
      `${TASK_DIR}/dist/prejob.js`,
      `${TASK_DIR}/dist/postjob.js`,
      `${TASK_DIR}/dist/pkcs12.js`,
      `${TASK_DIR}/dist/lib.json`,
    ];
    for (const vsix of [publicVsix, devVsix]) {
      const names = files(vsix).map((e) => e.name);
      assert.deepEqual([...names].sort(), [...expected].sort());
      assert.deepEqual(
        names.filter((n) => /node_modules|\.ts$|\.map$|^src\/|^test\//.test(n)),
        [],
      );
    }
  });

  it('ships the built bundle byte for byte', () => {
    const built = fs.readFileSync(builtFile(`${TASK_DIR}/dist/main.js`));
    assert.ok(entry(publicVsix, `${TASK_DIR}/dist/main.js`).equals(built));
  });

  it('passes tfx without warnings', () => {
    // tfx only warns about a bad task.json (docs/agent-interface.md §11); treat a warning as a failure.
    assert.doesNotMatch(publicVsix.tfxOutput, /warning/i);
    assert.doesNotMatch(devVsix.tfxOutput, /warning/i);
  });

  it('packages the committed task.json with the package.json version stamped', () => {
    const packaged = JSON.parse(
      entry(publicVsix, `${TASK_DIR}/task.json`).toString('utf8'),
    ) as TaskJson;
    assert.deepEqual(packaged, readTaskJson());
    assert.equal(publicVsix.taskId, readTaskJson().id);
  });

  it('gives the dev variant its own extension id, task id and task name', () => {
    const task = JSON.parse(entry(devVsix, `${TASK_DIR}/task.json`).toString('utf8')) as TaskJson;
    assert.equal(devVsix.extensionId, DEV_VARIANT.extensionId);
    assert.notEqual(devVsix.extensionId, publicVsix.extensionId);
    assert.equal(task.id, DEV_VARIANT.taskId);
    assert.notEqual(task.id.toLowerCase(), readTaskJson().id.toLowerCase());
    assert.equal(task.name, 'KeyVaultSecretsDev');
    assert.equal(task.friendlyName, `${readTaskJson().friendlyName} (dev)`);
    const manifest = entry(devVsix, 'extension.vsixmanifest').toString('utf8');
    assert.match(manifest, /<Identity [^>]*Id="keyvault-secrets-dev"/);
    assert.match(manifest, /<DisplayName>[^<]*\(dev\)<\/DisplayName>/);
  });

  it('flags the public build Public and the dev build Preview, not public', () => {
    const flags = (vsix: PackageResult): string | undefined =>
      /<GalleryFlags>([^<]*)<\/GalleryFlags>/.exec(
        entry(vsix, 'extension.vsixmanifest').toString('utf8'),
      )?.[1];
    assert.equal(flags(publicVsix), 'Public');
    assert.equal(flags(devVsix), 'Preview');
  });

  it('carries the listing: details, licence, screenshots, links and repository', () => {
    const manifest = entry(publicVsix, 'extension.vsixmanifest').toString('utf8');
    const assets = [...manifest.matchAll(/<Asset Type="([^"]+)" d:Source="File" Path="([^"]+)"/g)]
      .filter(([, type]) => type!.startsWith('Microsoft.VisualStudio.Services.'))
      .map(([, type, file]) => `${type!.replace('Microsoft.VisualStudio.Services.', '')} ${file}`);
    assert.deepEqual(assets, [
      'Icons.Default images/extension-icon.png',
      ...readExtensionJson().screenshots.map((s, i) => `Screenshots.${i + 1} ${s.path}`),
      'Content.Details overview.md',
      'Content.License LICENSE',
      'Manifest extension.vsomanifest',
    ]);
    for (const link of ['Getstarted', 'Support', 'License', 'GitHub']) {
      assert.match(manifest, new RegExp(`Links\\.${link}" Value="https://`), link);
    }
  });

  it('keeps the committed manifests untouched', () => {
    // Stamping happens in the staging copy only.
    assert.equal(readExtensionJson().id, 'keyvault-secrets');
    assert.equal(readTaskJson().name, 'KeyVaultSecrets');
  });

  describe('stampManifests', () => {
    const extension = { id: 'x', name: 'X', version: '0.0.0' } as ExtensionManifest;
    const task: TaskManifest = {
      id: '00000000-0000-0000-0000-000000000000',
      name: 'T',
      friendlyName: 'T',
      version: { Major: 0, Minor: 0, Patch: 0 },
    };

    it('stamps 1.2.3 as extension 1.2.3 and task {Major 1, Minor 2, Patch 3}', () => {
      const stamped = stampManifests(extension, task, '1.2.3', false);
      assert.equal(stamped.manifest.version, '1.2.3');
      assert.deepEqual(stamped.task.version, { Major: 1, Minor: 2, Patch: 3 });
      assert.equal(stamped.task.id, task.id);
      assert.equal(extension.version, '0.0.0', 'the input was changed');
    });

    it('stamps a publisher when given, and refuses one that is not a publisher id', () => {
      const manifest = { ...extension, publisher: 'placeholder' };
      assert.equal(
        stampManifests(manifest, task, '1.2.3', false, 'contoso').manifest.publisher,
        'contoso',
      );
      assert.equal(
        stampManifests(manifest, task, '1.2.3', false).manifest.publisher,
        'placeholder',
      );
      assert.throws(
        () => stampManifests(manifest, task, '1.2.3', false, 'contoso labs'),
        /^Error: Publisher 'contoso labs' must be a Marketplace publisher id, e\.g\. contoso\.$/,
      );
    });

    it('makes the dev variant private and Preview', () => {
      const stamped = stampManifests({ ...extension, public: true }, task, '1.2.3', true);
      assert.equal(stamped.manifest.public, false);
      assert.deepEqual(stamped.manifest.galleryFlags, ['Preview']);
    });

    for (const bad of ['1.2', '1.2.3-beta.1', 'v1.2.3', '1.2.3.4']) {
      it(`refuses version '${bad}'`, () => {
        assert.throws(() => stampManifests(extension, task, bad, false), /MAJOR\.MINOR\.PATCH/);
      });
    }
  });

  describe('command line', () => {
    it('writes the public and the dev VSIX by default, one with --public or --dev', () => {
      assert.deepEqual(parseArgs([], {}), [{ dev: false }, { dev: true }]);
      assert.deepEqual(parseArgs(['--public'], {}), [{ dev: false }]);
      assert.deepEqual(parseArgs(['--dev', '--output-dir', 'out'], {}), [
        { dev: true, outputDir: 'out' },
      ]);
    });

    it('takes the publisher from --publisher, else KVS_PUBLISHER', () => {
      assert.deepEqual(parseArgs(['--public'], { KVS_PUBLISHER: 'contoso' }), [
        { dev: false, publisher: 'contoso' },
      ]);
      assert.deepEqual(parseArgs(['--publisher', 'fabrikam'], { KVS_PUBLISHER: 'contoso' }), [
        { dev: false, publisher: 'fabrikam' },
        { dev: true, publisher: 'fabrikam' },
      ]);
      assert.throws(() => parseArgs(['--token', 'x'], {}), /^Error: Unknown argument '--token'\./);
    });
  });
});
