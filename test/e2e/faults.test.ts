import { strict as assert } from 'node:assert';
import { startScenario, variablesOf, type Scenario } from './scenario';

const THROTTLED = {
  error: {
    code: 'Throttled',
    message:
      'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
  },
};

describe('end to end: transient and lasting faults', function () {
  this.timeout(60_000);
  let s: Scenario;
  beforeEach(async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.setSecret('api-key', 'key-0123456789');
  });
  afterEach(() => s.close());

  /** The answers of one kind; requests the task gave up on before any answer are left out. */
  const statusesOf = (kind: string): number[] =>
    s.azure.requests.filter((r) => r.kind === kind && !r.abandoned).map((r) => r.status);

  const transient: Array<[string, Parameters<Scenario['azure']['addFault']>[0]['action']]> = [
    [
      '429 with Retry-After in seconds',
      { type: 'status', status: 429, headers: { 'Retry-After': '0' }, body: THROTTLED },
    ],
    [
      '429 with Retry-After as an HTTP date',
      {
        type: 'status',
        status: 429,
        headers: { 'Retry-After': new Date(Date.now() - 1000).toUTCString() },
        body: THROTTLED,
      },
    ],
    [
      '429 without Retry-After (the SDK alone would give up)',
      { type: 'status', status: 429, body: THROTTLED },
    ],
    [
      '500',
      {
        type: 'status',
        status: 500,
        body: { error: { code: 'InternalServerError', message: 'boom' } },
      },
    ],
    [
      '502',
      {
        type: 'status',
        status: 502,
        body: { error: { code: 'BadGateway', message: 'bad gateway' } },
      },
    ],
    [
      '503',
      {
        type: 'status',
        status: 503,
        body: { error: { code: 'ServiceUnavailable', message: 'unavailable' } },
      },
    ],
    [
      '504',
      {
        type: 'status',
        status: 504,
        body: { error: { code: 'GatewayTimeout', message: 'timeout' } },
      },
    ],
  ];
  for (const [label, action] of transient) {
    it(`retries a transient ${label} and succeeds`, async () => {
      s.azure.addFault({ kind: 'kv.get', times: 1, action });
      const run = await s.run({ inputs: { SecretsFilter: 'db-password,api-key' } });
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), {
        'db-password': { value: 'Sup3r$ecret!', secret: true },
        'api-key': { value: 'key-0123456789', secret: true },
      });
      assert.deepEqual(
        statusesOf('kv.get').sort(),
        [200, 200, 'status' in action ? action.status : 0].sort(),
      );
    });
  }

  it("stays within a vault's throttling window: every secret arrives, none fails", async () => {
    // Key Vault's limit scaled down (4,000 per 10 s in Azure; the benchmark runs that one).
    await s.close();
    s = await startScenario({ throttle: { limit: 6, windowMs: 1000 } });
    const names = Array.from({ length: 14 }, (_, i) => `burst-${i}`);
    for (const name of names) s.vault.setSecret(name, `${name}-value`);
    const run = await s.run({ inputs: { SecretsFilter: names.join(',') } });
    assert.equal(run.result, 'Succeeded');
    assert.equal(run.variables.size, 14);
    assert.ok(statusesOf('kv.get').includes(429), 'the window was hit');
    assert.equal(statusesOf('kv.get').filter((st) => st === 200).length, 14);
  });

  it('retries a connection reset and succeeds', async () => {
    s.azure.addFault({ kind: 'kv.get', times: 1, action: { type: 'reset' } });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password,api-key' } });
    assert.equal(run.result, 'Succeeded');
    assert.equal(run.variables.size, 2);
    assert.equal(statusesOf('kv.get').filter((st) => st === 200).length, 2);
  });

  it('retries a request that outlives RequestTimeoutSeconds and succeeds', async () => {
    s.azure.addFault({ kind: 'kv.get', times: 1, action: { type: 'delay', ms: 2500 } });
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password', RequestTimeoutSeconds: '1' },
    });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), { 'db-password': { value: 'Sup3r$ecret!', secret: true } });
    // The slow request was given up (its connection closed before the answer) and sent again.
    const gets = s.azure.requests.filter((r) => r.kind === 'kv.get');
    assert.deepEqual(
      gets.map((r) => [r.path, r.status, r.abandoned ?? false]),
      [
        ['/secrets/db-password/', 0, true],
        ['/secrets/db-password/', 200, false],
      ],
    );
    assert.notEqual(gets[0]?.connectionId, gets[1]?.connectionId);
  });

  it('fails clearly when the vault keeps answering 503, after a bounded number of tries', async () => {
    s.azure.addFault({
      kind: 'kv.get',
      action: {
        type: 'status',
        status: 503,
        body: { error: { code: 'ServiceUnavailable', message: 'unavailable' } },
      },
    });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password,api-key' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    // One request and three retries for the first secret; the vault-wide failure stops the rest.
    assert.deepEqual(statusesOf('kv.get'), [503, 503, 503, 503]);
    assert.equal(
      run.issues[0]?.message,
      "Vault 'contoso-kv' answered with server errors (HTTP 503) after retries. This is usually transient: re-run the job; check Azure status if it persists.",
    );
  });

  it('fails clearly when throttling never ends', async () => {
    s.azure.addFault({
      kind: 'kv.get',
      action: { type: 'status', status: 429, headers: { 'Retry-After': '0' }, body: THROTTLED },
    });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.equal(statusesOf('kv.get').length, 1 + 8);
    assert.equal(
      run.issues[0]?.message,
      "Vault 'contoso-kv' kept throttling requests (429) after retries. Key Vault allows 4,000 reads per 10 seconds per vault: spread jobs that read this vault over time, or name fewer secrets.",
    );
  });

  it('stops at TimeoutSeconds when the vault does not answer, setting nothing', async () => {
    s.azure.addFault({ kind: 'kv.get', action: { type: 'delay', ms: 20_000 } });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password', TimeoutSeconds: '1' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.equal(
      run.issues[0]?.message,
      "The task stopped: The task ran out of time after 1 s. Raise TimeoutSeconds, or check why vault 'contoso-kv' answers slowly.",
    );
    assert.deepEqual(
      statusesOf('kv.get'),
      [],
      'the delayed answer never arrived before the task ended',
    );
  });

  it('stops promptly when the job is cancelled, sets nothing and leaves no file', async () => {
    s.azure.addFault({ kind: 'kv.get', action: { type: 'delay', ms: 20_000 } });
    const cancel = new AbortController();
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      cancel: cancel.signal,
      onLine: (line) => {
        if (line.startsWith('Signed in as')) cancel.abort();
      },
    });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(run.filesLeft, []);
    assert.equal(
      run.issues[0]?.message,
      "The job was cancelled while reading vault 'contoso-kv'; no variables were set.",
    );
  });
});
