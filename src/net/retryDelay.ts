/**
 * Pure retry rules. Key Vault and Entra ask clients to wait with `Retry-After` (seconds or an HTTP
 * date) or `retry-after-ms` / `x-ms-retry-after-ms`; Key Vault also sends bare 429s, for which the
 * SDK does not retry at all (docs/azure-protocols.md §2, "Throttling and retries"), so we own backoff.
 */

export interface RetrySettings {
  /** Retries of one request after server errors, timeouts and resets. */
  maxRetries: number;
  /** First backoff after such a failure; doubled per retry, jittered to ½–1×. */
  baseDelayMs: number;
  /** Retries of one request after 429s: throttling passes, so it gets more patience. */
  maxThrottleRetries: number;
  /** First backoff after a 429 without Retry-After (Learn advises 1, 2, 4, 8, 16 s). */
  throttleBaseDelayMs: number;
  /** Upper bound of any single wait, server-requested ones included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxRetries: 3,
  baseDelayMs: 400,
  maxThrottleRetries: 8,
  throttleBaseDelayMs: 1000,
  maxDelayMs: 30_000,
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Connection failures worth another try; ENOTFOUND (a name that does not resolve) is not one. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/** The wait the server asked for, in ms, or undefined when it asked for none. */
export function serverRequestedDelay(
  header: (name: string) => string | undefined,
  nowMs: number,
): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = header(name);
    if (value !== undefined && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  }
  const retryAfter = header('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff with jitter for retry number `retry` (0-based); `random` is in [0, 1). */
export function backoffDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: number,
): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  return Math.round(exponential * (0.5 + random / 2));
}
