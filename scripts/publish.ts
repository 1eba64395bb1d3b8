/**
 * Publishes a packaged VSIX to the Visual Studio Marketplace with the repository's tfx:
 *   MARKETPLACE_TOKEN=<token> npm run publish:vsix -- [--dev] [--vsix <file>] [--share-with <org>]
 * Without --vsix it takes dist/<publisher>.<id>-<version>.vsix as `npm run package` wrote it (the
 * dev one with --dev; KVS_PUBLISHER or --publisher as for packaging). The token is read from
 * MARKETPLACE_TOKEN only, never from the command line (it would stay in the shell history), and
 * never printed: it is replaced by *** in everything tfx says before that is shown, and no message
 * of ours includes it. A Marketplace token is an Azure DevOps personal access token with the
 * Marketplace (publish) scope (learn.microsoft.com, "Publish from the command line").
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_VARIANT, tfxEntry } from './package';

const repoRoot = path.resolve(__dirname, '..');
export const TOKEN_VARIABLE = 'MARKETPLACE_TOKEN';

export interface PublishOptions {
  vsixPath: string;
  token: string | undefined;
  /** Organizations a private (dev) extension is shared with. */
  shareWith?: string[];
}

/** Runs tfx with `args`; injectable so tests never reach the Marketplace. */
export type TfxRunner = (args: string[]) => { status: number | null; output: string };

/** The real runner: the local tfx under node, with an empty HOME so no tfx cache is read. */
export const runTfx: TfxRunner = (args) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-publish-'));
  try {
    const result = spawnSync(process.execPath, [tfxEntry(), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HOME: home, USERPROFILE: home, TFX_BYPASS_CACHE: '1' },
      encoding: 'utf8',
    });
    return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
};

/** `text` with every occurrence of `secret` replaced by ***. */
export function redact(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('***');
}

/**
 * Publishes `vsixPath`; throws (with a message that never holds the token) when the token is
 * missing, the VSIX does not exist, or tfx fails. Nothing is started before those checks pass.
 */
export function publishVsix(
  options: PublishOptions,
  tfx: TfxRunner = runTfx,
  log: (line: string) => void = console.log,
): void {
  const token = options.token?.trim();
  if (!token) {
    throw new Error(
      `${TOKEN_VARIABLE} is not set. Set it to a Marketplace personal access token (scope Marketplace: publish); nothing was published.`,
    );
  }
  if (!fs.existsSync(options.vsixPath)) {
    throw new Error(`${options.vsixPath} does not exist: run \`npm run package\` first.`);
  }
  const shareWith = options.shareWith ?? [];
  const result = tfx([
    'extension',
    'publish',
    '--vsix',
    options.vsixPath,
    '--auth-type',
    'pat',
    '--token',
    token,
    '--no-prompt',
    '--no-color',
    ...(shareWith.length > 0 ? ['--share-with', ...shareWith] : []),
  ]);
  const output = redact(result.output, token).trimEnd();
  if (output) log(output);
  if (result.status !== 0) {
    throw new Error(
      `tfx extension publish failed with exit code ${String(result.status)} for ${path.basename(options.vsixPath)}.`,
    );
  }
}

/** The command line and environment as PublishOptions; the token only from the environment. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): PublishOptions {
  let dev = false;
  let vsixPath: string | undefined;
  let publisher = env.KVS_PUBLISHER;
  const shareWith = (env.KVS_SHARE_WITH ?? '').split(/[\s,]+/).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg === '--dev') dev = true;
    else if (arg === '--vsix' && next !== undefined) vsixPath = argv[++i];
    else if (arg === '--publisher' && next !== undefined) publisher = argv[++i];
    else if (arg === '--share-with' && next !== undefined) shareWith.push(argv[++i]!);
    else if (arg === '--token' || arg?.startsWith('--token=')) {
      throw new Error(`Pass the token in ${TOKEN_VARIABLE}, not on the command line.`);
    } else {
      throw new Error(
        `Unknown argument '${String(arg)}'. Expected --dev, --vsix <file>, --publisher <id> or --share-with <organization>.`,
      );
    }
  }
  if (vsixPath === undefined) {
    const read = <T>(rel: string): T =>
      JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8')) as T;
    const manifest = read<{ publisher: string; id: string }>('vss-extension.json');
    const { version } = read<{ version: string }>('package.json');
    const id = dev ? DEV_VARIANT.extensionId : manifest.id;
    vsixPath = path.join(
      repoRoot,
      'dist',
      `${publisher ?? manifest.publisher}.${id}-${version}.vsix`,
    );
  }
  return { vsixPath, token: env[TOKEN_VARIABLE], shareWith };
}

if (require.main === module) {
  try {
    publishVsix(parseArgs(process.argv.slice(2), process.env));
  } catch (error) {
    const token = process.env[TOKEN_VARIABLE]?.trim() ?? '';
    console.error(redact(error instanceof Error ? error.message : String(error), token));
    process.exitCode = 1;
  }
}
