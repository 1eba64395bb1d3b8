import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tl from 'azure-pipelines-task-lib/task';
import type { AgentPort, EndpointRecord, ProxyForUrl } from './agentPort';
import { neutraliseCommands } from '../report/safeText';
import { coalescedOutput } from './coalescedOutput';

/** Reads endpoint data: the agent exports it as one JSON variable per GUID endpoint (§2). */
function readEndpointData(id: string): Record<string, string> {
  const raw = process.env[`ENDPOINT_DATA_${id}`];
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed === null || typeof parsed !== 'object') return {};
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value === 'string') data[key] = value;
    }
    return data;
  } catch {
    return {};
  }
}

/** Node's code for a failed file read (ENOENT, EACCES): its message is data, never printed. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

/**
 * The one implementation of {@link AgentPort}, over azure-pipelines-task-lib. Everything it prints,
 * task-lib's logging commands included, leaves through one coalesced writer; `flush` writes what
 * is pending (it is also flushed when the process exits).
 */
export function createTaskLibAgent(): AgentPort & { flush(): void } {
  const output = coalescedOutput(process.stdout, (flush) => setImmediate(flush));
  tl.setStdStream(output);
  process.once('exit', output.flush);
  return {
    flush: output.flush,
    getInput: (name) => tl.getInput(name, false)?.trim() || undefined,
    getEndpoint(id): EndpointRecord | undefined {
      const auth = tl.getEndpointAuthorization(id, true);
      if (!auth) return undefined;
      return {
        id,
        url: tl.getEndpointUrl(id, true),
        scheme: auth.scheme,
        parameters: { ...auth.parameters },
        data: readEndpointData(id),
      };
    },
    getVariable: (name) => tl.getVariable(name),
    getVariableInfo(name): { value: string; secret: boolean } | undefined {
      const value = tl.getVariable(name);
      if (value === undefined) return undefined;
      // task-lib's key for a variable (getVariable): dots and spaces as underscores, upper case.
      // It reads the environment first and its secret vault only when the environment has none.
      const key = name.replace(/\.|\s/g, '_').toUpperCase();
      return { value, secret: process.env[key] === undefined };
    },
    getProxyFor(url): ProxyForUrl | undefined {
      const config = tl.getHttpProxyConfiguration(url);
      if (!config?.proxyUrl) return undefined;
      return {
        proxyUrl: config.proxyUrl,
        username: config.proxyUsername || undefined,
        password: config.proxyPassword || undefined,
      };
    },
    getAgentCaCertificates(): string | undefined {
      // A TLS-inspecting proxy re-signs traffic with a corporate CA the agent is told about
      // (./config.sh --sslcacert); Node only trusts it when handed over explicitly.
      const caFile = tl.getHttpCertConfiguration()?.caFile;
      if (!caFile) return undefined;
      try {
        return fs.readFileSync(caFile, 'utf8');
      } catch (error) {
        tl.warning(
          `The agent's CA file '${caFile}' (Agent.CAInfo) could not be read (${errorCode(error)}), so it is not trusted. Check that the file exists and that the agent's user may read it.`,
        );
        return undefined;
      }
    },
    writeSummaryFile(fileName, markdown): string {
      // Agent.TempDirectory is per job and emptied after it. The agent only queues an uploaded
      // summary and reads the file later (azure-pipelines-agent TaskCommandExtension.cs,
      // QueueAttachFile), so the file must outlive the task's process.
      const base = tl.getVariable('Agent.TempDirectory') || os.tmpdir();
      const dir = fs.mkdtempSync(path.join(base, 'keyvault-secrets-'));
      const file = path.join(dir, fileName);
      fs.writeFileSync(file, markdown, { encoding: 'utf8', mode: 0o644 });
      return file;
    },
    uploadSummary: (filePath) => tl.uploadSummary(filePath),
    setSecret: (value) => tl.setSecret(value),
    setVariable(name, value, secret, output = false): void {
      // A one-line secret needs only its command, the bytes tl.setVariable writes. tl.setVariable
      // would add a debug line per variable and encrypt the value into task-lib's in-process store
      // (reading its key file from disk each time) for tl.getVariable calls this task never makes.
      if (secret && value !== '' && !/[\r\n]/.test(value)) {
        tl.command(
          'task.setvariable',
          { variable: name, isOutput: output ? 'true' : 'false', issecret: 'true' },
          value,
        );
      } else {
        tl.setVariable(name, value, secret, output);
      }
    },
    setTaskVariable(name, value): void {
      tl.setTaskVariable(name, value, false);
      // Out now, not at the end of the turn: the record of files to remove must reach the agent
      // before the files exist, so a process that dies right after still has them removed.
      output.flush();
    },
    // Plain output lines are parsed for logging commands by the agent: neutralise them (§4).
    info: (message) => output.write(neutraliseCommands(message) + os.EOL),
    debug: (message) => tl.debug(neutraliseCommands(message)),
    warning: (message) => tl.warning(neutraliseCommands(message)),
    error: (message) => tl.error(neutraliseCommands(message)),
  };
}
