import type {
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from '@azure/core-rest-pipeline';
import {
  backoffDelay,
  isRetryableNetworkCode,
  isRetryableStatus,
  serverRequestedDelay,
  type RetrySettings,
} from './retryDelay';

/** The part of an abort signal a wait needs (the SDK's AbortSignalLike). */
interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * Retries shared by every request of a run: a vault that keeps failing uses up the budget and the
 * run fails in seconds, instead of every concurrent request backing off on its own.
 */
export class RetryBudget {
  constructor(private remaining: number) {}
  take(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining -= 1;
    return true;
  }
}

export interface RetryDependencies {
  sleep: (ms: number, signal: AbortSignalLike | undefined) => Promise<void>;
  random: () => number;
  now: () => number;
}

function networkCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, response } = error as { code?: unknown; response?: unknown };
  // A RestError that carries a response is an HTTP answer, not a network failure.
  return response === undefined && typeof code === 'string' ? code : undefined;
}

/** A pipeline policy that replaces the SDK's retries (which skip bare 429s). */
export function createRetryPolicy(
  settings: RetrySettings,
  budget: RetryBudget,
  deps: RetryDependencies,
): PipelinePolicy {
  return {
    name: 'keyVaultSecretsTaskRetry',
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      for (let retry = 0; ; retry += 1) {
        let delay: number;
        try {
          const response = await next(request);
          if (!isRetryableStatus(response.status) || retry >= settings.maxRetries) return response;
          const requested = serverRequestedDelay((n) => response.headers.get(n), deps.now());
          delay = requested ?? backoffDelay(retry, settings, deps.random());
          if (delay > settings.maxDelayMs || !budget.take()) return response;
        } catch (error) {
          if (!isRetryableNetworkCode(networkCode(error)) || retry >= settings.maxRetries)
            throw error;
          if (!budget.take()) throw error;
          delay = backoffDelay(retry, settings, deps.random());
        }
        await deps.sleep(delay, request.abortSignal);
      }
    },
  };
}

/** Real sleep that an abort ends early (the abort then surfaces from the next attempt). */
export function sleep(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
