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
 * Retries after failures (5xx, resets, timeouts) shared by every request of a run: a vault that
 * keeps failing uses the budget up and the run fails in seconds, instead of every concurrent
 * request backing off on its own. Throttling (429) is not failure and does not draw on it.
 */
export class RetryBudget {
  constructor(private remaining: number) {}
  take(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining -= 1;
    return true;
  }
}

/** Raised when one request got no answer within the request timeout, after retries. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    /** The host that did not answer: the message must name the service that hung. */
    readonly host: string,
    timeoutMs: number,
  ) {
    super(`No answer from ${host} within ${timeoutMs / 1000} s.`);
    this.name = 'RequestTimeoutError';
  }
}

export interface RetryDependencies {
  sleep: (ms: number, signal: AbortSignalLike | undefined) => Promise<void>;
  random: () => number;
  now: () => number;
}

type Attempt =
  | { kind: 'answer'; response: PipelineResponse }
  | { kind: 'error'; error: unknown; retryable: boolean };

function networkCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, response } = error as { code?: unknown; response?: unknown };
  // A RestError that carries a response is an HTTP answer, not a network failure.
  return response === undefined && typeof code === 'string' ? code : undefined;
}

/**
 * A pipeline policy that replaces the SDK's retries (which skip bare 429s) and applies the
 * per-request timeout: a request that times out is aborted and tried again.
 */
export function createRetryPolicy(
  settings: RetrySettings,
  budget: RetryBudget,
  requestTimeoutMs: number,
  deps: RetryDependencies,
): PipelinePolicy {
  const attempt = async (request: PipelineRequest, next: SendRequest): Promise<Attempt> => {
    // Our own timer rather than request.timeout: the SDK's HTTP client leaves that timer running
    // when a request fails (a reset, say), which keeps the process alive until it fires.
    const outer = request.abortSignal;
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, requestTimeoutMs);
    request.abortSignal = controller.signal;
    try {
      return { kind: 'answer', response: await next(request) };
    } catch (error) {
      if (timedOut && !outer?.aborted) {
        return {
          kind: 'error',
          error: new RequestTimeoutError(new URL(request.url).host, requestTimeoutMs),
          retryable: true,
        };
      }
      return {
        kind: 'error',
        error,
        retryable: !outer?.aborted && isRetryableNetworkCode(networkCode(error)),
      };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      request.abortSignal = outer;
    }
  };

  return {
    name: 'keyVaultSecretsTaskRetry',
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      let failures = 0;
      let throttles = 0;
      for (;;) {
        const result = await attempt(request, next);
        let delay: number;
        if (result.kind === 'answer') {
          const { response } = result;
          if (!isRetryableStatus(response.status)) return response;
          const requested = serverRequestedDelay((n) => response.headers.get(n), deps.now());
          if (response.status === 429) {
            if (throttles >= settings.maxThrottleRetries) return response;
            delay =
              requested ??
              backoffDelay(
                throttles,
                settings.throttleBaseDelayMs,
                settings.maxDelayMs,
                deps.random(),
              );
            throttles += 1;
          } else {
            if (failures >= settings.maxRetries || !budget.take()) return response;
            delay =
              requested ??
              backoffDelay(failures, settings.baseDelayMs, settings.maxDelayMs, deps.random());
            failures += 1;
          }
          if (delay > settings.maxDelayMs) return response;
        } else {
          if (!result.retryable || failures >= settings.maxRetries || !budget.take())
            throw result.error;
          delay = backoffDelay(failures, settings.baseDelayMs, settings.maxDelayMs, deps.random());
          failures += 1;
        }
        await deps.sleep(delay, request.abortSignal);
        if (request.abortSignal?.aborted) {
          throw Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
        }
      }
    },
  };
}

/** Real sleep that an abort ends early. */
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
