// Packages the extension into VSIX files (house style point 14). `npm run package` builds first, then:
//   tsx scripts/package.ts [--public | --dev] [--publisher <id>] [--output-dir <dir>]
// writes the public and the dev VSIX (only one with --public or --dev). The publisher comes from
// --publisher, else KVS_PUBLISHER, else vss-extension.json's placeholder.
// The script copies exactly the shipped files into a temporary staging folder, stamps the version
// from package.json into both manifests there (never into the committed ones), applies the dev
// identity for --dev, and runs the local tfx with --root on that folder. tfx packs whole folders
// listed under `files` and cannot exclude anything inside them, so staging is what keeps src/,
// node_modules/, tests and maps out of the VSIX.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseVersion } from './setVersion';

const repoRoot = path.resolve(__dirname, '..');

/** The task folder, relative to the repository root and to the VSIX root. */
export const TASK_DIR = 'tasks/KeyVaultSecrets';

/** Everything of the task folder that ships; `npm run build` writes the dist/ files. */
export const SHIPPED_TASK_FILES = [
  'task.json',
  'icon.png',
  'dist/main.js',
  'dist/main.js.LEGAL.txt',
  'dist/prejob.js',
  'dist/postjob.js',
  'dist/pkcs12.js',
  'dist/lib.json',
] as const;

/**
 * The dev variant can be installed beside the public extension in the same organization: both
 * the extension id and the task id+name differ, so neither the Marketplace nor the agent mixes them up.
 */
export const DEV_VARIANT = {
  extensionId: 'keyvault-secrets-dev',
  taskId: 'f1ddd000-eeb9-4bb4-bdb1-cad36d53f6af',
  taskName: 'KeyVaultSecretsDev',
  suffix: ' (dev)',
} as const;

export interface PackageOptions {
  /** Build the dev variant (DEV_VARIANT) instead of the public one. */
  dev?: boolean;
  /** Marketplace publisher id stamped into the manifest instead of vss-extension.json's. */
  publisher?: string;
  /** Folder for the .vsix; default `dist/` at the repository root. */
  outputDir?: string;
  /** Capture tfx's output (returned in `tfxOutput`) instead of passing it through. */
  quiet?: boolean;
}

export interface PackageResult {
  vsixPath: string;
  bytes: number;
  publisher: string;
  extensionId: string;
  version: string;
  taskId: string;
  taskName: string;
  /** tfx's stdout and stderr when `quiet`, else empty. */
  tfxOutput: string;
}

export interface ExtensionManifest {
  id: string;
  publisher: string;
  version: string;
  name: string;
  public?: boolean;
  galleryFlags?: string[];
  icons?: Record<string, string>;
  content?: Record<string, { path: string }>;
  screenshots?: { path: string }[];
  files: { path: string }[];
  contributions: { type: string; properties: { name: string } }[];
}

export interface TaskManifest {
  id: string;
  name: string;
  friendlyName: string;
  version: { Major: number; Minor: number; Patch: number };
}

