import { strict as assert } from 'node:assert';
import { findLeaks } from '../harness';
import { startScenario, variablesOf, type Scenario } from './scenario';

const PROXY_USER = 'build-agent';
const PROXY_PASSWORD = 'Pr0xy-Passw0rd!';

describe("end to end: the agent's proxy", function () {
  this.timeout(60_000);
  let s: Scenario;
  afterEach(() => s.close());

  it('authenticates to the proxy with the agent proxy credentials and tunnels every host', async () => {
    s = await startScenario({}, { proxyAuth: { username: PROXY_USER, password: PROXY_PASSWORD } });
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      proxy: { url: s.azure.proxyUrl, username: PROXY_USER, password: PROXY_PASSWORD },
    });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), { 'db-password': { value: 'Sup3r$ecret!', secret: true } });
    const expectedAuth = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
    assert.ok(s.azure.tunnels.length >= 2);
    for (const tunnel of s.azure.tunnels) {
      assert.equal(tunnel.status, 200);
      assert.equal(tunnel.proxyAuthorization, expectedAuth);
    }
    assert.deepEqual([...new Set(s.azure.tunnels.map((t) => t.target))].sort(), [
      'contoso-kv.vault.azure.net:443',
      'login.microsoftonline.com:443',
    ]);
    assert.deepEqual(findLeaks(run, [PROXY_PASSWORD], { places: ['issues', 'log', 'files'] }), []);
  });

  it('fails clearly when the proxy refuses the credentials (407)', async () => {
    s = await startScenario({}, { proxyAuth: { username: PROXY_USER, password: PROXY_PASSWORD } });
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(
      s.azure.tunnels.map((t) => t.status),
      s.azure.tunnels.map(() => 407),
    );
    assert.deepEqual(s.azure.requests, []);
    assert.deepEqual(
      run.issues.map((i) => i.message),
      [
        "The agent's proxy refused to connect to https://contoso-kv.vault.azure.net or to Microsoft Entra ID: it requires credentials (HTTP 407). Set the proxy user name and password in the agent's proxy configuration (./config.sh --proxyurl … --proxyusername … --proxypassword …), or ask for the agent to be allowed through the proxy.",
        "Could not read 1 secret of 1 from vault 'contoso-kv'; no variables were set. See the errors above.",
      ],
    );
  });

  it('honours the bypass list: a bypassed host is not sent through the proxy', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    // The agent's bypass entries are regular expressions matched against the whole URL (§2).
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      proxy: { url: s.azure.proxyUrl, bypass: ['login\\.microsoftonline\\.com'] },
    });
    // Nothing on this machine answers login.microsoftonline.com directly, so sign-in fails,
    // and the proxy never saw a tunnel to it.
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
});

describe("end to end: the agent's CA (Agent.CAInfo)", function () {
  this.timeout(60_000);
  let s: Scenario;
  beforeEach(async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
  });
  afterEach(() => s.close());

  it('trusts the CA the agent is configured with, as behind a TLS-inspecting proxy', async () => {
    // No NODE_EXTRA_CA_CERTS here: the agent never sets it; it hands its CA as AGENT_CAINFO.
    const run = await s.run({
      inputs: { SecretsFilter: 'db-password' },
      caFile: undefined,
      env: { AGENT_CAINFO: s.azure.caCertFile },
    });
    assert.equal(run.result, 'Succeeded', run.issues.map((i) => i.message).join('\n'));
    assert.deepEqual(variablesOf(run), { 'db-password': { value: 'Sup3r$ecret!', secret: true } });
  });

  it('says which setting is missing when the certificate is not trusted', async () => {
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' }, caFile: undefined });
    assert.equal(run.result, 'Failed');
    assert.match(
      run.issues[0]?.message ?? '',
      /^This agent does not trust the certificate presented for https:\/\/contoso-kv\.vault\.azure\.net or Microsoft Entra ID \([A-Z_]+\)\. Behind a TLS-inspecting proxy, configure the agent with the proxy's CA \(\.\/config\.sh --sslcacert, which sets Agent\.CAInfo\); the task trusts it\.$/,
    );
  });
});
