/**
 * Starts a bundled task the way the Azure Pipelines agent's Node handler does and reads its output
 * the way the agent does (docs/agent-interface.md §1, §2, §10): `node <target>` with the agent's
 * environment overlay, stdin closed at once, stdout and stderr parsed line by line in arrival order.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

import { buildAgentEnv } from './agentEnv';
import { LineSplitter } from './commandParser';
import { AgentCommandProcessor } from './commandProcessor';
import { checkHandler, defaultHandler, type NodeHandler } from './handler';
import { SecretMasker } from './masker';
import type { AgentRun, AgentRunOptions } from './types';

/** An `AgentRun` as `runAgentTask` returns it: every harness addition is filled. */
export type HarnessRun = AgentRun &
  Required<
    Pick<
      AgentRun,
      | 'summaries'
      | 'summaryContents'
      | 'attachments'
      | 'taskVariables'
      | 'prependedPaths'
      | 'commands'
      | 'fileContents'
      | 'workDir'
      | 'env'
      | 'accessToken'
      | 'timedOut'
      | 'durationMs'
    >
  > & {
    /** The Node handler the run stood for, and the binary that ran the target. */
    handler: NodeHandler;
    nodePath: string;
  };

const DEFAULT_TIMEOUT_MS = 60_000;
/** task-lib's vault key, written to AGENT_TEMPDIRECTORY on load (docs/agent-interface.md §3). */
const TASK_KEY_FILE = '.taskkey';
/** Files larger than this are listed in filesLeft but their contents are not kept. */
const MAX_CAPTURED_FILE_BYTES = 16 * 1024 * 1024;

interface RunDirectories {
  root: string;
  workFolder: string;
  tempDir: string;
  defaultWorkingDirectory: string;
}

function createDirectories(options: AgentRunOptions): RunDirectories {
  // Mirrors the agent's layout: <work>/_temp, <work>/1/s.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'azp-agent-run-'));
  const workFolder = path.join(root, '_work');
  const tempDir = options.tempDir ?? path.join(workFolder, '_temp');
  const defaultWorkingDirectory = path.join(workFolder, '1', 's');
  for (const dir of [workFolder, tempDir, defaultWorkingDirectory])
    fs.mkdirSync(dir, { recursive: true });
  return { root, workFolder, tempDir, defaultWorkingDirectory };
}

function listFiles(dir: string, prefix = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? path.join(prefix, entry.name) : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(path.join(dir, entry.name), relative));
    else files.push(relative);
  }
  return files.sort();
}

function collectFiles(tempDir: string): { filesLeft: string[]; fileContents: Map<string, Buffer> } {
  const filesLeft = listFiles(tempDir).filter((file) => file !== TASK_KEY_FILE);
  const fileContents = new Map<string, Buffer>();
  for (const file of filesLeft) {
    try {
      const full = path.join(tempDir, file);
      const stat = fs.statSync(full);
      if (stat.isFile() && stat.size <= MAX_CAPTURED_FILE_BYTES)
        fileContents.set(file, fs.readFileSync(full));
    } catch {
      // Vanished or unreadable: still listed.
    }
  }
  return { filesLeft, fileContents };
}

/**
 * What a later stage of the same task instance starts with, as the agent runs it (docs/agent-interface.md
 * §8): the task variables the earlier stage set and the same Agent.TempDirectory. The agent runs
 * `postjobexecution` at the end of the job whatever the earlier stages' results; so does a test,
 * by passing these options with the post-job target. The earlier run must have been started with
 * `keepTempDir: true` (its directory is removed with `cleanup(earlier)`, not by the later run).
 */
export function laterStageOf(
  earlier: HarnessRun,
): Required<Pick<AgentRunOptions, 'tempDir' | 'taskVariables'>> {
  if (!fs.existsSync(earlier.tempDir)) {
    throw new Error('The earlier stage ran without keepTempDir: its temp directory is gone.');
  }
  return { tempDir: earlier.tempDir, taskVariables: Object.fromEntries(earlier.taskVariables) };
}

/**
 * Removes the per-run directories (`workDir`, which holds the default temp dir). A `tempDir` the
 * caller supplied is left alone. Safe to call twice.
 */
