import { strict as assert } from 'node:assert';
import { ConnectProxy } from '../emulator/proxy';
import { RequestLog } from '../emulator/requestLog';
import type { HarnessRun } from '../harness';
import { CONNECTION_ID, TENANT, startScenario, variablesOf, type Scenario } from './scenario';

const PROXY_USER = 'build-agent';
const PROXY_PASSWORD = 'Pr0xy-Passw0rd!';
const AUTH = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
/** Two connections per host at most, so any connection per request shows at once. */
const CONCURRENCY = '2';

function names(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `secret-${String(i).padStart(3, '0')}`);
}

/** Distinct TLS connections the front door saw, per host. */
function connectionsPerHost(s: Scenario): Record<string, number> {
  const byHost = new Map<string, Set<number>>();
  for (const r of s.azure.requests) {
    byHost.set(r.host, (byHost.get(r.host) ?? new Set()).add(r.connectionId));
  }
  return Object.fromEntries(
    [...byHost].map(([host, ids]): [string, number] => [host, ids.size]).sort(),
  );
}

function ignoredNote(run: HarnessRun): string | undefined {
  return run.log.find((line) => line.includes("set in this agent's environment"));
}

describe('end to end: proxy variables in the environment beside the agent proxy', function () {
  this.timeout(90_000);
  let s: Scenario;
  let other: ConnectProxy | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await s.close();
  });

  for (const count of [5, 60]) {
    it(`${count} named secrets: the agent proxy with its credentials, HTTPS_PROXY without them, connections kept alive`, async () => {
      s = await startScenario(
        {},
        { proxyAuth: { username: PROXY_USER, password: PROXY_PASSWORD } },
      );
      for (const name of names(count)) s.vault.setSecret(name, `value-of-${name}`);
      const run = await s.run({
        inputs: { SecretsFilter: names(count).join(','), Concurrency: CONCURRENCY },
        proxy: { url: s.azure.proxyUrl, username: PROXY_USER, password: PROXY_PASSWORD },
        // Same proxy, no credentials: what the SDK's own proxy handling would use (a 407).
        env: { HTTPS_PROXY: s.azure.proxyUrl, HTTP_PROXY: s.azure.proxyUrl, NO_PROXY: 'localhost' },
      });

      assert.equal(run.result, 'Succeeded', run.issues.map((i) => i.message).join('\n'));
      assert.equal(Object.keys(variablesOf(run)).length, count);
      assert.deepEqual(
        s.azure.tunnels.map((t) => [t.status, t.proxyAuthorization]),
        s.azure.tunnels.map(() => [200, AUTH]),
      );
      // One tunnel per connection, and as many connections for 60 secrets as for 5.
      assert.deepEqual(s.azure.tunnels.map((t) => t.target).sort(), [
        'contoso-kv.vault.azure.net:443',
        'contoso-kv.vault.azure.net:443',
        'login.microsoftonline.com:443',
      ]);
      assert.deepEqual(connectionsPerHost(s), {
        'contoso-kv.vault.azure.net': 2,
        'login.microsoftonline.com': 1,
      });
      assert.equal(
        ignoredNote(run),
        "HTTPS_PROXY, HTTP_PROXY, NO_PROXY are set in this agent's environment and ignored: the task follows the agent's proxy settings (Agent.ProxyUrl, its credentials and bypass list). To change them, configure the agent (./config.sh --proxyurl … --proxyusername … --proxypassword …, or its .proxy and .proxybypass files).",
      );
    });
  }

  it('HTTPS_PROXY naming another proxy: nothing goes there, all through the agent proxy', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const otherLog = new RequestLog();
    const frontPort = Number(new URL(s.azure.directUrl).port);
    other = new ConnectProxy({ upstreamPort: () => frontPort, serves: () => true, log: otherLog });
    const otherUrl = `http://127.0.0.1:${await other.listen()}`;
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      env: { HTTPS_PROXY: otherUrl, https_proxy: otherUrl, ALL_PROXY: otherUrl },
    });
    assert.equal(run.result, 'Succeeded', run.issues.map((i) => i.message).join('\n'));
    assert.deepEqual(variablesOf(run), { 'db-password': { value: 'Sup3r$ecret!', secret: true } });
    assert.deepEqual(otherLog.tunnels, []);
    assert.deepEqual(s.azure.tunnels.map((t) => t.target).sort(), [
      'contoso-kv.vault.azure.net:443',
      'login.microsoftonline.com:443',
    ]);
  });

  it("NO_PROXY disagreeing with the agent's bypass list: the agent's list wins both ways", async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    // NO_PROXY would send the vault direct (which does not resolve here); the agent bypasses
    // nothing but Entra, which NO_PROXY does not list.
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      proxy: { url: s.azure.proxyUrl, bypass: ['login\\.microsoftonline\\.com'] },
      env: {
        HTTPS_PROXY: s.azure.proxyUrl,
        NO_PROXY: '.vault.azure.net,contoso-kv.vault.azure.net',
      },
    });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(
      s.azure.tunnels.map((t) => t.target),
      ['contoso-kv.vault.azure.net:443'],
    );
    assert.match(
      run.issues[0]?.message ?? '',
      /^Signing in to Microsoft Entra ID as service principal \*\*\* \(client secret\)/,
    );
  });

  it('proxy variables only, no agent proxy: connects directly, as the agent configures it, and says so', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      proxy: undefined,
      env: { HTTPS_PROXY: s.azure.proxyUrl, HTTP_PROXY: s.azure.proxyUrl },
    });
    // Nothing on this machine answers the emulated hosts directly.
    assert.equal(run.result, 'Failed');
    assert.deepEqual(s.azure.tunnels, []);
    assert.deepEqual(s.azure.requests, []);
    assert.equal(
      ignoredNote(run),
      "HTTPS_PROXY, HTTP_PROXY are set in this agent's environment and ignored: the task follows the agent's proxy settings (none configured, so it connects directly). To change them, configure the agent (./config.sh --proxyurl … --proxyusername … --proxypassword …, or its .proxy and .proxybypass files).",
    );
  });

  it('managed identity: the local identity endpoint is reached directly, not through HTTPS_PROXY', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const MI_APP = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
    const mi = await s.azure.startManagedIdentity({
      source: 'imds',
      identities: [
        { appId: MI_APP, objectId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', tenantId: TENANT },
      ],
    });
    s.vault.grant(MI_APP);
    const run = await s.run({
      endpoints: [
        {
          id: CONNECTION_ID,
          scheme: 'ManagedServiceIdentity',
          parameters: { tenantid: TENANT },
          data: { environment: 'AzureCloud' },
        },
      ],
      env: { ...mi.env, HTTPS_PROXY: s.azure.proxyUrl, HTTP_PROXY: s.azure.proxyUrl },
      inputs: { SecretsFilter: 'db-password' },
    });
    assert.equal(run.result, 'Succeeded', run.issues.map((i) => i.message).join('\n'));
    assert.deepEqual(variablesOf(run), { 'db-password': { value: 'Sup3r$ecret!', secret: true } });
    assert.equal(s.azure.requests.filter((r) => r.kind === 'mi.token').length, 1);
    assert.deepEqual(
      s.azure.tunnels.map((t) => t.target),
      ['contoso-kv.vault.azure.net:443'],
    );
  });
});
