import https from 'node:https';
import tls from 'node:tls';
import type { Agent } from 'node:http';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ProxyForUrl } from '../agent/agentPort';

/**
 * Chooses the connection for every request: the agent's proxy or a direct connection, per URL
 * (the bypass list is matched against whole URLs, agent-contract.md §2), always kept alive.
 * The SDK's own proxy agent opens a new tunnel and TLS session for every request; an agent set
 * on the request makes the SDK's proxy policy stand aside.
 */
export function createConnectionPolicy(
  proxyFor: (url: string) => ProxyForUrl | undefined,
  maxSockets: number,
  extraCa: string | undefined,
): PipelinePolicy & { dispose(): void } {
  // Node's bundled roots plus the agent's CA: handing `ca` replaces the default store.
  const tlsOptions = extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {};
  const agents = new Map<string, Agent>();
  // Asked once per origin: task-lib writes four debug lines each time it is asked.
  const proxies = new Map<string, ProxyForUrl | undefined>();
  const agentFor = (url: string): Agent => {
    const origin = new URL(url).origin;
    if (!proxies.has(origin)) proxies.set(origin, proxyFor(url));
    const proxy = proxies.get(origin);
    const key = proxy ? proxyKey(proxy) : 'direct';
    let agent = agents.get(key);
    if (!agent) {
      agent = proxy
        ? new TunnelAgent(
            proxyUrlWithCredentials(proxy),
            { keepAlive: true, maxSockets },
            tlsOptions,
          )
        : new https.Agent({ keepAlive: true, maxSockets, ...tlsOptions });
      agents.set(key, agent);
    }
    return agent;
  };
  return {
    name: 'keyVaultSecretsTaskConnections',
    /** Closes every connection, so no socket (say, one a reset left half-open) outlives the run. */
    dispose(): void {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
    sendRequest(request, next): Promise<PipelineResponse> {
      // Plain-http endpoints (managed identity) are local: leave them to the SDK.
      if (!request.agent && request.url.startsWith('https:')) request.agent = agentFor(request.url);
      return next(request);
    },
  };
}

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/**
 * agent-base guesses whether a target is https from the call stack; when a kept-alive socket is
 * freed the guess is wrong, the socket is pooled under an http name and never reused. Every target
 * of this agent is https (the policy only hands it https URLs). TLS options given to the
 * constructor only reach the connection to the proxy, so the target's trust is added per connect.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    options: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly targetTls: { ca?: string[] },
  ) {
    super(proxy, options);
  }

  override isSecureEndpoint(): boolean {
    return true;
  }

  override connect(
    request: Parameters<HttpsProxyAgent<string>['connect']>[0],
    options: ConnectOptions,
  ): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(request, { ...options, ...this.targetTls });
  }
}

function proxyKey(proxy: ProxyForUrl): string {
  return JSON.stringify([proxy.proxyUrl, proxy.username ?? '', proxy.password ?? '']);
}

/** The agent hands credentials apart from the URL; the tunnelling agent wants them inside it. */
export function proxyUrlWithCredentials(proxy: ProxyForUrl): string {
  const url = new URL(proxy.proxyUrl);
  if (proxy.username) url.username = encodeURIComponent(proxy.username);
  if (proxy.password) url.password = encodeURIComponent(proxy.password);
  return url.href;
}
