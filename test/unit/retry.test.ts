import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineResponse,
  type SendRequest,
} from '@azure/core-rest-pipeline';
import { backoffDelay, DEFAULT_RETRY, serverRequestedDelay } from '../../src/net/retryDelay';
import { createRetryPolicy, RetryBudget, sleep } from '../../src/net/retryPolicy';

describe('retry delays', () => {
  const headers =
    (h: Record<string, string>) =>
    (name: string): string | undefined =>
      h[name];
  const NOW = Date.parse('2026-11-27T12:00:00Z');

  it('reads retry-after-ms, x-ms-retry-after-ms, Retry-After seconds and dates', () => {
    assert.equal(serverRequestedDelay(headers({ 'retry-after-ms': '250' }), NOW), 250);
    assert.equal(serverRequestedDelay(headers({ 'x-ms-retry-after-ms': '40' }), NOW), 40);
    assert.equal(serverRequestedDelay(headers({ 'retry-after': '3' }), NOW), 3000);
    assert.equal(
      serverRequestedDelay(headers({ 'retry-after': 'Fri, 27 Nov 2026 12:00:05 GMT' }), NOW),
      5000,
    );
    assert.equal(
      serverRequestedDelay(headers({ 'retry-after': 'Fri, 27 Nov 2026 11:00:00 GMT' }), NOW),
      0,
    );
    assert.equal(serverRequestedDelay(headers({ 'retry-after': 'soon' }), NOW), undefined);
    assert.equal(serverRequestedDelay(headers({}), NOW), undefined);
  });

  it('backs off exponentially with jitter between half and all of the step, capped', () => {
    assert.equal(backoffDelay(0, 500, 3000, 0), 250);
    assert.equal(backoffDelay(0, 500, 3000, 0.999999), 500);
    assert.equal(backoffDelay(2, 500, 3000, 0), 1000);
    assert.equal(backoffDelay(10, 500, 3000, 0.999999), 3000);
  });
});

