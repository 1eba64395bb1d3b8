/**
 * `npm start`: runs the bundled task end to end against the local Azure emulator, exactly as the
 * end-to-end tests do, and prints the job log an agent would show (secrets masked as ***).
 * Two runs: one that succeeds, one that fails, to show both kinds of output.
 */
import { startAzure } from '../test/emulator';
import { cleanup, runAgentTask, SecretMasker, type HarnessRun } from '../test/harness';
import {
  APP_ID,
  CLIENT_SECRET,
  EXECUTION_TARGET,
  OBJECT_ID,
  TENANT,
  servicePrincipalConnection,
} from '../test/e2e/scenario';

const SECRETS: Record<string, string> = {
  'db-password': 'Sup3r$ecret;with]odd%chars',
  'api-key': 'ak_live_0123456789abcdef',
  'tls-key':
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
  'storage-connection':
    'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=c2VjcmV0a2V5',
};

function show(title: string, run: HarnessRun): void {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 90 - title.length))}`);
  // The agent shows task debug lines only when System.Debug is true.
  for (const line of run.log) if (!line.startsWith('##[debug]')) console.log(`  ${line}`);
  console.log(
    `── Step result: ${run.result}, from the task's task.complete (${run.durationMs} ms)`,
  );
  const variables = [...run.variables].filter(([name]) => !name.startsWith('SYSTEM_'));
  if (variables.length > 0) {
    console.log('   Secret variables for later steps, and what a step echoing one would log:');
    // The masker as the run left it: what the agent would apply to every later line of the job.
    const masker = SecretMasker.forAgent();
    for (const value of run.maskedValues) masker.addValue(value);
    for (const [name, v] of variables) {
      const firstLine = v.value.split(/\r?\n/)[0] ?? '';
      console.log(
        `     $(${name})${' '.repeat(Math.max(1, 22 - name.length))}echo "value=$(${name})" → ${masker.maskSecrets(`value=${firstLine}`)}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const azure = await startAzure();
  try {
    azure.addServicePrincipal({
      tenantId: TENANT,
      appId: APP_ID,
      objectId: OBJECT_ID,
      secrets: [CLIENT_SECRET],
    });
    const vault = azure.addVault({ name: 'contoso-kv', tenantId: TENANT });
    vault.grant(APP_ID);
    for (const [name, value] of Object.entries(SECRETS)) vault.setSecret(name, value);
    vault.setSecret('retired-password', { value: 'old', enabled: false });
    console.log(
      `Local Azure emulator on loopback: Key Vault ${vault.url}, Microsoft Entra ID, proxy ${azure.proxyUrl}`,
    );
    console.log(
      `Vault holds ${Object.keys(SECRETS).length + 1} secrets (one disabled). The task runs as an agent would start it: node ${EXECUTION_TARGET}`,
    );

    const connection = servicePrincipalConnection();
    const common = {
      target: EXECUTION_TARGET,
      endpoints: [connection],
      proxy: { url: azure.proxyUrl },
      caFile: azure.caCertFile,
    };
    const ok = await runAgentTask({
      ...common,
      inputs: {
        ConnectedServiceName: connection.id,
        KeyVaultName: 'contoso-kv',
        SecretsFilter: '*',
      },
    });
    show("KeyVaultSecrets@1 with SecretsFilter: '*'", ok);
    const summary = azure.requests.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.kind]: (acc[r.kind] ?? 0) + 1 }),
      {},
    );
    console.log(
      `   Requests the emulator answered: ${Object.entries(summary)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`,
    );

    console.log(
      "\nThe second run fails on purpose: 'db-pasword' is a typo that names no secret and 'retired-password' is disabled, to show how the task reports every problem of a run at once and sets no variable.",
    );
    const failed = await runAgentTask({
      ...common,
      inputs: {
        ConnectedServiceName: connection.id,
        KeyVaultName: 'contoso-kv',
        SecretsFilter: 'db-password,db-pasword,retired-password',
      },
    });
    show("KeyVaultSecrets@1 with SecretsFilter: 'db-password,db-pasword,retired-password'", failed);
    cleanup(ok);
    cleanup(failed);
    if (ok.result !== 'Succeeded' || failed.result !== 'Failed') process.exitCode = 1;
  } finally {
    await azure.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
