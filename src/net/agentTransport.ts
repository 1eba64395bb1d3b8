import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Agent } from 'node:http';
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ProxyForUrl } from '../agent/agentPort';
import { sendOverAgent } from './sendOverAgent';

/** The HTTP client every SDK client of a run sends through, and how to close its connections. */
export interface AgentTransport extends HttpClient {
  /** Closes every connection, so no socket (say, one a reset left half-open) outlives the run. */
  dispose(): void;
}

/**
 * Sends every request of the run over a connection the agent's settings choose: through the
 * agent's proxy (Agent.ProxyUrl, its credentials and bypass list, matched against the whole URL as
 * task-lib does) or direct, trusting the agent's CA, always kept alive, one pool per proxy and
 * origin.
 *
 * It is the `httpClient` of every client because that is the one step after all policies. The
 * SDK's proxy policy (core-rest-pipeline `proxyPolicy`) reads HTTPS_PROXY / HTTP_PROXY / ALL_PROXY
 * and NO_PROXY from the environment whenever a client is built without `proxyOptions`, and sets an
 * un-pooled HttpsProxyAgent on each request: a new tunnel and TLS session per request, without the
 * agent's proxy credentials, ignoring its bypass list. MSAL sends through @azure/identity's client
 * (its `networkClient`), so sign-in requests take the same path. Whatever agent that policy picked
 * is replaced here: the agent's settings are the only source (README, "Proxy").
 */
export function createAgentTransport(
  proxyFor: (url: string) => ProxyForUrl | undefined,
  maxSockets: number,
  extraCa: string | undefined,
): AgentTransport {
  // Node's bundled roots plus the agent's CA: handing `ca` replaces the default store.
  const tlsOptions = extraCa ? { ca: [...tls.rootCertificates, extraCa] } : {};
  const agents = new Map<string, Agent>();
  // Decided once per origin: task-lib writes four debug lines each time it is asked.
  const byOrigin = new Map<string, Agent>();
  let direct: http.Agent | undefined;

  const agentFor = (url: string): Agent => {
    const known = byOrigin.get(originOf(url));
    if (known) return known;
    const parsed = new URL(url);
    let agent: Agent;
    if (parsed.protocol !== 'https:') {
      // Only the machine's managed identity endpoint is plain http (IMDS or loopback): never
      // proxied, as the agent itself bypasses loopback.
      direct ??= new http.Agent({ keepAlive: true, maxSockets });
      agent = direct;
    } else {
      const proxy = proxyFor(url);
      const key = proxy ? proxyKey(proxy) : 'direct';
      agent =
        agents.get(key) ??
        (proxy
          ? new TunnelAgent(
              proxyUrlWithCredentials(proxy),
              { keepAlive: true, maxSockets },
              tlsOptions,
            )
          : new https.Agent({ keepAlive: true, maxSockets, ...tlsOptions }));
      agents.set(key, agent);
    }
    byOrigin.set(originOf(url), agent);
    return agent;
  };

  return {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const agent = agentFor(request.url);
      // Set on the request too: policies and errors that look at it see the connection used.
      request.agent = agent;
      return sendOverAgent(request, agent);
    },
    dispose(): void {
      for (const agent of agents.values()) agent.destroy();
      direct?.destroy();
      agents.clear();
      byOrigin.clear();
      direct = undefined;
    },
  };
}

/** `scheme://authority` of a URL the SDK built, without parsing it: this runs for every request. */
export function originOf(url: string): string {
  const end = url.indexOf('/', url.indexOf('//') + 2);
  return (end < 0 ? url : url.slice(0, end)).toLowerCase();
}

type ConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

/**
 * agent-base guesses whether a target is https from the call stack; when a kept-alive socket is
 * freed the guess is wrong, the socket is pooled under an http name and never reused. Every target
 * of this agent is https (only https URLs are tunnelled). TLS options given to the constructor
 * only reach the connection to the proxy, so the target's trust is added per connect.
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
