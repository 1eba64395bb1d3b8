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
    setSecret: (value) => tl.setSecret(value),
    setVariable: (name, value, secret) => tl.setVariable(name, value, secret),
    // Plain output lines are parsed for logging commands by the agent: neutralise them (§4).
    info: (message) => console.log(neutraliseCommands(message)),
    debug: (message) => tl.debug(neutraliseCommands(message)),
    warning: (message) => tl.warning(neutraliseCommands(message)),
    error: (message) => tl.error(neutraliseCommands(message)),
  };
}
