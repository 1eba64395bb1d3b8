/**
 * The real @azure/identity credentials the task can build, each in its own child process
 * (fixtures/secretClientScenario.ts) against one emulator: ClientCertificateCredential,
 * AzurePipelinesCredential (workload identity federation through the emulated Azure DevOps),
 * ManagedIdentityCredential (IMDS system- and user-assigned, App Service) and ClientSecretCredential
 * against the US Government, China and a custom (Azure Stack Hub) authority. The processes run in
 * parallel; requests are told apart by client id, service connection or host.
 */
import assert from 'node:assert/strict';
import { runScenario } from './fixtures/runScenario';
import type { StepResult } from './fixtures/secretClientScenario';
import { createTestCertificate, decodeJwtPayload, startAzure } from './index';
import type { AzureEmulator, EmulatedDevOpsJob, RecordedRequest } from './types';

const TENANT = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CERT_APP = '11111111-aaaa-4bbb-8ccc-000000000001';
const WIF_APP = '11111111-aaaa-4bbb-8ccc-000000000002';
const WIF_RENAMED_APP = '11111111-aaaa-4bbb-8ccc-000000000003';
const WIF_OTHER_ORG_APP = '11111111-aaaa-4bbb-8ccc-000000000004';
const MI_SYSTEM_APP = '11111111-aaaa-4bbb-8ccc-000000000005';
const MI_USER_APP = '11111111-aaaa-4bbb-8ccc-000000000006';
const MI_APP_SERVICE_APP = '11111111-aaaa-4bbb-8ccc-000000000007';
const CLOUD_APP = '11111111-aaaa-4bbb-8ccc-000000000008';
const CLOUD_SECRET = 'cloud-secret';
const ORG_ID = '0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b';
const PROJECT_ID = '5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c';
const JOB_TOKEN = 'job-access-token';
const CONN = {
  wif: 'aaaaaaaa-0000-4000-8000-000000000001',
  renamed: 'aaaaaaaa-0000-4000-8000-000000000002',
  otherOrg: 'aaaaaaaa-0000-4000-8000-000000000003',
};
const STACK_AUTHORITY = 'login.azurestack.contoso.local';

