import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ProxyForUrl } from '../agent/agentPort';
import { createAgentTransport } from './agentTransport';
import { errorBodyPolicy } from './errorBodies';
import { proxyRefusalPolicy } from './proxyRefusalPolicy';
import { runSignalPolicy } from './runSignalPolicy';
import { WireLog } from './wireLog';
import type { RetrySettings } from './retryDelay';
import { createRetryPolicy, sleep, type RetryBudget } from './retryPolicy';

/** How every client of a run talks HTTP: Key Vault, Entra and Azure DevOps alike. */
export interface HttpSettings {
  retry: RetrySettings;
  /** Shared by all requests of the run, token requests included. */
  retryBudget: RetryBudget;
  requestTimeoutMs: number;
  /** Open connections per destination; the run's concurrency. */
  maxSockets: number;
  /** The agent's proxy for a URL (undefined: direct). */
  proxyFor: (url: string) => ProxyForUrl | undefined;
  /** PEM of a CA to trust besides Node's roots (the agent's Agent.CAInfo). */
  extraCa: string | undefined;
  /** The run's signal (cancellation, TimeoutSeconds): every request of the run obeys it. */
  signal?: AbortSignal;
}

export interface PipelineOptions {
  /** Chooses every request's connection from the agent's settings (agentTransport.ts). */
  httpClient: HttpClient;
  retryOptions: { maxRetries: number };
  additionalPolicies: Array<{ policy: PipelinePolicy; position: 'perCall' | 'perRetry' }>;
}

export interface RunPipeline {
  options: PipelineOptions;
  /** What the wire showed per host (in-flight requests, last error answers). */
  wire: WireLog;
  /** Closes the run's connections. */
  dispose(): void;
}

/** Builds the policies once per run, so all clients share connections and the retry budget. */
export function createPipeline(http: HttpSettings): RunPipeline {
  const retry = createRetryPolicy(http.retry, http.retryBudget, http.requestTimeoutMs, {
    sleep,
    random: Math.random,
    now: Date.now,
  });
  const wire = new WireLog();
  const transport = createAgentTransport(http.proxyFor, http.maxSockets, http.extraCa);
  return {
    options: {
      httpClient: transport,
      // The SDK's retries give up on a 429 without Retry-After; ours replace them.
      retryOptions: { maxRetries: 0 },
      additionalPolicies: [
        ...(http.signal
          ? [{ policy: runSignalPolicy(http.signal, wire), position: 'perCall' as const }]
          : []),
        { policy: retry, position: 'perCall' },
        { policy: proxyRefusalPolicy, position: 'perRetry' },
        { policy: errorBodyPolicy, position: 'perRetry' },
        { policy: wire.policy, position: 'perRetry' },
      ],
    },
    wire,
    dispose: () => transport.dispose(),
  };
}
