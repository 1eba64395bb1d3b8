// The build output the agent runs: tasks/KeyVaultSecrets/dist/ after `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { builtFile, readJson, repoRoot, TASK_DIR } from './repo';

const dist = `${TASK_DIR}/dist`;

describe('bundle (tasks/KeyVaultSecrets/dist)', () => {
  it('holds exactly main.js, its licence file, prejob.js, postjob.js, pkcs12.js and lib.json', () => {
    builtFile(`${dist}/main.js`);
    assert.deepEqual(fs.readdirSync(path.join(repoRoot, dist)).sort(), [
      'lib.json',
      'main.js',
      'main.js.LEGAL.txt',
      'pkcs12.js',
      'postjob.js',
      'prejob.js',
    ]);
  });

  /** A stage shim: a few lines that require only node:module, then main.js for the work. */
  const stageShim = (file: string): string => {
    const text = fs.readFileSync(builtFile(`${dist}/${file}`), 'utf8');
    assert.ok(text.length < 4096, `${file} is ${text.length} bytes`);
    const required = [...text.matchAll(/require\(("[^"]+")\)/g)].map(
      (m) => JSON.parse(m[1]!) as string,
    );
    assert.deepEqual(required, ['node:module'], 'nothing of the Azure SDKs or task-lib');
    return text;
  };

  it('has a small prejob.js that loads main.js only in the prejob stage', () => {
    assert.match(stageShim('prejob.js'), /\("\.\/main\.js"\)\.runStage\("prejob"\)/);
  });

  it('has a small postjob.js that loads main.js only when the task wrote files', () => {
    const text = stageShim('postjob.js');
    assert.match(text, /\("\.\/main\.js"\)\.runCleanupStage\(/);
    assert.match(text, /VSTS_TASKVARIABLE_KEYVAULTSECRETS_WRITTENFILES/);
  });

  it('keeps PKIjs out of main.js: pkcs12.js carries it, loaded only for a PFX', () => {
    const main = fs.readFileSync(builtFile(`${dist}/main.js`), 'utf8');
    const pkcs12 = fs.readFileSync(builtFile(`${dist}/pkcs12.js`), 'utf8');
    assert.equal(main.includes('PKCS8ShroudedKeyBag'), false);
    assert.ok(pkcs12.includes('PKCS8ShroudedKeyBag'));
    assert.match(main, /\("\.\/pkcs12\.js"\)/);
    const legal = fs.readFileSync(builtFile(`${dist}/main.js.LEGAL.txt`), 'utf8');
    for (const name of ['pkijs', 'asn1js']) assert.match(legal, new RegExp(`^${name}@`, 'm'));
  });

  it("carries task-lib's lib.json unchanged (docs/agent-interface.md §3)", () => {
    const ours = fs.readFileSync(builtFile(`${dist}/lib.json`));
    const taskLib = fs.readFileSync(
      path.join(repoRoot, 'node_modules', 'azure-pipelines-task-lib', 'lib.json'),
    );
    assert.ok(ours.equals(taskLib));
  });

  it('names the bundled packages and their licences in main.js.LEGAL.txt', () => {
    const legal = fs.readFileSync(builtFile(`${dist}/main.js.LEGAL.txt`), 'utf8');
    for (const name of ['azure-pipelines-task-lib', '@azure/identity', '@azure/keyvault-secrets']) {
      const { version } = JSON.parse(
        fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { version: string };
      assert.ok(legal.includes(`${name}@${version} (MIT)`), `${name}@${version} is not listed`);
    }
    assert.match(legal, /Permission is hereby granted, free of charge/);
    assert.ok(
      fs.readFileSync(builtFile(`${dist}/main.js`), 'utf8').includes('main.js.LEGAL.txt'),
      'main.js does not point at its licence file',
    );
  });

  it('bundles only packages that declare support for the oldest Node the handlers run on', () => {
    // The Node24 handler may still run on Node 20 (microsoft/azure-pipelines-tasks
    // docs/migrateNode24.md), so every bundled package must support package.json's engines floor.
    // Newer @azure/* releases declare >=22; the lockfile keeps the last ones that declare >=20.
    const floor = readJson<{ engines: { node: string } }>('package.json').engines.node;
    assert.match(floor, /^>=20\./);
    const lock = readJson<{ packages: Record<string, { version?: string; engines?: unknown }> }>(
      'package-lock.json',
    ).packages;
    const legal = fs.readFileSync(builtFile(`${dist}/main.js.LEGAL.txt`), 'utf8');
    const bundled = [...legal.matchAll(/^(@?[^@\s]+)@(\d+\.\d+\.\d+\S*) \(/gm)].map(
      ([, name, version]) => ({ name: name!, version: version! }),
    );
    assert.ok(bundled.length > 10, `only ${bundled.length} packages found in the licence file`);
    const tooNew = bundled.flatMap(({ name, version }) => {
      const entry = Object.entries(lock).find(
        ([key, value]) => key.endsWith(`node_modules/${name}`) && value.version === version,
      );
      assert.ok(entry, `${name}@${version} is bundled but not in package-lock.json`);
      const engines = entry[1].engines as { node?: string } | undefined;
      const node = engines?.node === undefined || engines.node === '*' ? '>=0' : engines.node;
      // `>=16`, or alternatives such as `^14.21.3 || >=16`: the lowest major any of them admits.
      const majors = node
        .split('||')
        .map((range) => /^(?:>=|\^|~)?\s*(\d+)(?:\.\d+){0,2}$/.exec(range.trim())?.[1]);
      assert.ok(
        majors.every((major) => major !== undefined),
        `${name}@${version}: unexpected engines.node ${engines?.node}`,
      );
      const minimum = String(Math.min(...majors.map(Number)));
      return Number(minimum) > 20 ? [`${name}@${version} (node ${engines?.node})`] : [];
    });
    assert.deepEqual(tooNew, []);
  });

  it('is a self-contained bundle: it requires only Node built-ins', () => {
    const code = fs.readFileSync(builtFile(`${dist}/main.js`), 'utf8');
    const required = [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    const builtins = new Set(builtinModules);
    const foreign = [...new Set(required)].filter((m) => !builtins.has(m.replace(/^node:/, '')));
    assert.deepEqual(foreign, []);
    assert.doesNotMatch(code, /sourceMappingURL/);
  });

  it('does nothing when required: no output, no files, and it exports runStage', () => {
    // Style point 1: nothing runs at import time. task-lib writes .taskkey into the cwd when it is
    // loaded (docs/agent-interface.md §3), so an empty cwd also shows that task-lib was not loaded.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-require-'));
    try {
      const result = spawnSync(
        process.execPath,
        [
          '-e',
          `process.stdout.write(typeof require(${JSON.stringify(builtFile(`${dist}/main.js`))}).runStage)`,
        ],
        { cwd, env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 20_000 },
      );
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, 'function');
      assert.equal(result.status, 0);
      assert.deepEqual(fs.readdirSync(cwd), []);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
