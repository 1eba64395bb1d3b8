import type { PipelinePolicy, ProxySettings } from '@azure/core-rest-pipeline';
import { createRetryPolicy, sleep, type RetryBudget } from './retryPolicy';
import type { RetrySettings } from './retryDelay';
import { proxyRefusalPolicy } from './proxyRefusalPolicy';

/** How every client of a run talks HTTP: Key Vault and Entra alike. */
export interface HttpSettings {
  retry: RetrySettings;
  /** Shared by all requests of the run, token requests included. */
  retryBudget: RetryBudget;
}

export interface PipelineOptions {
  retryOptions: { maxRetries: number };
  additionalPolicies: Array<{ policy: PipelinePolicy; position: 'perCall' | 'perRetry' }>;
  proxyOptions?: ProxySettings;
}

/** SDK client options: our retries instead of the SDK's, and the agent's proxy when one applies. */
export function pipelineOptions(
  http: HttpSettings,
  proxy: ProxySettings | undefined,
): PipelineOptions {
  const retry = createRetryPolicy(http.retry, http.retryBudget, {
    sleep,
    random: Math.random,
    now: Date.now,
  });
  return {
    // The SDK's retries give up on a 429 without Retry-After; ours replace them.
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [
      { policy: retry, position: 'perCall' },
      { policy: proxyRefusalPolicy, position: 'perRetry' },
    ],
    ...(proxy ? { proxyOptions: proxy } : {}),
  };
}
