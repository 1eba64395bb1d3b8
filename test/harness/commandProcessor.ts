/**
 * What the agent does with each line a Node task prints (docs/agent-interface.md §4–§6): runs logging
 * commands against job state, masks and records everything else, and derives the step result.
 *
 * Pure apart from the injected `fileExists`; `runTask.ts` feeds it lines in arrival order.
 * Source: microsoft/azure-pipelines-agent `WorkerCommandManager.cs`, `TaskCommandExtension.cs`,
 * `ExecutionContext.cs`, `StepsRunner.cs`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { AgentStrings } from './agentStrings';
import {
  escapeCommandValue,
  getProperty,
  parseCommandLine,
  unescapeCommandValue,
} from './commandParser';
import type { ParsedCommand } from './commandParser';
import {
  convertToBoolean,
  equalsOrdinalIgnoreCase,
  ordinalUpper,
  tryParseBoolean,
} from './dotnetSemantics';
import type { SecretMasker } from './masker';
import { mergeTaskResults, parseTaskResult } from './taskResult';
import type {
  AgentAttachment,
  AgentCommandRecord,
  AgentIssue,
  AgentVariable,
  TaskResult,
} from './types';

/** Command areas the agent has extensions for, besides `task` (accepted without modelling). */
const OTHER_KNOWN_AREAS = new Set([
  'ARTIFACT',
  'BUILD',
  'RELEASE',
  'CODECOVERAGE',
  'RESULTS',
  'TELEMETRY',
]);

/** Runtime knob read from job variables (RuntimeKnobSource), docs/agent-interface.md §6. */
const MULTILINE_KNOB = 'SYSTEM_UNSAFEALLOWMULTILINESECRET';

export interface JobVariableSeed {
  name: string;
  value: string;
  secret: boolean;
}

export interface CommandProcessorOptions {
  /** Masker already holding the job-level secrets. */
  masker: SecretMasker;
  /** Variables the job starts with (pipeline, system and agent variables, secret or not). */
  jobVariables?: JobVariableSeed[];
  /** Directory relative attachment paths are resolved against. */
  cwd?: string;
  /** `File.Exists` (default: an existing regular file). */
  fileExists?: (filePath: string) => boolean;
  /** Called once when `task.complete done=true` tells the agent to stop waiting for the process. */
  onForceComplete?: () => void;
  /**
   * The step's reference name (YAML `name:`): the agent stores an output variable `x` as the
   * read-only job variable `<stepName>.x` (docs/agent-interface.md §7). Default `KeyVaultSecrets1`.
   */
  stepName?: string;
}

export const DEFAULT_STEP_NAME = 'KeyVaultSecrets1';

interface JobVariable {
  name: string;
  value: string;
  secret: boolean;
  readOnly: boolean;
}

export interface ProcessExit {
  exitCode: number | null;
  timedOut: boolean;
  /** For the agent's exit-code message. */
  fileName: string;
  args: string;
}

function defaultFileExists(filePath: string): boolean {
  try {
    return fs.statSync(filePath).isFile();
  } catch {
    return false;
  }
}

export class AgentCommandProcessor {
  readonly log: string[] = [];
  readonly issues: AgentIssue[] = [];
  readonly commandErrors: string[] = [];
  readonly maskedValues: string[] = [];
  readonly variables = new Map<string, AgentVariable>();
  readonly taskVariables = new Map<string, { value: string; secret: boolean }>();
  readonly summaries: string[] = [];
  readonly attachments: AgentAttachment[] = [];
  readonly prependedPaths: string[] = [];
  readonly commands: AgentCommandRecord[] = [];

  private readonly masker: SecretMasker;
  /** `maskedValues` as a set, for the duplicate check. */
  private readonly maskedValueSet = new Set<string>();
  /**
   * The name each entry of `variables` is stored under, by ordinal-upper-cased name: the lookup
   * `setVariable` does for every command, without a scan of them all.
   */
  private readonly variableNames = new Map<string, string>();
  private readonly stepName: string;
  private readonly jobVariables = new Map<string, JobVariable>();
  private readonly cwd: string;
  private readonly fileExists: (filePath: string) => boolean;
  private readonly onForceComplete: (() => void) | undefined;
  /** context.Result, set by task.complete. */
  private taskResult: TaskResult | undefined;
  /** context.CommandResult, Failed once any command fails. */
  private commandResult: TaskResult | undefined;
  private forceCompleted = false;

