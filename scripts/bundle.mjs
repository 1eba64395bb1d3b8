// Bundles src/main.ts into the one file the agent runs (house style point 13), and writes what must
// sit beside it in tasks/KeyVaultSecrets/dist/:
//   main.js            the bundle (the `execution` target in task.json)
//   prejob.js          a few-line bundle of src/prejob.ts, the `prejobexecution` target
//   postjob.js         a few-line bundle of src/postjob.ts, the `postjobexecution` target
//   pkcs12.js          src/certificates/pkcs12.ts and PKIjs, loaded only to read or write a PFX
//   lib.json           task-lib's messages, loaded from __dirname (docs/agent-interface.md §3)
//   main.js.LEGAL.txt  licences of the bundled packages
// Usage: node scripts/bundle.mjs
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the bundle and its companions go; task.json's handler targets are relative to its folder. */
export const DIST_DIR = path.join(repoRoot, 'tasks', 'KeyVaultSecrets', 'dist');

/** The files bundle() writes into DIST_DIR, in the order they are listed. */
export const DIST_FILES = [
  'main.js',
  'main.js.LEGAL.txt',
  'prejob.js',
  'postjob.js',
  'pkcs12.js',
  'lib.json',
];

/**
 * Bundles `entry` into `<outDir>/main.js` and writes the shim, lib.json and licence file beside it.
 * The output folder is emptied first so no stale file (an old map, a renamed chunk) can be packaged.
 *
 * @param {{ entry?: string, outDir?: string }} [options]
 * @returns {Promise<{ outDir: string, files: { name: string, bytes: number }[] }>}
 */
export async function bundle({
  entry = path.join(repoRoot, 'src', 'main.ts'),
  outDir = DIST_DIR,
} = {}) {
  if (!fs.existsSync(entry)) {
    throw new Error(`Bundle entry ${path.relative(repoRoot, entry)} does not exist.`);
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: path.join(outDir, 'main.js'),
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    // One bundle for both handlers: Node24 may still run on Node 20 (docs/agent-interface.md §1, §12).
    target: 'node20',
    format: 'cjs',
    minify: true,
    // No source map: it would double the VSIX, and the agent would not use it.
    sourcemap: false,
    // `linked` moves /*! ... */ and @license comments into main.js.LEGAL.txt and leaves a pointer
    // to it in main.js; writeLegalFile() then adds every bundled package's licence text.
    legalComments: 'linked',
    // `open` is only imported, lazily, by InteractiveBrowserCredential to launch a browser, which
    // never happens on an agent. As an external it stays a dynamic import() that is evaluated only on
    // that path, instead of bundled ESM whose top-level import.meta.url is empty in CJS output.
    external: ['open'],
    metafile: true,
    logLevel: 'warning',
  });

  // PKCS#12 support is a bundle of its own, required from main.js at run time only when a PFX is
  // read or written (src/certificates/loadPkcs12.ts): runs without certificates never load it.
  const pkcs12 = await esbuild.build({
    entryPoints: [path.join(path.dirname(entry), 'certificates', 'pkcs12.ts')],
    outfile: path.join(outDir, 'pkcs12.js'),
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // PKIjs's ES module build lets esbuild drop what PKCS#12 does not use (about 60 KiB less).
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  // One licence file for both: pkcs12.js's extracted comments go in it too.
  const pkcs12Legal = path.join(outDir, 'pkcs12.js.LEGAL.txt');
  if (fs.existsSync(pkcs12Legal)) {
    fs.appendFileSync(path.join(outDir, 'main.js.LEGAL.txt'), fs.readFileSync(pkcs12Legal));
    fs.rmSync(pkcs12Legal);
  }
  const js = path.join(outDir, 'pkcs12.js');
  fs.writeFileSync(
    js,
    fs.readFileSync(js, 'utf8').replace('pkcs12.js.LEGAL.txt', 'main.js.LEGAL.txt'),
  );
  writeLegalFile(path.join(outDir, 'main.js.LEGAL.txt'), {
    inputs: { ...result.metafile.inputs, ...pkcs12.metafile.inputs },
  });
  // The agent starts `prejobexecution` and `postjobexecution` in their own Node processes
  // (docs/agent-interface.md §8). Each target is a separate few-line bundle that decides first and loads
  // main.js only when its stage has work: one copy of the big bundle, and a cheap skip.
  for (const stage of ['prejob', 'postjob']) {
    await esbuild.build({
      entryPoints: [path.join(path.dirname(entry), `${stage}.ts`)],
      outfile: path.join(outDir, `${stage}.js`),
      absWorkingDir: repoRoot,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['./main.js'],
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
  // task-lib reads lib.json from its own __dirname, which after bundling is dist/ (docs/agent-interface.md §3).
  fs.copyFileSync(
    path.join(repoRoot, 'node_modules', 'azure-pipelines-task-lib', 'lib.json'),
    path.join(outDir, 'lib.json'),
  );

  const written = fs.readdirSync(outDir).sort();
  const expected = [...DIST_FILES].sort();
  if (written.join('\n') !== expected.join('\n')) {
    throw new Error(`Expected ${expected.join(', ')} in ${outDir}, found ${written.join(', ')}.`);
  }
  return {
    outDir,
    files: DIST_FILES.map((name) => ({ name, bytes: fs.statSync(path.join(outDir, name)).size })),
  };
}

/**
 * Rewrites the legal file esbuild wrote: the full licence (and NOTICE, for Apache-2.0) of every
 * package with code in the bundle, identical texts listed once, then esbuild's extracted comments.
 * MIT, ISC and BSD require the copyright notice to travel with the code; most packages carry it only
 * in their LICENSE file, not in an @license comment.
 *
 * @param {string} legalPath
 * @param {import('esbuild').Metafile} metafile
 */
function writeLegalFile(legalPath, metafile) {
  const packageDirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1]) packageDirs.add(path.resolve(repoRoot, match[1]));
  }

  /** @type {Map<string, string[]>} licence text -> "name@version (license)" */
  const byText = new Map();
  for (const dir of packageDirs) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const files = fs
      .readdirSync(dir)
      .filter((f) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(f))
      .sort();
    if (!files.some((f) => !/^notice/i.test(f))) {
      throw new Error(`${pkg.name}@${pkg.version} is bundled but has no LICENSE file in ${dir}.`);
    }
    const text = files
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim())
      .join('\n\n');
    const label = `${pkg.name}@${pkg.version} (${pkg.license ?? 'see licence text'})`;
    byText.set(text, [...(byText.get(text) ?? []), label]);
  }

  const sections = [...byText.entries()]
    .map(([text, labels]) => ({ labels: labels.sort(), text }))
    .sort((a, b) => a.labels[0].localeCompare(b.labels[0]))
    .map(({ labels, text }) => `${labels.join('\n')}\n\n${text}`);
  const extracted = fs.existsSync(legalPath) ? fs.readFileSync(legalPath, 'utf8').trim() : '';
  const rule = `\n\n${'-'.repeat(78)}\n\n`;
  fs.writeFileSync(
    legalPath,
    'Third-party software bundled in main.js, and its licences.' +
      rule +
      sections.join(rule) +
      (extracted ? rule + extracted : '') +
      '\n',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { outDir, files } = await bundle();
  const rel = path.relative(repoRoot, outDir);
  for (const { name, bytes } of files) {
    console.log(`${path.join(rel, name).padEnd(48)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
  }
}
