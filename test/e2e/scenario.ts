import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  startAzure,
  type AzureEmulator,
  type EmulatedVault,
  type EmulatorOptions,
  type VaultOptions,
} from '../emulator';
import {
  runAgentTask,
  cleanup,
  findLeaks,
  valuesInBrokenBodies,
  type HarnessRun,
} from '../harness';
import { defaultHandler } from '../harness/handler';
import type { AgentRunOptions, ServiceConnection } from '../harness/types';

/** The bundle as it ships: tests run what users install, never src/. */
export const TASK_DIR = path.resolve(__dirname, '../../tasks/KeyVaultSecrets');
export const EXECUTION_TARGET = path.join(TASK_DIR, 'dist/main.js');
export const PREJOB_TARGET = path.join(TASK_DIR, 'dist/prejob.js');
export const POSTJOB_TARGET = path.join(TASK_DIR, 'dist/postjob.js');

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const APP_ID = '0b5c7a8e-3e2f-4c1d-9a6b-7f8e9d0c1b2a';
export const OBJECT_ID = 'c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f';
export const CLIENT_SECRET = 'Qx8~spn.Secret_value-1234567890abcdefXYZ';
export const CONNECTION_ID = '5f1c2d3e-4b5a-4968-8776-a1b2c3d4e5f6';

/** One emulated Azure with a vault the connection's service principal may read. */
export interface Scenario {
  azure: AzureEmulator;
  vault: EmulatedVault;
  connection: ServiceConnection;
  /** Runs the bundled task as the agent does, through the emulator's proxy. */
  run(
    options?: Partial<AgentRunOptions> & { inputs?: Record<string, string> },
  ): Promise<HarnessRun>;
  close(): Promise<void>;
}

export function servicePrincipalConnection(
  overrides: Partial<ServiceConnection> = {},
): ServiceConnection {
  return {
    id: CONNECTION_ID,
    url: 'https://management.azure.com/',
    scheme: 'ServicePrincipal',
    parameters: {
      tenantid: TENANT,
      serviceprincipalid: APP_ID,
      authenticationType: 'spnKey',
      serviceprincipalkey: CLIENT_SECRET,
    },
    data: {
      environment: 'AzureCloud',
      subscriptionId: 'a1b2c3d4-0000-4000-8000-000000000001',
      subscriptionName: 'Contoso',
    },
    ...overrides,
  };
}

export async function startScenario(
  vaultOptions: Partial<VaultOptions> = {},
  emulatorOptions: EmulatorOptions = {},
): Promise<Scenario> {
  const azure = await startAzure(emulatorOptions);
  azure.addServicePrincipal({
    tenantId: TENANT,
    appId: APP_ID,
    objectId: OBJECT_ID,
    secrets: [CLIENT_SECRET],
  });
  const rawVault = azure.addVault({ name: 'contoso-kv', tenantId: TENANT, ...vaultOptions });
  rawVault.grant(APP_ID);
  // Every value seeded is hunted for in every run's output when the scenario closes.
  const seeded = new Set<string>();
  const vault: EmulatedVault = {
    name: rawVault.name,
    host: rawVault.host,
    url: rawVault.url,
    setSecret: (name, seed) => {
      seeded.add(typeof seed === 'string' ? seed : seed.value);
      return rawVault.setSecret(name, seed);
    },
    grant: (appId, permissions) => rawVault.grant(appId, permissions),
    revoke: (appId) => rawVault.revoke(appId),
  };
  const connection = servicePrincipalConnection();
  const runs: HarnessRun[] = [];
  return {
    azure,
    vault,
    connection,
    async run(options = {}) {
      const { inputs, ...rest } = options;
      const result = await runAgentTask({
        target: EXECUTION_TARGET,
        endpoints: [connection],
        proxy: { url: azure.proxyUrl },
        caFile: azure.caCertFile,
        timeoutMs: 30_000,
        // The handler of this pass (scripts/test.ts), checked against task.json.
        handler: defaultHandler().handler,
        ...rest,
        inputs: { ConnectedServiceName: connection.id, KeyVaultName: vault.name, ...inputs },
      });
      runs.push(result);
      // The task always ends through its result, never by crashing: show the crash if it did.
      if (
        result.exitCode !== 0 &&
        !result.timedOut &&
        !options.cancel &&
        !options.env?.DIE_ON_OUTPUT
      ) {
        throw new Error(`The task exited with code ${result.exitCode}:\n${result.stderr}`);
      }
      return result;
    },
    async close() {
      try {
        // Values that came back in broken bodies too: a cut value is not the seeded one.
        huntLeaks(
          runs,
          [...seeded, ...valuesInBrokenBodies(azure.brokenBodies)],
          bearerTokens(azure),
          connection,
        );
      } finally {
        for (const run of runs) cleanup(run);
        await azure.close();
      }
    },
  };
}

/** Access tokens the task presented to the emulator. */
function bearerTokens(azure: AzureEmulator): string[] {
  const tokens = azure.requests
    .map((r) => /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1])
    .filter((t): t is string => t !== undefined);
  return [...new Set(tokens)];
}

/**
 * The leak hunt every end-to-end test gets: no seeded value (nor a line or an encoded form of it)
 * and no access token anywhere in a run's output, issues or files; the connection's credentials and
 * the job token nowhere the agent shows or keeps (raw stdout may hold them: the agent masks endpoint
 * parameters and the job token from the job's start, and task-lib debug-prints auth parameters).
 */
function huntLeaks(
  runs: HarnessRun[],
  values: string[],
  tokens: string[],
  connection: ServiceConnection,
): void {
  const credentials = Object.entries(connection.parameters)
    .filter(([key]) => /key|certificate|secret/i.test(key))
    .map(([, value]) => value);
  for (const [index, run] of runs.entries()) {
    const leaks = [
      ...findLeaks(run, [...values, ...tokens], { deliveredFiles: certificateFilesOf(run) }),
      ...findLeaks(run, [...credentials, run.accessToken ?? ''], {
        places: ['issues', 'log', 'files'],
      }),
    ];
    if (leaks.length > 0) throw new Error(`Run #${index + 1} leaked secrets:\n${leaks.join('\n')}`);
  }
}

/**
 * The certificate files a run wrote on purpose (the record it left for its post-job stage),
 * relative to its temp dir; they hold keys by design and are checked by the certificate tests.
 */
export function certificateFilesOf(run: HarnessRun): string[] {
  const record = run.taskVariables.get('KeyVaultSecrets.WrittenFiles')?.value;
  if (record === undefined) return [];
  const { files } = JSON.parse(record) as { files: string[] };
  return files.map((file) => path.relative(run.tempDir, file));
}

export function newVersionId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Variables as plain data, for exact comparisons. */
export function variablesOf(run: HarnessRun): Record<string, { value: string; secret: boolean }> {
  return Object.fromEntries(
    [...run.variables].map(([name, v]) => [name, { value: v.value, secret: v.secret }]),
  );
}

/** Where a run leaves its summary: `keyvault-secrets-<random>/Key Vault secrets - <vault>.md`. */
const RUN_SUMMARY = /^keyvault-secrets-[^/]+\/Key Vault secrets - [^/]+\.md$/;

/** The files a run left in the temp directory besides its run summary (which holds no value). */
export function filesBesideSummary(run: HarnessRun): string[] {
  return run.filesLeft.filter((file) => !RUN_SUMMARY.test(file.split(path.sep).join('/')));
}