  constructor(options: CommandProcessorOptions) {
    this.masker = options.masker;
    this.cwd = options.cwd ?? process.cwd();
    this.fileExists = options.fileExists ?? defaultFileExists;
    this.onForceComplete = options.onForceComplete;
    this.stepName = options.stepName ?? DEFAULT_STEP_NAME;
    for (const seed of options.jobVariables ?? []) {
      this.jobVariables.set(ordinalUpper(seed.name), { ...seed, readOnly: false });
    }
  }

  /** True once `task.complete done=true` was processed: the exit code no longer matters. */
  get isForceCompleted(): boolean {
    return this.forceCompleted;
  }

  /** One output line from stdout or stderr (`WorkerCommandManager.TryProcessCommand` + Output). */
  processLine(line: string, stream: 'stdout' | 'stderr'): void {
    const command = parseCommandLine(line);
    if (!command) {
      if (line.includes('##vso')) this.warning(AgentStrings.commandKeywordDetected(line));
      this.write('', line);
      return;
    }
    this.commands.push({ stream, line, ...command, properties: { ...command.properties } });

    const area = ordinalUpper(command.area);
    if (area === 'TASK') {
      try {
        this.processTaskCommand(command);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.error(AgentStrings.commandProcessFailed(line));
        this.error(reason);
        this.commandErrors.push(reason);
        this.commandResult = 'Failed';
      } finally {
        if (!equalsOrdinalIgnoreCase(command.event, 'debug')) {
          // Echoed after processing, so masked with what this very command registered. The agent
          // writes it as a debug line (context.Debug), shown only when System.Debug is true.
          this.write('##[debug]', `Processed: ${unescapeCommandValue(line)}`);
        }
      }
    } else if (OTHER_KNOWN_AREAS.has(area)) {
      this.write('##[debug]', `Processed: ${unescapeCommandValue(line)}`);
    } else {
      this.warning(AgentStrings.commandNotFound(command.area));
    }
  }

  /** `ExecutionContext.Error`: an error issue plus a `##[error]` log line, both masked. */
  error(message: string): void {
    this.issues.push({ type: 'error', message: this.masker.maskSecrets(message) });
    this.write('##[error]', message);
  }

  /** `ExecutionContext.Warning`. */
  warning(message: string): void {
    this.issues.push({ type: 'warning', message: this.masker.maskSecrets(message) });
    this.write('##[warning]', message);
  }

  /**
   * The step result once the process is gone (`StepsRunner`): a non-zero exit (unless
   * `done=true` released the process) or a timeout fails the step outright; then command failures
   * merge in; no result at all means Succeeded.
   */
  finish(exit: ProcessExit): TaskResult {
    let result = this.taskResult;
    if (exit.timedOut) {
      this.error(AgentStrings.stepTimedOut);
      result = 'Failed';
    } else if (!this.forceCompleted && exit.exitCode !== 0) {
      this.error(AgentStrings.processExitCode(exit.exitCode, exit.fileName, exit.args));
      result = 'Failed';
    }
    if (this.commandResult !== undefined) result = mergeTaskResults(result, this.commandResult);
    return result ?? 'Succeeded';
  }

  /** `ExecutionContext.Write`: the whole message (tag included) is masked, then split into lines. */
  private write(tag: string, message: string): void {
    const masked = this.masker.maskSecrets(tag + message);
    this.log.push(...masked.split(/\r\n|\r|\n/));
  }

  private registerSecret(value: string): void {
    if (!value) return;
    this.masker.addValue(value);
    if (this.maskedValueSet.has(value)) return;
    this.maskedValueSet.add(value);
    this.maskedValues.push(value);
  }

  private processTaskCommand(command: ParsedCommand): void {
    switch (command.event.toLowerCase()) {
      case 'setvariable':
        return this.setVariable(command);
      case 'setsecret':
        return this.registerSecret(command.data);
      case 'logissue':
      case 'issue':
        return this.logIssue(command);
      case 'complete':
        return this.complete(command);
      case 'debug':
        return this.write('##[debug]', command.data);
      case 'uploadsummary':
        if (!command.data) throw new Error(AgentStrings.cannotUploadSummary);
        this.attach('DistributedTask.Core.Summary', path.basename(command.data), command.data);
        this.summaries.push(command.data);
        return;
      case 'uploadfile':
        if (!command.data) throw new Error(AgentStrings.cannotUploadFile);
        return this.attach(
          'DistributedTask.Core.FileAttachment',
          path.basename(command.data),
          command.data,
        );
      case 'addattachment': {
        const type = getProperty(command, 'type');
        if (!type) throw new Error(AgentStrings.missingAttachmentType);
        const name = getProperty(command, 'name');
        if (!name) throw new Error(AgentStrings.missingAttachmentName);
        return this.attach(type, name, command.data);
      }
      case 'settaskvariable':
        return this.setTaskVariable(command);
      case 'prependpath':
        if (command.data) this.prependedPaths.push(command.data);
        return;
      case 'setprogress':
      case 'logdetail':
      case 'setendpoint':
        // Accepted; their effects (timeline records, endpoint edits) are not modelled.
        return;
      default:
        throw new Error(AgentStrings.commandNotFound2('task', command.event));
    }
  }

