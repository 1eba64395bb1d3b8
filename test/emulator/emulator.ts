/**
 * Wires the emulator together: CA, HTTPS front door, proxy, Entra, the vaults, the Azure DevOps
 * OIDC endpoint and the managed identity endpoints.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVOPS_HOST, DevOpsService } from './devOps';
import { Directory } from './directory';
import { EntraService } from './entra';
import { FaultRules } from './faults';
import { KeyVaultService } from './keyVault';
import { ManagedIdentityService } from './managedIdentity';
import { OidcIssuerKey } from './oidcIssuer';
import { ConnectProxy } from './proxy';
import { RequestLog } from './requestLog';
import { FrontDoor } from './server';
import { createTestCa, LeafCertificates, loadTestCaFromEnv } from './testCa';
import { TokenSigner } from './tokens';
import type {
  AzureEmulator,
  DevOpsJobOptions,
  EmulatedDevOpsJob,
  EmulatedVault,
  EmulatorOptions,
  FaultRule,
  ManagedIdentityEndpoint,
  ManagedIdentityOptions,
  ServicePrincipalOptions,
  VaultOptions,
} from './types';

/**
 * Entra authorities of the public, US Government and China clouds. MSAL sends China-cloud token
 * requests to the preferred network host of its built-in metadata, login.partner.microsoftonline.cn,
 * even when the authority is login.chinacloudapi.cn, so both are served.
 */
export const DEFAULT_AUTHORITY_HOSTS = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

/**
 * Starts the emulator. It uses the test runner's CA when KVS_TEST_CA_CERT / KVS_TEST_CA_KEY are
 * set (then this process trusts it through NODE_EXTRA_CA_CERTS); otherwise it creates a CA and
 * writes it to a temporary `caCertFile`, which only child processes started with
 * NODE_EXTRA_CA_CERTS=<caCertFile> (or clients given `ca: caCertPem`) trust.
 */
export async function startAzure(options: EmulatorOptions = {}): Promise<AzureEmulator> {
  const fromEnv = loadTestCaFromEnv();
  const ca = fromEnv ?? (await createTestCa());
  let tempDir: string | undefined;
  let caCertFile = fromEnv?.certFile;
  if (!caCertFile) {
    tempDir = mkdtempSync(join(tmpdir(), 'kvs-emulator-'));
    caCertFile = join(tempDir, 'test-ca.pem');
    writeFileSync(caCertFile, ca.certPem);
  }

  const now = options.now ?? Date.now;
  const log = new RequestLog();
  const faults = new FaultRules();
  const signer = new TokenSigner();
  const directory = new Directory();
  const oidcKey = new OidcIssuerKey();
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
  const authorityHosts = [...DEFAULT_AUTHORITY_HOSTS];
  const entra = new EntraService({
    directory,
    signer,
    now,
    tokenLifetimeSeconds,
    authorityHosts: () => authorityHosts,
    issuerSigned: (jwt) => oidcKey.signed(jwt),
  });
  const devOps = new DevOpsService({ key: oidcKey, now });
  const managedIdentities: ManagedIdentityService[] = [];
  const front = new FrontDoor({
    certificates: await LeafCertificates.create(ca),
    log,
    faults,
    latencyMs: options.latencyMs ?? 0,
  });
  for (const host of authorityHosts) front.register(host, entra);
  front.register(DEVOPS_HOST, devOps);
  const proxy = new ConnectProxy({
    upstreamPort: () => front.port,
    serves: (host) => front.serves(host),
    ...(options.proxyAuth && { auth: options.proxyAuth }),
    log,
  });
  try {
    await front.listen();
    await proxy.listen();
  } catch (error) {
    await Promise.allSettled([front.close(), proxy.close()]);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }

  const vaultEnvironment = {
    signer,
    now,
    issuersOf: (tenantId: string) => entra.issuersOf(tenantId),
  };
  const emulator: AzureEmulator = {
    proxyUrl: `http://127.0.0.1:${proxy.port}`,
    caCertPem: ca.certPem,
    caCertFile,
    directUrl: `https://127.0.0.1:${front.port}`,
    requests: log.requests,
    tunnels: log.tunnels,
    brokenBodies: log.brokenBodies,
    addVault(vaultOptions: VaultOptions): EmulatedVault {
      const vault = new KeyVaultService(vaultOptions, vaultEnvironment);
      front.register(vault.host, vault);
      directory.addTenant(vaultOptions.tenantId);
      return vault;
    },
    addServicePrincipal(principal: ServicePrincipalOptions): void {
      directory.addServicePrincipal(principal);
    },
    addAuthorityHost(host: string): void {
      const name = host.toLowerCase();
      front.register(name, entra);
      authorityHosts.push(name);
    },
    addDevOpsJob(job: DevOpsJobOptions): EmulatedDevOpsJob {
      return devOps.addJob(job);
    },
    async startManagedIdentity(mi: ManagedIdentityOptions): Promise<ManagedIdentityEndpoint> {
      const service = new ManagedIdentityService(mi, {
        signer,
        now,
        tokenLifetimeSeconds,
        log,
        faults,
        latencyMs: 0,
      });
      managedIdentities.push(service);
      return service.start();
    },
    addFault(rule: FaultRule): () => void {
      return faults.add(rule);
    },
    resetLog(): void {
      log.reset();
    },
    async close(): Promise<void> {
      await Promise.all([
        proxy.close(),
        front.close(),
        ...managedIdentities.map((mi) => mi.close()),
      ]);
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
  return emulator;
}
