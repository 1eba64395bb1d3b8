/** The sliding-window limiter behind Key Vault's 429 (pure, injectable clock). */
import assert from 'node:assert/strict';
import { SlidingWindowLimiter } from './throttle';

describe('sliding-window limiter', () => {
  it('admits `limit` requests per window and says when the oldest one leaves', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 10_000, () => now);
    assert.deepEqual(limiter.tryAcquire(), { ok: true });
    now = 2_500;
    assert.deepEqual(limiter.tryAcquire(), { ok: true });
    now = 3_000;
    assert.deepEqual(limiter.tryAcquire(), { ok: false, retryAfterSeconds: 7 });
    now = 9_999;
    assert.deepEqual(limiter.tryAcquire(), { ok: false, retryAfterSeconds: 1 });
    now = 10_000;
    assert.deepEqual(
      limiter.tryAcquire(),
      { ok: true },
      'the first request left; rejected ones never counted',
    );
    assert.equal(limiter.tryAcquire().ok, false);
  });

  it('refuses a window that cannot work', () => {
    assert.throws(() => new SlidingWindowLimiter(1, 0, () => 0), /Invalid throttle/);
  });
});
