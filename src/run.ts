import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AgentPort } from './agent/agentPort';
import { describeIdentity } from './auth/createCredential';
import type { PreparedCertificate } from './certificates/prepareCertificates';
import { readTaskConfig, type TaskConfig } from './config/taskConfig';
import { concludeRun } from './flow/conclude';
import { connectToVault } from './flow/connect';
import { readVault } from './flow/readVault';
import { buildPlan, type PlanRequest } from './plan/buildPlan';
import { masksFor } from './publish/maskValues';
import type { ReportContext } from './report/problemReport';

export { RunFailure } from './flow/runFailure';

export interface RunDependencies {
  now: () => Date;
  /** The installed task's version, for the User-Agent and the summary (default "unknown"). */
  taskVersion?: string;
  /** Ends the run early (the job was cancelled). */
  signal?: AbortSignal;
  /** The process environment, only to say which proxy variables are ignored. */
  env?: Record<string, string | undefined>;
}

/**
 * Reads the selected secrets, plans the variables and sets them: parse, connect, fetch, plan,
 * apply, report. All of them, or none when anything fails; a dry run prints the plan instead of
 * applying it. Every run that reads the vault attaches its summary. Throws InputError for bad
 * inputs (before any network call) and RunFailure otherwise.
 */
export async function run(agent: AgentPort, deps: RunDependencies): Promise<void> {
  const config = readTaskConfig(agent);
  const context = reportContext(config);
  const mask = (value: string): void => masksFor(value).forEach((line) => agent.setSecret(line));
  // A password typed into the pipeline, not taken from a secret variable, is masked all the same.
  if (config.certificates.password !== '') mask(config.certificates.password);
  const session = await connectToVault(agent, config, context, {
    taskVersion: deps.taskVersion ?? 'unknown',
    signal: deps.signal,
    env: deps.env ?? {},
    mask,
  });
  // One clock reading per run: selection, validity and the plan all judge against it.
  const now = deps.now();
  const { fetched, prepared } = await readVault(session, config, now, mask);
  const plan = buildPlan(planRequestOf(config, agent, prepared), fetched, now);
  concludeRun(agent, config, context, session, { plan, read: fetched.secrets.length, now });
}

function reportContext(config: TaskConfig): ReportContext {
  const auth = config.connection.auth;
  return {
    vaultName: config.vaultName,
    vaultUrl: config.vaultUrl,
    identity: describeIdentity(config.connection),
    clientId: 'clientId' in auth ? auth.clientId : undefined,
    connectionId: config.connection.id,
    tenantId: config.connection.tenantId,
    authKind: auth.kind,
    authorityHost: config.connection.cloud.authorityHost,
  };
}

/**
 * Certificate files go in a new directory of their own under Agent.TempDirectory; its name is
 * random so that nothing can be planted in it beforehand (it is created, not reused).
 */
function certificateDirectory(agent: AgentPort): string | undefined {
  const temp = agent.getVariable('Agent.TempDirectory');
  return temp ? path.join(temp, `keyvault-secrets-${randomBytes(8).toString('hex')}`) : undefined;
}

function planRequestOf(
  config: TaskConfig,
  agent: AgentPort,
  prepared: PreparedCertificate[],
): PlanRequest {
  return {
    certificates: {
      format: config.certificates.format,
      directory:
        config.certificates.format === 'asSecretValue' ? undefined : certificateDirectory(agent),
      expiryWarningDays: config.warningDays.expiry,
      prepared: new Map(prepared.map((p) => [p.key, p])),
    },
    vaultName: config.vaultName,
    selection: config.selection,
    naming: config.naming,
    tags: config.tags,
    outputVariables: config.outputVariables,
    expiredSecrets: config.expiredSecrets,
    expiryWarningDays: config.warningDays.expiry,
    rotationWarningDays: config.warningDays.rotation,
    dryRun: config.dryRun,
  };
}