describe('retry policy', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers({ now: Date.parse('2026-11-27T12:00:00Z') })));
  afterEach(() => clock.restore());

  const request = createPipelineRequest({ url: 'https://contoso-kv.vault.azure.net/secrets/a/' });
  const answer = (status: number, h: Record<string, string> = {}): PipelineResponse => ({
    request,
    status,
    headers: createHttpHeaders(h),
  });
  function policyWith(budget = 10) {
    const waits: number[] = [];
    const policy = createRetryPolicy(DEFAULT_RETRY, new RetryBudget(budget), 30_000, {
      sleep: (ms, signal) => {
        waits.push(ms);
        return sleep(ms, signal);
      },
      random: () => 0,
      now: () => Date.now(),
    });
    return { policy, waits };
  }
  function replies(...steps: Array<PipelineResponse | Error>): {
    next: SendRequest;
    calls: () => number;
  } {
    let i = 0;
    return {
      next: () => {
        const step = steps[Math.min(i++, steps.length - 1)] as PipelineResponse | Error;
        return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
      },
      calls: () => i,
    };
  }

  it('waits exactly what Retry-After asks on a 429, then succeeds', async () => {
    const { policy, waits } = policyWith();
    const r = replies(answer(429, { 'retry-after': '2' }), answer(200));
    const done = policy.sendRequest(request, r.next);
    await clock.tickAsync(2000);
    assert.equal((await done).status, 200);
    assert.deepEqual(waits, [2000]);
    assert.equal(r.calls(), 2);
  });

  it('backs off from 1 s on a bare 429, which the SDK would not retry, without using the budget', async () => {
    const { policy, waits } = policyWith(0);
    const r = replies(answer(429), answer(429), answer(200));
    const done = policy.sendRequest(request, r.next);
    await clock.tickAsync(10_000);
    assert.equal((await done).status, 200);
    assert.deepEqual(waits, [500, 1000]);
  });

  it('keeps retrying 429s up to maxThrottleRetries, then returns the 429', async () => {
    const { policy, waits } = policyWith();
    const r = replies(answer(429, { 'retry-after': '1' }));
    const done = policy.sendRequest(request, r.next);
    await clock.tickAsync(60_000);
    assert.equal((await done).status, 429);
    assert.equal(r.calls(), DEFAULT_RETRY.maxThrottleRetries + 1);
    assert.deepEqual(
      waits,
      Array.from({ length: DEFAULT_RETRY.maxThrottleRetries }, () => 1000),
    );
  });

  it('aborts a request after the request timeout, retries it, then names the host', async () => {
    const { policy, waits } = policyWith();
    let attempts = 0;
    // A vault that never answers: each attempt ends only when its signal aborts.
    const silent: SendRequest = (req) => {
      attempts += 1;
      return new Promise((_, reject) =>
        req.abortSignal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' })),
        ),
      );
    };
    const done = policy.sendRequest(
      createPipelineRequest({ url: 'https://contoso-kv.vault.azure.net/secrets/a/' }),
      silent,
    );
    const outcome = assert.rejects(done, {
      name: 'RequestTimeoutError',
      message: 'No answer from contoso-kv.vault.azure.net within 30 s.',
    });
    await clock.tickAsync(4 * 30_000 + 200 + 400 + 800);
    await outcome;
    assert.equal(attempts, 4);
    assert.deepEqual(waits, [200, 400, 800]);
    assert.equal(clock.countTimers(), 0, 'no timer outlives the request');
  });

  it('never retries when the run itself was aborted', async () => {
    const { policy, waits } = policyWith();
    const cancel = new AbortController();
    cancel.abort();
    const req = createPipelineRequest({
      url: 'https://contoso-kv.vault.azure.net/secrets/a/',
      abortSignal: cancel.signal,
    });
    const abortError = Object.assign(new Error('The operation was aborted.'), {
      name: 'AbortError',
    });
    await assert.rejects(
      policy.sendRequest(req, () => Promise.reject(abortError)),
      { name: 'AbortError' },
    );
    assert.deepEqual(waits, []);
  });

  it('retries resets but not names that do not resolve', async () => {
    const { policy, waits } = policyWith();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const r = replies(reset, answer(200));
    const done = policy.sendRequest(request, r.next);
    await clock.tickAsync(1000);
    assert.equal((await done).status, 200);
    assert.deepEqual(waits, [200]);

    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    await assert.rejects(policy.sendRequest(request, replies(notFound).next), /ENOTFOUND/);
  });

  it('does not retry 4xx answers other than 408 and 429', async () => {
    const { policy, waits } = policyWith();
    const r = replies(answer(403));
    assert.equal((await policy.sendRequest(request, r.next)).status, 403);
    assert.equal(r.calls(), 1);
    assert.deepEqual(waits, []);
  });

  it('gives up after maxRetries and returns the last answer', async () => {
    const { policy } = policyWith();
    const r = replies(answer(503));
    const done = policy.sendRequest(request, r.next);
    await clock.tickAsync(60_000);
    assert.equal((await done).status, 503);
    assert.equal(r.calls(), DEFAULT_RETRY.maxRetries + 1);
  });

  it('shares one budget across requests', async () => {
    const { policy } = policyWith(2);
    const r = replies(answer(500));
    const first = policy.sendRequest(request, r.next);
    await clock.tickAsync(60_000);
    assert.equal((await first).status, 500);
    assert.equal(r.calls(), 3);
    const second = replies(answer(500));
    assert.equal((await policy.sendRequest(request, second.next)).status, 500);
    assert.equal(second.calls(), 1);
  });

  it('does not wait longer than maxDelayMs when the server asks for more', async () => {
    const { policy, waits } = policyWith();
    const r = replies(answer(429, { 'retry-after': '3600' }));
    assert.equal((await policy.sendRequest(request, r.next)).status, 429);
    assert.deepEqual(waits, []);
  });
});