/** Builds the VSIX and returns where it is and what identity it carries. Throws if tfx fails. */
export function packageExtension(options: PackageOptions = {}): PackageResult {
  const { version } = readJson<{ version: string }>('package.json');
  const committedManifest = readJson<ExtensionManifest>('vss-extension.json');
  const committedTask = readJson<TaskManifest>(path.join(TASK_DIR, 'task.json'));

  const missing = SHIPPED_TASK_FILES.filter(
    (f) => !fs.existsSync(path.join(repoRoot, TASK_DIR, f)),
  );
  if (missing.length > 0) {
    throw new Error(
      `Missing ${missing.map((f) => `${TASK_DIR}/${f}`).join(', ')}: run \`npm run build\` first.`,
    );
  }

  const { manifest, task } = stampManifests(
    committedManifest,
    committedTask,
    version,
    options.dev === true,
    options.publisher,
  );

  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-package-'));
  try {
    const root = path.join(staging, 'root');
    stageFiles(root, manifest);
    writeJson(path.join(root, 'vss-extension.json'), manifest);
    writeJson(path.join(root, TASK_DIR, 'task.json'), task);

    const outputDir = path.resolve(options.outputDir ?? path.join(repoRoot, 'dist'));
    fs.mkdirSync(outputDir, { recursive: true });
    const vsixPath = path.join(outputDir, `${manifest.publisher}.${manifest.id}-${version}.vsix`);
    fs.rmSync(vsixPath, { force: true });

    const tfxOutput = runTfx(
      [
        'extension',
        'create',
        '--root',
        root,
        '--manifest-globs',
        'vss-extension.json',
        '--output-path',
        vsixPath,
        '--no-prompt',
        // Captured output is searched for warnings by the tests: keep it free of colour codes.
        ...(options.quiet === true ? ['--no-color'] : []),
      ],
      path.join(staging, 'home'),
      options.quiet === true,
    );
    if (!fs.existsSync(vsixPath)) {
      throw new Error(`tfx exited 0 but wrote no ${vsixPath}.\n${tfxOutput}`);
    }
    return {
      vsixPath,
      bytes: fs.statSync(vsixPath).size,
      publisher: manifest.publisher,
      extensionId: manifest.id,
      version,
      taskId: task.id,
      taskName: task.name,
      tfxOutput,
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Returns copies of both manifests carrying `version` (1.2.3 -> extension "1.2.3", task
 * {Major: 1, Minor: 2, Patch: 3}), `publisher` when given and, when `dev`, the DEV_VARIANT identity:
 * private and flagged Preview. Pure: the inputs are left as they are.
 */
export function stampManifests<M extends ExtensionManifest, T extends TaskManifest>(
  extension: M,
  taskManifest: T,
  version: string,
  dev: boolean,
  publisher?: string,
): { manifest: M; task: T } {
  const parts = parseVersion(version);
  // Marketplace publisher ids: letters, digits and hyphens, starting with a letter or digit.
  if (publisher !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(publisher)) {
    throw new Error(`Publisher '${publisher}' must be a Marketplace publisher id, e.g. contoso.`);
  }
  const manifest = structuredClone(extension);
  const task = structuredClone(taskManifest);
  manifest.version = version;
  if (publisher !== undefined) manifest.publisher = publisher;
  task.version = parts;
  if (dev) {
    manifest.id = DEV_VARIANT.extensionId;
    manifest.name += DEV_VARIANT.suffix;
    manifest.public = false;
    manifest.galleryFlags = ['Preview'];
    task.id = DEV_VARIANT.taskId;
    task.name = DEV_VARIANT.taskName;
    task.friendlyName += DEV_VARIANT.suffix;
  }
  return { manifest, task };
}

/** Copies what ships into `root`: the task's SHIPPED_TASK_FILES, the other `files`, icons, content. */
function stageFiles(root: string, manifest: ExtensionManifest): void {
  const copy = (rel: string): void => {
    const from = path.join(repoRoot, rel);
    if (!fs.existsSync(from)) throw new Error(`vss-extension.json refers to missing ${rel}.`);
    fs.cpSync(from, path.join(root, rel), { recursive: true });
  };
  for (const { path: rel } of manifest.files) {
    if (path.posix.normalize(rel) === TASK_DIR) {
      SHIPPED_TASK_FILES.forEach((f) => copy(`${TASK_DIR}/${f}`));
    } else {
      copy(rel);
    }
  }
  for (const rel of Object.values(manifest.icons ?? {})) copy(rel);
  for (const { path: rel } of Object.values(manifest.content ?? {})) copy(rel);
  for (const { path: rel } of manifest.screenshots ?? []) copy(rel);
}

/**
 * Runs the repository's own tfx-cli with node. HOME (USERPROFILE on Windows) points at an empty
 * temporary folder: tfx keeps a settings cache in ~/.tfx whose saved options would otherwise leak
 * into the build, and `extension create` needs no login, so nothing outside the staging folder is
 * read or written and no network is used.
 */
function runTfx(args: string[], home: string, quiet: boolean): string {
  fs.mkdirSync(home, { recursive: true });
  const result = spawnSync(process.execPath, [tfxEntry(), ...args], {
    cwd: repoRoot,
    env: { ...process.env, HOME: home, USERPROFILE: home, TFX_BYPASS_CACHE: '1' },
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  const output = quiet ? `${result.stdout}${result.stderr}` : '';
  if (result.error)
    throw new Error(`Could not start tfx: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) {
    throw new Error(
      `tfx ${args.slice(0, 2).join(' ')} failed with exit code ${String(result.status ?? result.signal)}.` +
        (quiet ? `\n${output}` : ''),
    );
  }
  return output;
}

/** The repository's own tfx-cli entry script, to run with node. */
export function tfxEntry(): string {
  const tfxPackage = require.resolve('tfx-cli/package.json', { paths: [repoRoot] });
  const { bin } = JSON.parse(fs.readFileSync(tfxPackage, 'utf8')) as { bin: { tfx: string } };
  return path.join(path.dirname(tfxPackage), bin.tfx);
}

function readJson<T>(rel: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8')) as T;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The command line as one PackageOptions per VSIX to write: public and dev unless narrowed. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): PackageOptions[] {
  const shared: PackageOptions = {};
  if (env.KVS_PUBLISHER) shared.publisher = env.KVS_PUBLISHER;
  let variants = [false, true];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dev') {
      variants = [true];
    } else if (arg === '--public') {
      variants = [false];
    } else if (arg === '--output-dir' && argv[i + 1] !== undefined) {
      shared.outputDir = argv[++i];
    } else if (arg === '--publisher' && argv[i + 1] !== undefined) {
      shared.publisher = argv[++i];
    } else {
      throw new Error(
        `Unknown argument '${String(arg)}'. Expected --public, --dev, --publisher <id> or --output-dir <dir>.`,
      );
    }
  }
  return variants.map((dev) => ({ ...shared, dev }));
}

if (require.main === module) {
  try {
    for (const options of parseArgs(process.argv.slice(2))) {
      const result = packageExtension(options);
      const rel = path.relative(process.cwd(), result.vsixPath);
      console.log(`${rel}  ${(result.bytes / 1024).toFixed(1)} KiB`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