describe('real credentials against the emulator (child processes)', function () {
  this.timeout(30_000);
  let emulator: AzureEmulator;
  let job: EmulatedDevOpsJob;
  let requests: RecordedRequest[];
  const results: Record<string, StepResult[]> = {};

  before(async () => {
    emulator = await startAzure();
    const [certificate, stranger] = await Promise.all([
      createTestCertificate(),
      createTestCertificate('CN=not registered'),
    ]);
    const vault = emulator.addVault({ name: 'cred-kv', tenantId: TENANT });
    vault.setSecret('db-password', 'hunter2');

    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: CERT_APP,
      certificates: [certificate.certificatePem],
    });

    job = emulator.addDevOpsJob({
      organization: 'contoso',
      organizationId: ORG_ID,
      projectName: 'KeyVault',
      projectId: PROJECT_ID,
      accessToken: JOB_TOKEN,
      serviceConnections: [
        { id: CONN.wif, name: 'kv-wif' },
        { id: CONN.renamed, name: 'kv-wif-renamed' },
        { id: CONN.otherOrg, name: 'kv-wif-elsewhere' },
      ],
    });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: WIF_APP,
      federatedCredentials: [{ issuer: job.issuer, subject: job.subjectFor(CONN.wif) }],
    });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: WIF_RENAMED_APP,
      // The credential still names the connection as it was called before the rename.
      federatedCredentials: [{ issuer: job.issuer, subject: 'sc://contoso/KeyVault/kv-wif-old' }],
    });
    emulator.addServicePrincipal({
      tenantId: TENANT,
      appId: WIF_OTHER_ORG_APP,
      federatedCredentials: [
        {
          issuer: 'https://vstoken.dev.azure.com/99999999-9999-4999-8999-999999999999',
          subject: job.subjectFor(CONN.otherOrg),
        },
      ],
    });
    for (const app of [CERT_APP, WIF_APP, MI_SYSTEM_APP, MI_USER_APP, MI_APP_SERVICE_APP])
      vault.grant(app);

    const [imdsEndpoint, appService] = await Promise.all([
      emulator.startManagedIdentity({
        source: 'imds',
        identities: [
          { appId: MI_SYSTEM_APP, tenantId: TENANT },
          { appId: MI_USER_APP, tenantId: TENANT, userAssignedClientId: MI_USER_APP },
        ],
      }),
      emulator.startManagedIdentity({
        source: 'appService',
        identities: [{ appId: MI_APP_SERVICE_APP, tenantId: TENANT }],
      }),
    ]);

    emulator.addServicePrincipal({ tenantId: TENANT, appId: CLOUD_APP, secrets: [CLOUD_SECRET] });
    emulator.addAuthorityHost(STACK_AUTHORITY);
    const clouds = {
      usgov: emulator.addVault({
        name: 'gov-kv',
        tenantId: TENANT,
        dnsSuffix: 'vault.usgovcloudapi.net',
      }),
      china: emulator.addVault({ name: 'china-kv', tenantId: TENANT, dnsSuffix: 'vault.azure.cn' }),
      stack: emulator.addVault({
        name: 'stack-kv',
        tenantId: TENANT,
        dnsSuffix: 'vault.local.azurestack.external',
        authorityHost: STACK_AUTHORITY,
      }),
    };
    for (const [cloud, v] of Object.entries(clouds)) {
      v.setSecret('where', `in ${cloud}`);
      v.grant(CLOUD_APP);
    }

    const wif = (clientId: string, serviceConnectionId: string, systemAccessToken = JOB_TOKEN) => ({
      vaultUrl: vault.url,
      credential: {
        kind: 'pipelines' as const,
        tenantId: TENANT,
        clientId,
        serviceConnectionId,
        systemAccessToken,
      },
    });
    const certificateClient = (pem: string) => ({
      vaultUrl: vault.url,
      credential: {
        kind: 'certificate' as const,
        tenantId: TENANT,
        clientId: CERT_APP,
        certificate: pem,
      },
    });
    const mi = (clientId?: string) => ({
      vaultUrl: vault.url,
      credential: { kind: 'managedIdentity' as const, ...(clientId && { clientId }) },
    });
    const get = (client: string) => ({ client, op: 'get' as const, name: 'db-password' });
    const miEnv = (env: Record<string, string>) => ({ env: { ...env, NO_PROXY: '127.0.0.1' } });
    const cloud = (
      vaultUrl: string,
      authorityHost: string,
      disableInstanceDiscovery?: boolean,
    ) => ({
      vaultUrl,
      tenantId: TENANT,
      clientId: CLOUD_APP,
      clientSecret: CLOUD_SECRET,
      authorityHost,
      ...(disableInstanceDiscovery && { disableInstanceDiscovery }),
    });

    // Three processes (two cores on CI make each one count): Entra-backed credentials together,
    // and one per managed identity source, whose choice MSAL keeps per process (docs/azure-protocols.md §4).
    const [entra, imds, app] = await Promise.all([
      runScenario(
        emulator,
        {
          clients: {
            certificate: certificateClient(certificate.combinedPem),
            stranger: certificateClient(stranger.combinedPem),
            wif: wif(WIF_APP, CONN.wif),
            renamed: wif(WIF_RENAMED_APP, CONN.renamed),
            otherOrg: wif(WIF_OTHER_ORG_APP, CONN.otherOrg),
            badJobToken: wif(WIF_APP, CONN.wif, 'not-the-job-token'),
            usgov: cloud(clouds.usgov.url, 'https://login.microsoftonline.us'),
            china: cloud(clouds.china.url, 'https://login.chinacloudapi.cn'),
            stack: cloud(clouds.stack.url, `https://${STACK_AUTHORITY}`, true),
          },
          steps: [
            get('certificate'),
            get('stranger'),
            get('wif'),
            get('wif'), // served from the token cache: no second OIDC request
            { client: 'wif', op: 'token', scope: 'https://storage.azure.com/.default' },
            get('renamed'),
            get('otherOrg'),
            get('badJobToken'),
            { client: 'usgov', op: 'get', name: 'where' },
            { client: 'china', op: 'get', name: 'where' },
            { client: 'stack', op: 'get', name: 'where' },
          ],
        },
        { env: { SYSTEM_OIDCREQUESTURI: job.oidcRequestUri } },
      ),
      runScenario(
        emulator,
        { clients: { system: mi(), user: mi(MI_USER_APP) }, steps: [get('system'), get('user')] },
        miEnv(imdsEndpoint.env),
      ),
      runScenario(emulator, { clients: { mi: mi() }, steps: [get('mi')] }, miEnv(appService.env)),
    ]);
    results.certificate = entra.slice(0, 2);
    results.pipelines = entra.slice(2, 8);
    results.clouds = entra.slice(8);
    results.imdsSystem = imds.slice(0, 1);
    results.imdsUser = imds.slice(1);
    results.appService = app;
    requests = [...emulator.requests];
  });
  after(() => emulator.close());

  const tokenRequestsOf = (appId: string): RecordedRequest[] =>
    requests.filter(
      (r) => r.kind === 'entra.token' && new URLSearchParams(r.body).get('client_id') === appId,
    );

  describe('ClientCertificateCredential', () => {
    it('signs a PS256 assertion with x5t#S256 that the emulator accepts, and reads the secret', () => {
      assert.deepEqual(results.certificate?.[0], {
        ok: true,
        value: 'hunter2',
        id: results.certificate?.[0]?.ok ? results.certificate[0].id : '',
        enabled: true,
      });
      const form = new URLSearchParams(tokenRequestsOf(CERT_APP)[0]?.body);
      assert.equal(
        form.get('client_assertion_type'),
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      const header = JSON.parse(
        Buffer.from(
          (form.get('client_assertion') ?? '').split('.')[0] ?? '',
          'base64url',
        ).toString(),
      ) as Record<string, string>;
      assert.equal(header.alg, 'PS256');
      assert.match(header['x5t#S256'] ?? '', /^[\w-]{43}$/);
    });

    it('fails a certificate the application does not hold with AADSTS700027', () => {
      const failed = results.certificate?.[1];
      assert.ok(failed && !failed.ok);
      assert.match(
        failed.message,
        /AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application\./,
      );
      assert.equal(tokenRequestsOf(CERT_APP).at(-1)?.status, 401);
    });
  });

  describe('AzurePipelinesCredential', () => {
    const oidcCalls = (connectionId: string): RecordedRequest[] =>
      requests.filter(
        (r) => r.kind === 'oidc.token' && r.query.serviceConnectionId === connectionId,
      );

    it('exchanges the job’s OIDC token for an access token and reads the secret', () => {
      const [first, second, otherScope] = results.pipelines ?? [];
      assert.ok(first?.ok && second?.ok && otherScope?.ok);
      assert.equal(first.value, 'hunter2');
      assert.equal(second.value, 'hunter2');
      assert.equal(decodeJwtPayload(otherScope.token ?? '').aud, 'https://storage.azure.com');

      const call = oidcCalls(CONN.wif).find((r) => r.status === 200);
      assert.equal(call?.host, 'dev.azure.com');
      assert.equal(call.method, 'POST');
      assert.equal(call.path, new URL(job.oidcRequestUri).pathname);
      assert.equal(call.query['api-version'], '7.1');
      assert.equal(call.headers.authorization, `Bearer ${JOB_TOKEN}`);
      assert.equal(call.headers['x-tfs-fedauthredirect'], 'Suppress');
    });

    // identity 4.13 / msal-node 5.6 resolve the assertion callback twice per token request
    // (acquireTokenByClientCredential, then buildOauthClientConfiguration): two OIDC calls each.
    it('asks for two OIDC tokens per token request (this SDK), none for a cached token', () => {
      const granted = oidcCalls(CONN.wif).filter((r) => r.status === 200);
      assert.equal(tokenRequestsOf(WIF_APP).length, 2);
      assert.equal(granted.length, 2 * 2);
      for (const request of tokenRequestsOf(WIF_APP)) {
        const assertion = new URLSearchParams(request.body).get('client_assertion') ?? '';
        const claims = decodeJwtPayload(assertion);
        assert.equal(claims.iss, `https://vstoken.dev.azure.com/${ORG_ID}`);
        assert.equal(claims.sub, 'sc://contoso/KeyVault/kv-wif');
        assert.equal(claims.aud, 'api://AzureADTokenExchange');
        assert.equal(request.status, 200);
      }
    });

    it('fails a renamed connection (subject mismatch) with AADSTS700213', () => {
      const failed = results.pipelines?.[3];
      assert.ok(failed && !failed.ok);
      assert.match(
        failed.message,
        /AADSTS700213: No matching federated identity record found for presented assertion subject 'sc:\/\/contoso\/KeyVault\/kv-wif-renamed'\./,
      );
      assert.equal(tokenRequestsOf(WIF_RENAMED_APP).length, 1); // AADSTS errors are not retried
    });

    it('fails a token of another issuer with AADSTS70021, quoting issuer, subject and audience', () => {
      const failed = results.pipelines?.[4];
      assert.ok(failed && !failed.ok);
      assert.match(
        failed.message,
        new RegExp(
          `AADSTS70021: No matching federated identity record found for presented assertion\\. Assertion Issuer: 'https://vstoken\\.dev\\.azure\\.com/${ORG_ID}'\\. Assertion Subject: 'sc://contoso/KeyVault/kv-wif-elsewhere'\\. Assertion Audience: 'api://AzureADTokenExchange'\\.`,
        ),
      );
    });

    it('fails a wrong job access token with status 401 from the OIDC endpoint, before Entra', () => {
      const failed = results.pipelines?.[5];
      assert.ok(failed && !failed.ok);
      assert.equal(failed.statusCode, 401);
      assert.match(failed.message, /oidcToken field not detected in the response/);
      assert.match(failed.message, /TF400813/);
      assert.match(failed.message, /x-vss-e2eid"\] = [0-9a-f-]{36}/);
      const refused = oidcCalls(CONN.wif).filter((r) => r.status === 401);
      assert.equal(refused.length, 1);
      assert.equal(refused[0]?.headers.authorization, 'Bearer not-the-job-token');
    });
  });

  describe('ManagedIdentityCredential', () => {
    const miCalls = (): RecordedRequest[] => requests.filter((r) => r.kind === 'mi.token');

    it('gets a system-assigned IMDS token (Metadata: true) that the vault accepts', () => {
      assert.equal((results.imdsSystem?.[0] as { value?: string }).value, 'hunter2');
      const call = miCalls().find((r) => r.caller === MI_SYSTEM_APP);
      assert.equal(call?.host, '127.0.0.1');
      // MSAL canonicalises AZURE_POD_IDENTITY_AUTHORITY_HOST + path with a trailing slash.
      assert.equal(call.path, '/metadata/identity/oauth2/token/');
      assert.equal(call.headers.metadata, 'true');
      assert.equal(call.query['api-version'], '2018-02-01');
      assert.equal(call.query.resource, 'https://vault.azure.net');
      assert.equal(call.query.client_id, undefined);
      assert.ok(
        requests.some((r) => r.kind === 'kv.get' && r.caller === MI_SYSTEM_APP && r.status === 200),
      );
    });

    it('gets a user-assigned IMDS token by client id', () => {
      assert.equal((results.imdsUser?.[0] as { value?: string }).value, 'hunter2');
      const call = miCalls().find((r) => r.caller === MI_USER_APP);
      assert.equal(call?.query.client_id, MI_USER_APP);
    });

    it('gets an App Service token with X-IDENTITY-HEADER', () => {
      assert.equal((results.appService?.[0] as { value?: string }).value, 'hunter2');
      const call = miCalls().find((r) => r.caller === MI_APP_SERVICE_APP);
      assert.equal(call?.path, '/msi/token');
      assert.equal(call.query['api-version'], '2019-08-01');
      assert.match(call.headers['x-identity-header'] ?? '', /^[0-9a-f]{32}$/);
    });
  });

  describe('sovereign clouds and Azure Stack Hub', () => {
    it('reads a US Government vault with a login.microsoftonline.us token', () => {
      assert.equal((results.clouds?.[0] as { value?: string }).value, 'in usgov');
      const token = tokenRequestsOf(CLOUD_APP).find((r) => r.host === 'login.microsoftonline.us');
      assert.equal(
        new URLSearchParams(token?.body).get('scope'),
        'https://vault.usgovcloudapi.net/.default',
      );
    });

    it('reads a China vault with a token from the China cloud’s preferred network host', () => {
      assert.equal((results.clouds?.[1] as { value?: string }).value, 'in china');
      // MSAL's built-in metadata sends login.chinacloudapi.cn requests to its preferred network.
      const token = tokenRequestsOf(CLOUD_APP).find(
        (r) => r.host === 'login.partner.microsoftonline.cn',
      );
      assert.equal(
        new URLSearchParams(token?.body).get('scope'),
        'https://vault.azure.cn/.default',
      );
    });

    it('reads an Azure Stack Hub vault through a custom authority without instance discovery', () => {
      assert.equal((results.clouds?.[2] as { value?: string }).value, 'in stack');
      const stack = requests
        .filter((r) => r.host === STACK_AUTHORITY)
        .map((r) => `${r.kind} ${r.status}`);
      assert.deepEqual(stack, ['entra.openid 200', 'entra.token 200']);
      assert.ok(!requests.some((r) => r.kind === 'entra.discovery'));
    });
  });
});
