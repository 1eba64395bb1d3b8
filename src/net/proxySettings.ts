import type { ProxySettings } from '@azure/core-rest-pipeline';
import type { ProxyForUrl } from '../agent/agentPort';

/**
 * Converts the agent's proxy (AGENT_PROXYURL and friends, already checked against the bypass list
 * for this URL) into the SDK's form. The SDK reads proxies only from HTTPS_PROXY or this option,
 * and the agent never sets HTTPS_PROXY (agent-contract.md §2).
 */
export function toProxySettings(proxy: ProxyForUrl | undefined): ProxySettings | undefined {
  if (!proxy) return undefined;
  const url = new URL(proxy.proxyUrl);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  // Credentials may also sit in the URL itself; the separate agent settings win.
  const username = proxy.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const password = proxy.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
  return {
    host: `${url.protocol}//${url.hostname}`,
    port,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
  };
}
