/**
 * The vault `npm start` and `npm run screenshots` show: the end-to-end tests' scenario (emulated
 * Azure, the service principal connection, its leak hunt on close) seeded with a few secrets of
 * the usual kinds and one disabled secret.
 */
import type { SecretSeed } from '../test/emulator';
import { SecretMasker, type HarnessRun } from '../test/harness';
import { startScenario, type Scenario } from '../test/e2e/scenario';

const DAY_SECONDS = 86_400;

export const DEMO_SECRETS: Record<string, string> = {
  'db-password': 'Sup3r$ecret;with]odd%chars',
  'api-key': 'ak_live_0123456789abcdef',
  'tls-key':
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
  'storage-connection':
    'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=c2VjcmV0a2V5',
};
export const DISABLED_SECRET = 'retired-password';

/** How each demo secret is stored: `api-key` expires in 20 days, to show what the task says. */
function seed(name: string, value: string, nowSeconds: number): SecretSeed {
  return name === 'api-key' ? { value, exp: nowSeconds + 20 * DAY_SECONDS + 3600 } : { value };
}

export async function startDemoScenario(now = new Date()): Promise<Scenario> {
  const scenario = await startScenario();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  for (const [name, value] of Object.entries(DEMO_SECRETS)) {
    scenario.vault.setSecret(name, seed(name, value, nowSeconds));
  }
  scenario.vault.setSecret(DISABLED_SECRET, { value: 'Old-Passw0rd-2019!', enabled: false });
  return scenario;
}

/**
 * What the agent would log for a line a later step of the job prints: the masker as the run left
 * it, with every value the task registered.
 */
export function laterStepMasker(run: HarnessRun): (line: string) => string {
  const masker = SecretMasker.forAgent();
  for (const value of run.maskedValues) masker.addValue(value);
  return (line) => masker.maskSecrets(line);
}

/** The variables a run set for later steps, as [name, value], without the agent's own. */
export function laterStepVariables(run: HarnessRun): [string, string][] {
  return [...run.variables]
    .filter(([name]) => !name.startsWith('SYSTEM_'))
    .map(([name, v]) => [name, v.value]);
}
