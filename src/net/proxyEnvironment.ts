/**
 * The proxy variables some agents also carry in their environment. The task ignores them
 * (agentTransport.ts): the agent's proxy configuration, as task-lib's getHttpProxyConfiguration
 * reads it (Agent.ProxyUrl, its credentials and bypass list), is the only one. The agent never sets
 * these variables itself, so they say nothing about its settings and often disagree with them.
 */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'];

/** The proxy variables set in `env` (either case), by their upper-case names. */
export function proxyVariablesIn(env: Record<string, string | undefined>): string[] {
  return PROXY_VARIABLES.filter((name) => env[name] || env[name.toLowerCase()]);
}

/** Says, without their values (a proxy URL may carry a password), which variables are ignored. */
export function ignoredProxyVariablesNote(names: string[], agentProxy: boolean): string {
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set in this agent's environment and ignored: the task follows the agent's proxy settings (${agentProxy ? 'Agent.ProxyUrl, its credentials and bypass list' : 'none configured, so it connects directly'}). To change them, configure the agent (./config.sh --proxyurl … --proxyusername … --proxypassword …, or its .proxy and .proxybypass files).`;
}
