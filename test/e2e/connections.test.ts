import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestCertificate, type EmulatedDevOpsJob, type TestCertificate } from '../emulator';
import type { HarnessRun } from '../harness';
import type { ServiceConnection } from '../harness/types';
import {
  APP_ID,
  CONNECTION_ID,
  OBJECT_ID,
  TENANT,
  servicePrincipalConnection,
  startScenario,
  variablesOf,
  type Scenario,
} from './scenario';

const SECRET = { 'db-password': { value: 'Sup3r$ecret!', secret: true } };
const JOB_TOKEN = 'job-access-token-0123456789abcdef';
const WIF_APP = '3d9f1a2b-5c6d-4e7f-8a9b-0c1d2e3f4a5b';
const WIF_OID = '7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b';

function count(s: Scenario, kind: string): number {
  return s.azure.requests.filter((r) => r.kind === kind).length;
}

describe('end to end: every kind of service connection', function () {
  this.timeout(60_000);
  let s: Scenario;
  afterEach(() => s.close());

  describe('workload identity federation', () => {
    let job: EmulatedDevOpsJob;
    let connection: ServiceConnection;
    async function setUp(
      federated?: { issuer?: string; subject?: string },
      emulator = {},
    ): Promise<void> {
      s = await startScenario({}, emulator);
      s.vault.setSecret('db-password', 'Sup3r$ecret!');
      job = s.azure.addDevOpsJob({
        organization: 'contoso',
        organizationId: 'b1f2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        projectName: 'web',
        projectId: 'c2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b6c',
        accessToken: JOB_TOKEN,
        serviceConnections: [{ id: CONNECTION_ID, name: 'my-arm-connection' }],
      });
      s.azure.addServicePrincipal({
        tenantId: TENANT,
        appId: WIF_APP,
        objectId: WIF_OID,
        federatedCredentials: [
          {
            issuer: federated?.issuer ?? job.issuer,
            subject: federated?.subject ?? job.subjectFor(CONNECTION_ID),
          },
        ],
      });
      s.vault.grant(WIF_APP);
      connection = {
        id: CONNECTION_ID,
        url: 'https://management.azure.com/',
        scheme: 'WorkloadIdentityFederation',
        parameters: { tenantid: TENANT, serviceprincipalid: WIF_APP },
        data: { environment: 'AzureCloud' },
      };
    }
    const runWif = (
      extra: { accessToken?: string; oidc?: boolean; inputs?: Record<string, string> } = {},
    ) =>
      s.run({
        endpoints: [connection],
        accessToken: extra.accessToken ?? JOB_TOKEN,
        variables: extra.oidc === false ? {} : { 'System.OidcRequestUri': job.oidcRequestUri },
        inputs: { SecretsFilter: 'db-password', ...extra.inputs },
      });

    it('blames Azure DevOps, not the vault, when its OIDC endpoint hangs', async () => {
      await setUp();
      s.azure.addFault({ kind: 'oidc.token', action: { type: 'delay', ms: 20_000 } });
      const run = await runWif({ inputs: { TimeoutSeconds: '2' } });
      assert.equal(run.result, 'Failed');
      assert.equal(
        run.issues[0]?.message,
        'The task stopped: The task ran out of time after 2 s. Raise TimeoutSeconds, or check why Azure DevOps (dev.azure.com) answers slowly.',
      );
    });

    it('exchanges the Azure DevOps OIDC token at Entra and reads the vault', async () => {
      await setUp();
      const run = await runWif();
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), SECRET);
      assert.equal(count(s, 'entra.token'), 1);
      // identity 4.13 with msal-node 5 asks Azure DevOps twice per token it requests.
      assert.equal(count(s, 'oidc.token'), 2 * count(s, 'entra.token'));
      // The OIDC token Entra exchanged is a credential too: registered with the masker.
      const assertions = s.azure.requests
        .filter((r) => r.kind === 'entra.token')
        .map((r) => new URLSearchParams(r.body).get('client_assertion'));
      assert.equal(assertions.length, 1);
      for (const assertion of assertions) {
        assert.ok(assertion && assertion.split('.').length === 3, 'a JWT client assertion');
        assert.ok(run.maskedValues.includes(assertion), 'the OIDC token is masked');
      }
      assert.ok(
        run.log.includes(
          `Signed in as application *** (object id ${WIF_OID}) in tenant ${TENANT}, using workload identity federation. Role assignments and access policies must name object id ${WIF_OID}.`,
        ),
      );
    });

    it('obtains a new OIDC token and access token when the access token expires mid-run', async () => {
      // Tokens that live 2 s, and a vault that takes 0.5 s for every other secret: the first token
      // expires mid-run, by the task's clock as by the vault's (a process's clock cannot be faked
      // from outside). The delay stays under the second the SDK keeps in hand before expiry.
      await setUp(undefined, { tokenLifetimeSeconds: 2 });
      for (let i = 0; i < 8; i += 1) s.vault.setSecret(`app-${i}`, `value-${i}`);
      s.azure.addFault({ kind: 'kv.get', path: /app-[1357]/, action: { type: 'delay', ms: 500 } });
      const run = await runWif({
        inputs: {
          SecretsFilter: Array.from({ length: 8 }, (_, i) => `app-${i}`).join(','),
          Concurrency: '1',
        },
      });
      assert.equal(run.result, 'Succeeded', run.issues.map((i) => i.message).join('\n'));
      assert.equal(run.variables.size, 8);
      const bearers = new Set(
        s.azure.requests.filter((r) => r.kind === 'kv.get').map((r) => r.headers.authorization),
      );
      assert.ok(bearers.size >= 2, `the vault saw ${bearers.size} distinct tokens`);
      assert.ok(count(s, 'entra.token') >= 2);
      assert.ok(
        count(s, 'oidc.token') >= 2 * count(s, 'entra.token'),
        'a fresh OIDC token for every access token',
      );
    });

    it('names the subject and issuer to register when no federated credential matches (AADSTS70021)', async () => {
      await setUp({ issuer: 'https://vstoken.dev.azure.com/00000000-0000-0000-0000-000000000000' });
      const run = await runWif();
      assert.equal(run.result, 'Failed');
      assert.deepEqual(variablesOf(run), {});
      const subject = job.subjectFor(CONNECTION_ID);
      assert.equal(
        run.issues[0]?.message,
        `Application *** has no federated credential matching service connection '${CONNECTION_ID}' (AADSTS70021). The subject is sc://<organization>/<project>/<connection name> and changes when the organization, project or connection is renamed. Register it with issuer '${job.issuer}' and subject '${subject}': az ad app federated-credential create --id '<application id: the service connection\'s "Service Principal Id" (Project settings > Service connections)>' --parameters '{"name":"azure-devops","issuer":"${job.issuer}","subject":"${subject}","audiences":["api://AzureADTokenExchange"]}'`,
      );
    });

    it('names the subject when only the subject differs, e.g. after a rename (AADSTS700213)', async () => {
      await setUp({ subject: 'sc://contoso/web/old-connection-name' });
      const run = await runWif();
      assert.equal(run.result, 'Failed');
      assert.match(
        run.issues[0]?.message ?? '',
        new RegExp(
          `\\(AADSTS700213\\)\\. .* Register it with subject '${job.subjectFor(CONNECTION_ID)}'`,
        ),
      );
    });

    it('says Azure DevOps refused the OIDC request when the job token is not accepted', async () => {
      await setUp();
      const run = await runWif({ accessToken: 'not-the-job-token-0000' });
      assert.equal(run.result, 'Failed');
      assert.equal(
        run.issues[0]?.message,
        `Azure DevOps refused to issue an OIDC token for service connection '${CONNECTION_ID}' (HTTP 401). The job's access token may not use this connection: check the connection's pipeline permissions (Project settings > Service connections > Security) and that the job's authorization scope includes it.`,
      );
      assert.equal(count(s, 'entra.token'), 0);
    });

    it('explains a job without System.OidcRequestUri before any request', async () => {
      await setUp();
      const run = await runWif({ oidc: false });
      assert.equal(run.result, 'Failed');
      assert.match(
        run.issues[0]?.message ?? '',
        /^Workload identity federation needs the variable System\.OidcRequestUri/,
      );
      assert.deepEqual(s.azure.requests, []);
    });
  });

  describe('service principal with a certificate', () => {
    /** An app that holds `registered`, and a connection that presents `presented`. */
    async function runWithCertificate(
      registered: TestCertificate,
      presented: TestCertificate,
      env: Record<string, string> = {},
    ): Promise<HarnessRun> {
      s = await startScenario();
      s.vault.setSecret('db-password', 'Sup3r$ecret!');
      const certApp = randomUUID();
      s.azure.addServicePrincipal({
        tenantId: TENANT,
        appId: certApp,
        certificates: [registered.certificatePem],
      });
      s.vault.grant(certApp);
      return s.run({
        endpoints: [
          {
            id: CONNECTION_ID,
            scheme: 'ServicePrincipal',
            parameters: {
              tenantid: TENANT,
              serviceprincipalid: certApp,
              authenticationType: 'spnCertificate',
              servicePrincipalCertificate: presented.combinedPem,
            },
          },
        ],
        inputs: { SecretsFilter: 'db-password' },
        env,
      });
    }

    it('signs a client assertion with the certificate from the connection, in memory', async () => {
      const cert = await createTestCertificate('CN=pipeline-spn');
      // Every file the task opens for writing, during the run, wherever it is (a preloaded probe).
      const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-write-probe-'));
      const probeOut = path.join(probeDir, 'writes.jsonl');
      const keyLine = cert.combinedPem
        .split('\n')
        .find((line, i, lines) => i > 0 && lines[i - 1]?.includes('PRIVATE KEY-----'));
      assert.ok(keyLine && keyLine.length >= 40);
      let run: HarnessRun;
      let writes: Array<{ api: string; path: string; holdsNeedle: boolean }>;
      try {
        run = await runWithCertificate(cert, cert, {
          NODE_OPTIONS: `--import ${pathToFileURL(path.resolve(__dirname, '../harness/fixtures/fileWriteProbe.mjs')).href}`,
          FILE_WRITE_PROBE_OUT: probeOut,
          FILE_WRITE_PROBE_NEEDLE: keyLine,
        });
        writes = fs
          .readFileSync(probeOut, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { api: string; path: string; holdsNeedle: boolean });
      } finally {
        fs.rmSync(probeDir, { recursive: true, force: true });
      }
      // task-lib's vault key and the run summary are the only files the process writes; no byte
      // of the key goes anywhere.
      assert.deepEqual(
        writes.map((w) => [path.basename(w.path), w.holdsNeedle]),
        [
          ['.taskkey', false],
          ['Key Vault secrets - contoso-kv.md', false],
        ],
      );
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), SECRET);
      const token = s.azure.requests.find((r) => r.kind === 'entra.token');
      assert.match(
        token?.body ?? '',
        /client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer/,
      );
      // No credential touches disk: the agent's temp directory holds the run summary only.
      assert.deepEqual(
        run.filesLeft.map((file) => path.basename(file)),
        ['Key Vault secrets - contoso-kv.md'],
      );
    });

    it('explains a certificate the app does not know (AADSTS700027)', async () => {
      const run = await runWithCertificate(
        await createTestCertificate('CN=registered'),
        await createTestCertificate('CN=other'),
      );
      assert.equal(run.result, 'Failed');
      assert.match(
        run.issues[0]?.message ?? '',
        /^The certificate in service connection '.*' is not accepted for application \*\*\* \(AADSTS700027\)/,
      );
    });
  });

  describe('service principal refusals', () => {
    const spnKeyConnection = (appId: string, secret: string): ServiceConnection =>
      servicePrincipalConnection({
        parameters: {
          tenantid: TENANT,
          serviceprincipalid: appId,
          authenticationType: 'spnKey',
          serviceprincipalkey: secret,
        },
      });

    it('explains an expired client secret (AADSTS7000222)', async () => {
      s = await startScenario();
      s.vault.setSecret('db-password', 'Sup3r$ecret!');
      const app = randomUUID();
      s.azure.addServicePrincipal({
        tenantId: TENANT,
        appId: app,
        expiredSecrets: ['expired-secret-value-1'],
      });
      const run = await s.run({
        endpoints: [spnKeyConnection(app, 'expired-secret-value-1')],
        inputs: { SecretsFilter: 'db-password' },
      });
      assert.equal(run.result, 'Failed');
      assert.match(
        run.issues[0]?.message ?? '',
        /^The client secret of application \*\*\* in service connection '.*' has expired \(AADSTS7000222\)\. Create a new secret/,
      );
    });

    it('explains an application unknown in the tenant (AADSTS700016)', async () => {
      s = await startScenario();
      const run = await s.run({
        endpoints: [spnKeyConnection(randomUUID(), 'some-secret-value-2')],
        inputs: { SecretsFilter: 'db-password' },
      });
      assert.equal(run.result, 'Failed');
      assert.match(
        run.issues[0]?.message ?? '',
        /^Application \*\*\* was not found in tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 \(AADSTS700016\)/,
      );
    });
  });

  describe('managed identity', () => {
    const MI_APP = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
    const MI_OID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const miConnection = (data: Record<string, string> = {}): ServiceConnection => ({
      id: CONNECTION_ID,
      scheme: 'ManagedServiceIdentity',
      parameters: { tenantid: TENANT },
      data: { environment: 'AzureCloud', ...data },
    });

    it("uses the agent machine's system-assigned identity (IMDS), without the proxy", async () => {
      s = await startScenario();
      s.vault.setSecret('db-password', 'Sup3r$ecret!');
      const mi = await s.azure.startManagedIdentity({
        source: 'imds',
        identities: [{ appId: MI_APP, objectId: MI_OID, tenantId: TENANT }],
      });
      s.vault.grant(MI_APP);
      const run = await s.run({
        endpoints: [miConnection()],
        env: mi.env,
        inputs: { SecretsFilter: 'db-password' },
      });
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), SECRET);
      assert.equal(count(s, 'mi.token'), 1);
      assert.equal(count(s, 'entra.token'), 0);
      assert.ok(
        !s.azure.tunnels.some((t) => t.target.startsWith('127.0.0.1')),
        'the identity endpoint is not proxied',
      );
      assert.ok(
        run.log.includes(
          `Signed in as application ${MI_APP} (object id ${MI_OID}) in tenant ${TENANT}, using managed identity. Role assignments and access policies must name object id ${MI_OID}.`,
        ),
      );
    });

    it('uses a user-assigned identity named by msiclientId (App Service style endpoint)', async () => {
      s = await startScenario();
      s.vault.setSecret('db-password', 'Sup3r$ecret!');
      const userClientId = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
      const mi = await s.azure.startManagedIdentity({
        source: 'appService',
        identities: [
          { appId: APP_ID, objectId: OBJECT_ID, tenantId: TENANT },
          { appId: MI_APP, objectId: MI_OID, tenantId: TENANT, userAssignedClientId: userClientId },
        ],
      });
      s.vault.revoke(APP_ID);
      s.vault.grant(MI_APP);
      const run = await s.run({
        endpoints: [miConnection({ msiclientId: userClientId })],
        env: mi.env,
        inputs: { SecretsFilter: 'db-password' },
      });
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), SECRET);
      assert.equal(
        s.azure.requests.find((r) => r.kind === 'mi.token')?.query.client_id,
        userClientId,
      );
    });

    it('says there is no managed identity on this agent, and suggests workload identity federation', async () => {
      s = await startScenario();
      const mi = await s.azure.startManagedIdentity({
        source: 'imds',
        identities: [{ appId: MI_APP, tenantId: TENANT }],
      });
      const run = await s.run({
        endpoints: [miConnection()],
        env: mi.closedEnv,
        inputs: { SecretsFilter: 'db-password' },
      });
      assert.equal(run.result, 'Failed');
      assert.equal(
        run.issues[0]?.message,
        'No managed identity is available on this agent. Microsoft-hosted agents have none: run the job on a self-hosted agent on an Azure VM or scale set with a managed identity, or use a connection with workload identity federation.',
      );
    });
  });

  describe('clouds', () => {
    const clouds: Array<{
      label: string;
      environment: string;
      dnsSuffix: string;
      data?: Record<string, string>;
      authority?: string;
    }> = [
      {
        label: 'Azure US Government',
        environment: 'AzureUSGovernment',
        dnsSuffix: 'vault.usgovcloudapi.net',
      },
      { label: 'Azure China', environment: 'AzureChinaCloud', dnsSuffix: 'vault.azure.cn' },
      {
        label: 'Azure Stack Hub (its own authority and suffix)',
        environment: 'AzureStack',
        dnsSuffix: 'vault.local.azurestack.external',
        authority: 'login.azurestack.contoso.local',
        data: {
          activeDirectoryAuthority: 'https://login.azurestack.contoso.local/',
          AzureKeyVaultDnsSuffix: 'vault.local.azurestack.external',
          AzureKeyVaultServiceEndpointResourceId: 'https://vault.local.azurestack.external',
        },
      },
    ];
    for (const cloud of clouds) {
      it(`reads a vault in ${cloud.label}`, async () => {
        s = await startScenario({
          dnsSuffix: cloud.dnsSuffix,
          ...(cloud.authority ? { authorityHost: cloud.authority } : {}),
        });
        if (cloud.authority) s.azure.addAuthorityHost(cloud.authority);
        s.vault.setSecret('db-password', 'Sup3r$ecret!');
        const run = await s.run({
          endpoints: [{ ...s.connection, data: { environment: cloud.environment, ...cloud.data } }],
          inputs: { SecretsFilter: 'db-password' },
        });
        assert.equal(run.result, 'Succeeded', run.issues.map((i) => i.message).join('\n'));
        assert.deepEqual(variablesOf(run), SECRET);
        assert.ok(
          s.azure.requests.some(
            (r) => r.kind === 'kv.get' && r.host === `contoso-kv.${cloud.dnsSuffix}`,
          ),
        );
        assert.ok(s.azure.requests.some((r) => r.kind === 'entra.token'));
      });
    }
  });
});
