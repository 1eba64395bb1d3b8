/**
 * `npm start`: runs the bundled task end to end against the local Azure emulator, exactly as the
 * end-to-end tests do, and prints the job log an agent would show (secrets masked as ***).
 * Two runs: one that succeeds, one that fails, to show both kinds of output.
 */
import type { HarnessRun } from '../test/harness';
import { EXECUTION_TARGET } from '../test/e2e/scenario';
import {
  DEMO_SECRETS,
  DISABLED_SECRET,
  laterStepMasker,
  laterStepVariables,
  startDemoScenario,
} from './demoScenario';

function show(title: string, run: HarnessRun): void {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 90 - title.length))}`);
  // The agent shows task debug lines only when System.Debug is true.
  for (const line of run.log) if (!line.startsWith('##[debug]')) console.log(`  ${line}`);
  console.log(
    `── Step result: ${run.result}, from the task's task.complete (${run.durationMs} ms)`,
  );
  const variables = laterStepVariables(run);
  if (variables.length > 0) {
    console.log('   Secret variables for later steps, and what a step echoing one would log:');
    const mask = laterStepMasker(run);
    for (const [name, value] of variables) {
      const firstLine = value.split(/\r?\n/)[0] ?? '';
      console.log(
        `     $(${name})${' '.repeat(Math.max(1, 22 - name.length))}echo "value=$(${name})" → ${mask(`value=${firstLine}`)}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const scenario = await startDemoScenario();
  const { azure, vault } = scenario;
  try {
    console.log(
      `Local Azure emulator on loopback: Key Vault ${vault.url}, Microsoft Entra ID, proxy ${azure.proxyUrl}`,
    );
    console.log(
      `Vault holds ${Object.keys(DEMO_SECRETS).length + 1} secrets (one disabled). The task runs as an agent would start it: node ${EXECUTION_TARGET}`,
    );

    const ok = await scenario.run({ inputs: { SecretsFilter: '*' } });
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
      `\nThe second run fails on purpose: 'db-pasword' is a typo that names no secret and '${DISABLED_SECRET}' is disabled, to show how the task reports every problem of a run at once and sets no variable.`,
    );
    const filter = `db-password,db-pasword,${DISABLED_SECRET}`;
    const failed = await scenario.run({ inputs: { SecretsFilter: filter } });
    show(`KeyVaultSecrets@1 with SecretsFilter: '${filter}'`, failed);
    if (ok.result !== 'Succeeded' || failed.result !== 'Failed') process.exitCode = 1;
  } finally {
    // Hunts every run's output for the seeded values and tokens, then stops the emulator.
    await scenario.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
