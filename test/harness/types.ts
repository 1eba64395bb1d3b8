/**
 * The agent-faithful runner's public surface: start the bundled task as the agent does and read its
 * output as the agent does (../docs/agent-interface.md §1, §2, §4, §5, §6, §10).
 */
import type { NodeHandler } from './handler';

/** An Azure RM service connection as the agent hands it to a task. */
export interface ServiceConnection {
  /** GUID; the agent uses it lower-cased in env names. */
  id: string;
  url?: string;
  scheme: string; // e.g. "ServicePrincipal"
  parameters: Record<string, string>; // authorization parameters
  data?: Record<string, string>; // endpoint data
}

export interface AgentRunOptions {
  /** Path of the script the handler targets (the bundle, e.g. tasks/KeyVaultSecrets/dist/main.js). */
  target: string;
  /** Task inputs by task.json name (not alias); defaults from task.json are applied first. */
  inputs: Record<string, string>;
  /** Service connections referenced by connectedService inputs. */
  endpoints?: ServiceConnection[];
  /** Pipeline variables (public). Secret ones go to `secretVariables`. */
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  /** Job access token for SYSTEMVSSCONNECTION (default: a random token, registered as a secret). */
  accessToken?: string;
  /** Agent proxy settings, as AGENT_PROXYURL etc. */
  proxy?: { url: string; username?: string; password?: string; bypass?: string[] };
  /** File with extra CA certificates, passed as NODE_EXTRA_CA_CERTS. */
  caFile?: string;
  /** Extra environment entries (raw). */
  env?: Record<string, string>;
  /** Kill the process after this many ms (default 60000). */
  timeoutMs?: number;
  /** Temp directory to use as AGENT_TEMPDIRECTORY (default: a new one). */
  tempDir?: string;
  /**
   * Added: task variables an earlier stage of the same task instance set (`task.settaskvariable`),
   * handed over as `VSTS_TASKVARIABLE_<NAME>`. See `laterStageOf` to run the post-job stage.
   */
  taskVariables?: Record<string, string | { value: string; secret: boolean }>;
  /**
   * The step's reference name (YAML `name:`): output variables are stored as
   * `<stepName>.<name>` (default `KeyVaultSecrets1`).
   */
  stepName?: string;

  // Harness additions (all optional).

  /**
   * Keep the work and temp directories after the run so tests can inspect them; call
   * `cleanup(run)` afterwards. Default false: they are removed once `filesLeft` and their
   * contents are collected. A caller-supplied `tempDir` is never removed.
   */
  keepTempDir?: boolean;
  /** Added: cancels the job as the agent does (SIGINT to the task process) when aborted. */
  cancel?: AbortSignal;
  /** Added: the signal `cancel` sends (default SIGINT, the agent's first; SIGTERM is its second,
   *  and what a host shutting down sends). */
  cancelSignal?: 'SIGINT' | 'SIGTERM';
  /** Added: called with each raw output line as it arrives (stdout and stderr). */
  onLine?: (line: string) => void;
  /** task.json that declares the inputs (default `<dirname(target)>/../task.json`). */
  taskJsonPath?: string;
  /**
   * The Node handler the agent picked (default `KVS_TASK_HANDLER`, else `Node20_1`). When named
   * here or by `KVS_TASK_HANDLER`, task.json must declare it with `target` (handler.ts).
   */
  handler?: NodeHandler;
  /** Node binary (default `KVS_TASK_NODE`, else `process.execPath`), e.g. a Node 24 for `Node24`. */
  nodePath?: string;
  /** Handler `workingDirectory` (default: System.DefaultWorkingDirectory, created per run). */
  cwd?: string;
}

export interface AgentVariable {
  value: string;
  secret: boolean;
  /** Set with isoutput=true: stored as the read-only `<stepName>.<name>`. */
  isOutput: boolean;
  readOnly: boolean;
}

export interface AgentIssue {
  type: 'error' | 'warning';
  message: string;
}

export type TaskResult =
  'Succeeded' | 'SucceededWithIssues' | 'Failed' | 'Canceled' | 'Skipped' | 'Abandoned';

export interface AgentRun {
  exitCode: number | null;
  signal: string | null;
  /** Step result as the agent derives it (§5): exit code, task.complete, command failures. */
  result: TaskResult;
  /** Variables set through task.setvariable, by name (case preserved as given). */
  variables: Map<string, AgentVariable>;
  /** Every value registered with the masker (setsecret data, secret setvariable values). */
  maskedValues: string[];
  issues: AgentIssue[];
  /** Commands the agent would refuse, with the agent's error text (each fails the step). */
  commandErrors: string[];
  /** The job log the agent would show: each output line masked, commands echoed as `Processed: …`. */
  log: string[];
  /** Raw process output. */
  stdout: string;
  stderr: string;
  /** Temp dir used; files left there can be inspected (removed by `cleanup`). */
  tempDir: string;
  /** Files (relative paths) present in tempDir after the run, besides task-lib's .taskkey. */
  filesLeft: string[];

  // Harness additions: always filled by `runAgentTask` (see `HarnessRun`), optional here so other
  // producers of `AgentRun` need not provide them.

  /** Markdown files attached with `task.uploadsummary`, in order (paths as the task gave them). */
  summaries?: string[];
  /** Added: the text of each of `summaries`, read when the process ended (the agent uploads a
   *  summary from the file after the step, so what is on disk then is what the run shows). */
  summaryContents?: string[];
  /** Files attached with `task.addattachment` / `task.uploadfile`. */
  attachments?: AgentAttachment[];
  /** Task variables set with `task.settaskvariable`, by name. */
  taskVariables?: Map<string, { value: string; secret: boolean }>;
  /** Directories prepended to PATH with `task.prependpath`. */
  prependedPaths?: string[];
  /** Every parsed logging command, in processing order (for order assertions such as "mask first"). */
  commands?: AgentCommandRecord[];
  /** Contents of each file in `filesLeft`, read before the temp dir was removed. */
  fileContents?: Map<string, Buffer>;
  /** Per-run root holding `_work` (work folder, temp dir, default working directory). */
  workDir?: string;
  /** The environment the task process was started with. */
  env?: Record<string, string>;
  /** The job access token handed over in SYSTEMVSSCONNECTION. */
  accessToken?: string;
  /** True when `timeoutMs` elapsed and the process was killed. */
  timedOut?: boolean;
  durationMs?: number;
}

export interface AgentAttachment {
  type: string;
  name: string;
  path: string;
}

export interface AgentCommandRecord {
  stream: 'stdout' | 'stderr';
  /** The raw output line. */
  line: string;
  area: string;
  event: string;
  /** Unescaped properties, keys as written (not trimmed). */
  properties: Record<string, string>;
  /** Unescaped data. */
  data: string;
}
