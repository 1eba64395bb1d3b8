/**
 * A sliding-window request limit, for Key Vault's 429 `Throttled` (docs/azure-protocols.md §2 "Throttling").
 * Rejected requests do not count against the window, as Key Vault documents for its limits.
 */
export class SlidingWindowLimiter {
  private accepted: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    if (!(limit >= 0) || !(windowMs > 0)) {
      throw new Error(
        `Invalid throttle {limit: ${limit}, windowMs: ${windowMs}}: need limit >= 0 and windowMs > 0.`,
      );
    }
  }

  /** Counts the request when under the limit; otherwise says how long until a slot frees up. */
  tryAcquire(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    this.accepted = this.accepted.filter((t) => t > now - this.windowMs);
    if (this.accepted.length < this.limit) {
      this.accepted.push(now);
      return { ok: true };
    }
    const oldest = this.accepted[0] ?? now;
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)),
    };
  }
}