export function cleanup(run: Pick<AgentRun, 'workDir' | 'tempDir'>): void {
  if (run.workDir) fs.rmSync(run.workDir, { recursive: true, force: true });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // Negative pid: the whole process group, so grandchildren holding the pipes die too.
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs the task once and returns what the agent would record. Never throws for task failures
 * (they are in `result`, `issues`, `commandErrors`); throws only when the process cannot start or
 * the options are inconsistent (e.g. an input task.json does not declare).
 */
export async function runAgentTask(options: AgentRunOptions): Promise<HarnessRun> {
  const started = Date.now();
  const dirs = createDirectories(options);
  const accessToken = options.accessToken ?? randomBytes(24).toString('base64url');
  const fallback = defaultHandler();
  const handler = options.handler ?? fallback.handler;
  const nodePath = options.nodePath ?? fallback.nodePath;
  const target = path.resolve(options.target);
  const cwd = options.cwd ?? dirs.defaultWorkingDirectory;

  let agentEnv;
  try {
    agentEnv = buildAgentEnv({ ...options, target, dirs, accessToken });
    // Only a handler that was named is checked: fixture scripts stand in for a declared target.
    const named = options.handler !== undefined || process.env.KVS_TASK_HANDLER !== undefined;
    if (named && agentEnv.taskJsonPath !== undefined) {
      checkHandler(agentEnv.taskJsonPath, handler, target);
    }
  } catch (error) {
    fs.rmSync(dirs.root, { recursive: true, force: true });
    throw error;
  }

  // Job-level secrets are masked from the first line (Worker.InitializeSecretMasker).
  const masker = SecretMasker.forAgent();
  for (const secret of agentEnv.jobSecrets) masker.addValue(secret);

  let pid: number | undefined;
  const processor = new AgentCommandProcessor({
    masker,
    jobVariables: agentEnv.variables,
    cwd,
    stepName: options.stepName,
    // done=true: the agent stops waiting and kills the process.
    onForceComplete: () => setImmediate(() => killGroup(pid)),
  });

  const outcome = await new Promise<{
    exitCode: number | null;
    signal: string | null;
    timedOut: boolean;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(nodePath, [target], {
      cwd,
      env: agentEnv.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    pid = child.pid;
    child.stdin.on('error', () => undefined);
    child.stdin.end();

    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const attach = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): void => {
      const decoder = new StringDecoder('utf8');
      const splitter = new LineSplitter();
      const feed = (text: string): void => {
        if (name === 'stdout') stdout += text;
        else stderr += text;
        for (const line of splitter.push(text)) {
          processor.processLine(line, name);
          options.onLine?.(line);
        }
      };
      stream.on('data', (chunk: Buffer) => feed(decoder.write(chunk)));
      stream.on('end', () => {
        feed(decoder.end());
        for (const line of splitter.end()) processor.processLine(line, name);
      });
    };
    attach(child.stdout, 'stdout');
    attach(child.stderr, 'stderr');

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

    // Cancelling a job: the agent first sends SIGINT to the task process (then SIGTERM, later).
    const cancel = (): void => {
      if (child.pid !== undefined && child.exitCode === null)
        process.kill(child.pid, options.cancelSignal ?? 'SIGINT');
    };
    if (options.cancel?.aborted) cancel();
    else options.cancel?.addEventListener('abort', cancel, { once: true });

    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(`Could not start '${nodePath}' for '${target}': ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, timedOut, stdout, stderr });
    });
  }).catch((error: unknown) => {
    fs.rmSync(dirs.root, { recursive: true, force: true });
    throw error;
  });

  const result = processor.finish({
    exitCode: outcome.exitCode,
    timedOut: outcome.timedOut,
    fileName: nodePath,
    args: `"${target.replace(/"/g, '\\"')}"`,
  });
  const { filesLeft, fileContents } = collectFiles(dirs.tempDir);

  const run: HarnessRun = {
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    result,
    variables: processor.variables,
    maskedValues: processor.maskedValues,
    issues: processor.issues,
    commandErrors: processor.commandErrors,
    log: processor.log,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    tempDir: dirs.tempDir,
    filesLeft,
    summaries: processor.summaries,
    summaryContents: processor.summaries.map((file) =>
      fs.readFileSync(path.resolve(cwd, file), 'utf8'),
    ),
    attachments: processor.attachments,
    taskVariables: processor.taskVariables,
    prependedPaths: processor.prependedPaths,
    commands: processor.commands,
    fileContents,
    workDir: dirs.root,
    env: agentEnv.env,
    accessToken,
    timedOut: outcome.timedOut,
    durationMs: Date.now() - started,
    handler,
    nodePath,
  };
  if (!options.keepTempDir) cleanup(run);
  return run;
}
