/**
 * Fault rules, latency and throttling. Time-based behaviour runs on sinon fake timers (delays) or
 * the emulator's injectable clock (throttling windows): nothing here sleeps for real.
 */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import sinon from 'sinon';
import { startAzure } from './index';
import { call, getToken, type CallResult } from './testClient';
import type { AzureEmulator } from './types';

const TENANT = '6b1e2d3c-4a5f-4e6d-8c7b-9a0f1e2d3c4b';
const APP = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const SECRET = 'faults-secret';
const THROTTLED_BODY = {
  error: {
    code: 'Throttled',
    message:
      'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
  },
};

/**
 * Waits (without timers) until the emulator has parked a request on a fake timer. The request
 * crosses a real proxy and TLS handshake first, so the bound is real time, not a count of event
 * loop turns: on a loaded machine thousands of turns pass before the handshake completes.
 */
async function untilTimerPending(clock: sinon.SinonFakeTimers): Promise<void> {
  const giveUpAt = performance.now() + 10_000;
  while (clock.countTimers() === 0) {
    assert.ok(performance.now() < giveUpAt, 'the emulator never scheduled its delay');
    await nextTurn();
  }
}

async function settlesWithin(promise: Promise<unknown>, turns: number): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < turns && !settled; i++) await nextTurn();
  return settled;
}

