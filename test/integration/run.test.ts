import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/run';
import { InputError } from '../../src/config/taskConfig';
import { startAzure, type AzureEmulator, type EmulatedVault } from '../emulator';
import { createVaultCertificate } from '../emulator/vaultCertificates';
import { memoryAgent, type MemoryAgent } from '../support/memoryAgent';
import {
  APP_ID,
  CLIENT_SECRET,
  CONNECTION_ID,
  OBJECT_ID,
  TENANT,
  servicePrincipalConnection,
} from '../e2e/scenario';

const connection = servicePrincipalConnection();

/**
 * The middle layer: run() with an in-memory agent and the real Azure clients against the emulator
 * in this process (the test runner made this process trust the emulator's CA).
 */
describe('run() with the real Azure clients and an in-memory agent', function () {
  this.timeout(30_000);
  let azure: AzureEmulator;
  let vault: EmulatedVault;

  before(async () => {
    azure = await startAzure();
    azure.addServicePrincipal({
      tenantId: TENANT,
      appId: APP_ID,
      objectId: OBJECT_ID,
      secrets: [CLIENT_SECRET],
    });
    vault = azure.addVault({ name: 'contoso-kv', tenantId: TENANT });
    vault.grant(APP_ID);
    vault.setSecret('db-password', 'Sup3r$ecret!');
    vault.setSecret('pem', 'line one\nline two');
  });
  after(() => azure.close());
  beforeEach(() => azure.resetLog());

  function agentFor(filter: string, extra: Record<string, string> = {}): MemoryAgent {
    return memoryAgent({
      inputs: {
        ConnectedServiceName: CONNECTION_ID,
        KeyVaultName: 'contoso-kv',
        SecretsFilter: filter,
        ...extra,
      },
      endpoints: [{ ...connection, url: connection.url, data: connection.data ?? {} }],
      proxy: { proxyUrl: azure.proxyUrl, username: undefined, password: undefined },
    });
  }

  it('masks the token and every value (each line) before any variable is set', async () => {
    const agent = agentFor('db-password,pem');
    await run(agent, { now: () => new Date() });

    const kinds = agent.events.filter((e) => e.kind === 'secret' || e.kind === 'variable');
    const firstVariable = kinds.findIndex((e) => e.kind === 'variable');
    const maskedFirst = kinds
      .slice(0, firstVariable)
      .map((e) => (e.kind === 'secret' ? e.value : ''));
    assert.equal(maskedFirst.length, 4, 'token + 1 line + 2 lines');
    assert.deepEqual(maskedFirst.slice(1).sort(), ['Sup3r$ecret!', 'line one', 'line two'].sort());
    assert.match(maskedFirst[0] ?? '', /^ey/, 'the access token (a JWT) is masked first');
    assert.deepEqual(
      [...agent.variables].map(([k, v]) => [k, v.value, v.secret]),
      [
        ['SYSTEM_UNSAFEALLOWMULTILINESECRET', 'false', false],
        ['DB-PASSWORD', 'Sup3r$ecret!', true],
        ['PEM', 'line one\nline two', true],
      ],
    );
  });

  it('with CertificateFormat: masks, then the cleanup record, then the file, then the variables', async () => {
    const cert = await createVaultCertificate();
    const version = vault.setSecret('signing', {
      value: cert.pfxBase64,
      contentType: 'application/x-pkcs12',
      managed: true,
    });
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-run-'));
    try {
      const agent = agentFor('signing', { CertificateFormat: 'pem' });
      agent.variables.set('AGENT.TEMPDIRECTORY', { value: temp, secret: false });
      let fileExistedAtRecord: boolean | undefined;
      const setTaskVariable = agent.setTaskVariable.bind(agent);
      agent.setTaskVariable = (name, value) => {
        const { files } = JSON.parse(value) as { files: string[] };
        fileExistedAtRecord = files.some((f) => fs.existsSync(f));
        setTaskVariable(name, value);
      };
      await run(agent, { now: () => new Date() });

      const file = agent.variables.get('SIGNING')?.value ?? '';
      assert.equal(fs.readFileSync(file, 'utf8'), cert.pem);
      assert.equal(fileExistedAtRecord, false);
      const order = agent.events.map((e) => e.kind).filter((k) => k !== 'info' && k !== 'debug');
      const firstRecord = order.indexOf('taskVariable');
      assert.ok(
        order.slice(0, firstRecord).every((k) => k === 'secret'),
        order.join(','),
      );
      // Then the variables; the run summary is attached last.
      assert.ok(
        order.slice(firstRecord + 1, -1).every((k) => k === 'variable'),
        order.join(','),
      );
      assert.equal(order.at(-1), 'summary');
      // Key Vault's own PEM form of this version was read: both reads are in the log.
      assert.deepEqual(
        azure.requests
          .filter((r) => r.kind === 'kv.get' || r.kind === 'kv.getVersion')
          .map((r) => `${r.path} ${r.query.outContentType ?? '-'}`),
        ['/secrets/signing/ -', `/secrets/signing/${version} application/x-pem-file`],
      );
      assert.deepEqual(
        [...agent.variables]
          .filter(([k]) => k.startsWith('SIGNING'))
          .map(([k, v]) => [k, v.secret]),
        [
          ['SIGNING', false],
          ['SIGNING.THUMBPRINT', false],
          ['SIGNING.NOTAFTER', false],
        ],
      );
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  });

  it('throws InputError listing every bad input, before any request', async () => {
    const agent = agentFor('a,a', { KeyVaultName: 'x' });
    await assert.rejects(run(agent, { now: () => new Date() }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.problems.length, 2);
      return true;
    });
    assert.deepEqual(azure.requests, []);
    assert.deepEqual(agent.variables.size, 0);
  });

  it('attaches one summary after the variables are set, holding no value', async () => {
    const agent = agentFor('db-password,pem');
    await run(agent, { now: () => new Date(), taskVersion: '1.2.3' });

    const kinds = agent.events.map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'summary').length, 1);
    assert.ok(kinds.lastIndexOf('variable') < kinds.indexOf('summary'), 'variables first');
    const [markdown] = agent.summaries;
    assert.ok(
      markdown?.startsWith(
        '## Key Vault secrets: contoso-kv\n\n**Succeeded**: 2 secret variables set from 2 secrets.\n',
      ),
    );
    assert.ok(markdown?.includes('- **Task version**: 1.2.3\n'));
    for (const value of ['Sup3r$ecret!', 'line one', 'line two'])
      assert.ok(!markdown?.includes(value));
    // No run ids in this in-memory agent: the User-Agent carries none, and the summary says so.
    const get = azure.requests.find((r) => r.kind === 'kv.get');
    assert.match(
      get?.headers['user-agent'] ?? '',
      /^KeyVaultSecretsTask\/1\.2\.3 azsdk-js-keyvault-secrets\//,
    );
    assert.ok(markdown?.includes('- **Run marker**: none (the agent gave no run ids)\n'));
  });

  it('in a dry run reads version lists only, masks nothing but the token and sets nothing', async () => {
    const agent = agentFor('db-password,pem', { DryRun: 'true' });
    await run(agent, { now: () => new Date() });

    assert.deepEqual(
      azure.requests.filter((r) => r.host === vault.host).map((r) => r.kind),
      ['kv.challenge', 'kv.listVersions', 'kv.listVersions'],
    );
    assert.equal(agent.variables.size, 0);
    assert.deepEqual(
      agent.events.filter((e) => e.kind === 'secret').length,
      1,
      'only the access token',
    );
    assert.ok(
      agent.summaries[0]?.includes('**Dry run**: 2 variables would be set from 2 secrets.'),
    );
  });
});