  /**
   * `TaskSetVariableCommand`, in the agent's order (docs/agent-interface.md §5): read-only check; if
   * secret: multi-line check, then the escaped data goes to the masker; then the variable is set
   * and (if secret, or secret before) the raw value goes to the masker.
   */
  private setVariable(command: ParsedCommand): void {
    const given = getProperty(command, 'variable');
    if (!given) throw new Error(AgentStrings.missingVariableName);
    const isSecret = tryParseBoolean(getProperty(command, 'issecret')) ?? false;
    const isOutput = tryParseBoolean(getProperty(command, 'isoutput')) ?? false;
    // An output variable is the read-only job variable `<step>.<name>` (docs/agent-interface.md §7).
    const name = isOutput ? `${this.stepName}.${given}` : given;
    const isReadOnly = isOutput || (tryParseBoolean(getProperty(command, 'isreadonly')) ?? false);
    const data = command.data;

    const key = ordinalUpper(name);
    const existing = this.jobVariables.get(key);
    if (existing?.readOnly) this.warning(AgentStrings.readOnlyVariableWarning(name));

    if (isSecret) {
      // Environment.NewLine is "\n" on Linux agents.
      if (data.includes('\n') && !this.multilineSecretsAllowed()) {
        throw new Error(AgentStrings.multilineSecret);
      }
      this.masker.addValue(escapeCommandValue(data));
    }

    // Once a secret, always a secret (Variables.Set).
    const secret = isSecret || (existing?.secret ?? false);
    if (secret) this.registerSecret(data);

    const readOnly = isReadOnly || (existing?.readOnly ?? false);
    this.jobVariables.set(key, { name, value: data, secret, readOnly });
    // Keep one entry per variable (names are case-insensitive), under the latest spelling.
    const previousName = this.variableNames.get(key);
    if (previousName !== undefined) this.variables.delete(previousName);
    this.variableNames.set(key, name);
    this.variables.set(name, { value: data, secret, isOutput, readOnly });
  }

  private multilineSecretsAllowed(): boolean {
    return convertToBoolean(this.jobVariables.get(MULTILINE_KNOB)?.value);
  }

  private setTaskVariable(command: ParsedCommand): void {
    const name = getProperty(command, 'variable');
    if (!name) throw new Error(AgentStrings.missingTaskVariableName);
    const secret = tryParseBoolean(getProperty(command, 'issecret')) ?? false;
    if (secret) this.registerSecret(command.data);
    this.taskVariables.set(name, { value: command.data, secret });
  }

  private logIssue(command: ParsedCommand): void {
    const type = getProperty(command, 'type');
    if (type === undefined) {
      this.warning(AgentStrings.cannotCreateTaskIssue);
      return;
    }
    if (equalsOrdinalIgnoreCase(type, 'error')) this.error(command.data);
    else if (equalsOrdinalIgnoreCase(type, 'warning')) this.warning(command.data);
    else throw new Error(AgentStrings.unexpectedIssueType(type));
  }

  private complete(command: ParsedCommand): void {
    const result = parseTaskResult(getProperty(command, 'result'));
    if (result === undefined) throw new Error(AgentStrings.invalidCommandResult);
    this.taskResult = mergeTaskResults(this.taskResult, result);
    if (tryParseBoolean(getProperty(command, 'done')) === true && !this.forceCompleted) {
      this.forceCompleted = true;
      this.onForceComplete?.();
    }
  }

  private attach(type: string, name: string, filePath: string): void {
    if (!filePath || !this.fileExists(path.resolve(this.cwd, filePath))) {
      throw new Error(AgentStrings.missingAttachmentFile);
    }
    this.attachments.push({ type, name, path: filePath });
  }
}