describe('emulator faults, latency and throttling', () => {
  let emulator: AzureEmulator;
  let host: string;
  let token: string;
  const get = (path = '/secrets/known/'): Promise<CallResult> =>
    call(emulator, {
      host,
      path: `${path}?api-version=2025-07-01`,
      headers: { authorization: `Bearer ${token}` },
    });

  before(async () => {
    emulator = await startAzure();
    emulator.addServicePrincipal({ tenantId: TENANT, appId: APP, secrets: [SECRET] });
    const vault = emulator.addVault({ name: 'faults-kv', tenantId: TENANT });
    vault.setSecret('known', 'value');
    vault.setSecret('other', 'value');
    vault.grant(APP);
    host = vault.host;
    token = await getToken(emulator, TENANT, APP, SECRET);
  });
  beforeEach(() => emulator.resetLog());
  after(() => emulator.close());

  it('answers a status rule `times` times, with the vault headers plus its own, then normally', async () => {
    emulator.addFault({
      host: 'vault.azure.net',
      kind: 'kv.get',
      times: 2,
      action: {
        type: 'status',
        status: 503,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'ServiceUnavailable', message: 'try later' } },
      },
    });
    const first = await get();
    const second = await get();
    const third = await get();
    assert.deepEqual([first.status, second.status, third.status], [503, 503, 200]);
    assert.equal(first.headers['retry-after'], '1');
    assert.equal(first.headers['cache-control'], 'no-cache');
    assert.equal(first.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(first.json, { error: { code: 'ServiceUnavailable', message: 'try later' } });
    assert.deepEqual(
      emulator.requests.map((r) => [r.seq, r.kind, r.status]),
      [
        [1, 'kv.get', 503],
        [2, 'kv.get', 503],
        [3, 'kv.get', 200],
      ],
    );
  });

  it('matches rules on path and kind, and removes a rule on request', async () => {
    const remove = emulator.addFault({
      path: /\/other\//,
      action: { type: 'status', status: 429 },
    });
    assert.equal((await get('/secrets/known/')).status, 200);
    assert.equal((await get('/secrets/other/')).status, 429);
    assert.equal((await get('/secrets/other/')).status, 429);
    remove();
    assert.equal((await get('/secrets/other/')).status, 200);

    const removeToken = emulator.addFault({
      kind: 'entra.token',
      times: 1,
      action: { type: 'status', status: 500 },
    });
    await assert.rejects(getToken(emulator, TENANT, APP, SECRET), /Token request failed: 500/);
    assert.ok(await getToken(emulator, TENANT, APP, SECRET));
    removeToken();
  });

  it('resets the socket without an answer, once', async () => {
    emulator.addFault({ kind: 'kv.get', times: 1, action: { type: 'reset' } });
    await assert.rejects(get(), (error: NodeJS.ErrnoException) => {
      assert.match(String(error.code ?? error.message), /ECONNRESET|socket hang up/);
      return true;
    });
    assert.equal((await get()).status, 200);
    assert.deepEqual(
      emulator.requests.map((r) => r.status),
      [0, 200],
    );
  });

  it('delays the answer by the rule’s milliseconds (fake timers)', async () => {
    emulator.addFault({ kind: 'kv.get', times: 1, action: { type: 'delay', ms: 5_000 } });
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = get();
      await untilTimerPending(clock);
      await clock.tickAsync(4_999);
      assert.equal(await settlesWithin(pending, 50), false, 'answered before the delay ran out');
      await clock.tickAsync(1);
      assert.equal((await pending).status, 200);
    } finally {
      clock.restore();
    }
  });

  it('adds latencyMs before every answer (fake timers)', async () => {
    const slow = await startAzure({ latencyMs: 250 });
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = call(slow, {
        host: 'login.microsoftonline.com',
        path: '/common/discovery/instance',
      });
      await untilTimerPending(clock);
      await clock.tickAsync(249);
      assert.equal(await settlesWithin(pending, 50), false);
      await clock.tickAsync(1);
      assert.equal((await pending).status, 400); // no authorization_endpoint: answered, after the latency
    } finally {
      clock.restore();
      await slow.close();
    }
  });

  describe('vault throttling (injectable clock)', () => {
    let now = Date.UTC(2026, 0, 1);
    let throttled: AzureEmulator;
    let throttledToken: string;
    const hit = (vault: string): Promise<CallResult> =>
      call(throttled, {
        host: `${vault}.vault.azure.net`,
        path: '/secrets?api-version=2025-07-01',
        headers: { authorization: `Bearer ${throttledToken}` },
      });

    before(async () => {
      throttled = await startAzure({ now: () => now });
      throttled.addServicePrincipal({ tenantId: TENANT, appId: APP, secrets: [SECRET] });
      throttled
        .addVault({ name: 'busy-kv', tenantId: TENANT, throttle: { limit: 3, windowMs: 10_000 } })
        .grant(APP);
      throttled
        .addVault({
          name: 'bare-kv',
          tenantId: TENANT,
          throttle: { limit: 1, windowMs: 10_000, retryAfter: false },
        })
        .grant(APP);
      throttledToken = await getToken(throttled, TENANT, APP, SECRET);
    });
    after(() => throttled.close());

    it('answers 429 Throttled with Retry-After once the sliding window is full', async () => {
      const start = now;
      for (let i = 0; i < 3; i++) {
        assert.equal((await hit('busy-kv')).status, 200);
        now += 1_000;
      }
      // t = start + 3 s: three requests in the last 10 s; the oldest leaves at start + 10 s.
      const limited = await hit('busy-kv');
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.json, THROTTLED_BODY);
      assert.equal(limited.text.length, 146); // the byte count of the real answer (recordings README)
      assert.equal(limited.headers['retry-after'], '7');
      assert.equal(limited.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(limited.headers['x-ms-keyvault-rbac-assignment-id'], undefined);

      now = start + 10_000; // the first request left the window; rejected ones never counted
      assert.equal((await hit('busy-kv')).status, 200);
      assert.equal((await hit('busy-kv')).status, 429);
    });

    it('can answer 429 without Retry-After, as real vaults sometimes do', async () => {
      assert.equal((await hit('bare-kv')).status, 200);
      const limited = await hit('bare-kv');
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.json, THROTTLED_BODY);
      assert.equal(limited.headers['retry-after'], undefined);
    });

    it('does not count tokenless challenges', async () => {
      now += 60_000;
      const challenge = await call(throttled, {
        host: 'bare-kv.vault.azure.net',
        path: '/secrets?api-version=2025-07-01',
      });
      assert.equal(challenge.status, 401);
      assert.equal((await hit('bare-kv')).status, 200);
    });
  });

  describe('hooks', () => {
    let clocked: AzureEmulator;
    let offset = 0;
    const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"`;

    before(async () => {
      clocked = await startAzure({ now: () => Date.now() + offset });
      clocked.addServicePrincipal({ tenantId: TENANT, appId: APP, secrets: [SECRET] });
      const vault = clocked.addVault({ name: 'clock-kv', tenantId: TENANT });
      vault.setSecret('known', 'value');
      vault.grant(APP);
    });
    after(() => clocked.close());

    it('runs a hook before the matching request is handled: the token in it expires mid-run', async () => {
      const bearer = await getToken(clocked, TENANT, APP, SECRET);
      const read = (): Promise<CallResult> =>
        call(clocked, {
          host: 'clock-kv.vault.azure.net',
          path: '/secrets/known/?api-version=2025-07-01',
          headers: { authorization: `Bearer ${bearer}` },
        });
      let gets = 0;
      clocked.addFault({
        kind: 'kv.get',
        action: {
          type: 'hook',
          run: () => {
            if (++gets === 3) offset += 2 * 3600_000; // after the second read, two hours pass
          },
        },
      });
      // A delay after the hook still applies: hooks do not end the rule chain.
      clocked.addFault({ kind: 'kv.get', times: 1, action: { type: 'delay', ms: 0 } });

      assert.equal((await read()).status, 200);
      assert.equal((await read()).status, 200);
      const expired = await read();
      assert.equal(expired.status, 401);
      assert.equal(expired.headers['www-authenticate'], CHALLENGE);
      assert.deepEqual(expired.json, {
        error: {
          code: 'Unauthorized',
          message: "[TokenExpired] Error validating token: 'S2S12086'.",
        },
      });
      assert.equal(gets, 3);
      assert.deepEqual(
        clocked.requests.filter((r) => r.kind === 'kv.get').map((r) => r.status),
        [200, 200, 401],
      );
    });
  });
});
