import fs from 'node:fs';
import * as tl from 'azure-pipelines-task-lib/task';
import type { AgentPort, EndpointRecord, ProxyForUrl } from './agentPort';
import { neutraliseCommands } from '../report/safeText';

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

/** The one implementation of {@link AgentPort}, over azure-pipelines-task-lib. */
export function createTaskLibAgent(): AgentPort {
  return {
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
          `The agent's CA file '${caFile}' (Agent.CAInfo) could not be read, so it is not trusted: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      }
    },
    setSecret: (value) => tl.setSecret(value),
    setVariable: (name, value, secret, output = false) =>
      tl.setVariable(name, value, secret, output),
    setTaskVariable: (name, value) => tl.setTaskVariable(name, value, false),
    // Plain output lines are parsed for logging commands by the agent: neutralise them (§4).
    info: (message) => console.log(neutraliseCommands(message)),
    debug: (message) => tl.debug(neutraliseCommands(message)),
    warning: (message) => tl.warning(neutraliseCommands(message)),
    error: (message) => tl.error(neutraliseCommands(message)),
  };
}
