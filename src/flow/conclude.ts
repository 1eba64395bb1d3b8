import path from 'node:path';
import type { AgentPort } from '../agent/agentPort';
import type { TaskConfig } from '../config/taskConfig';
import { withWireFacts } from '../errors/wireFacts';
import { planFails, type Plan } from '../plan/plan';
import { applyPlan } from '../publish/applyPlan';
import { attachSummary } from '../publish/attachSummary';
import { publicationRefusal } from '../publish/publishVariables';
import { FileWriteError } from '../publish/writeFiles';
import { dryRunLines, dryRunNotes } from '../report/dryRunReport';
import { renderProblems, type ReportContext } from '../report/problemReport';
import { renderRunSummary } from '../report/runSummary';
import { runSummaryOf } from '../report/summaryOf';
import { readKey } from '../vault/fetchSecrets';
import type { VaultSession } from './connect';
import { plural, RunFailure } from './runFailure';

/**
 * Ends a run from its plan: fails it with every problem, prints it (dry run), or applies it; in
 * every case but a cancelled job the run summary is attached. `read` is how many reads succeeded.
 */
export function concludeRun(
  agent: AgentPort,
  config: TaskConfig,
  context: ReportContext,
  session: VaultSession,
  outcome: { plan: Plan; read: number; now: Date },
): void {
  const { plan } = outcome;
  for (const line of plan.infos) agent.info(line);
  for (const line of plan.warnings) agent.warning(line);
  const attach = (problems: string[]): void =>
    attachSummary(
      agent,
      config.vaultName,
      renderRunSummary(
        runSummaryOf({
          context,
          environment: config.connection.cloud.environment,
          who: session.signedIn(),
          plan,
          problems,
          dryRun: config.dryRun,
          dryRunNotes: config.dryRun
            ? dryRunNotes(
                config.selection,
                config.vaultName,
                config.certificates.format !== 'asSecretValue',
              )
            : [],
          marker: session.marker,
          taskVersion: session.taskVersion,
          now: outcome.now,
        }),
      ),
    );

  if (planFails(plan)) {
    const problems = plan.problems.map((p) =>
      withWireFacts(p, config.connection.cloud.authorityHost, (host) =>
        session.pipeline.wire.lastFailure(host),
      ),
    );
    const messages = [...renderProblems(problems, context), ...plan.errors];
    for (const message of messages) agent.error(message);
    // A cancelled job gets no summary: whoever cancelled it wants the step to stop now.
    if (!plan.problems.some((p) => p.cause === 'cancelled')) attach(messages);
    throw new RunFailure(failureSummary(config, plan, outcome.read));
  }
  if (config.dryRun) {
    // The plan is printed instead of applied: no mask, no file, no variable.
    for (const line of dryRunLines(plan, config.vaultName)) agent.info(line);
    attach([]);
    return;
  }
  // All or none: what task-lib would refuse is refused before the first variable is set.
  const refusal = publicationRefusal(agent, plan.variables);
  if (refusal !== undefined) {
    agent.error(refusal);
    attach([refusal]);
    throw new RunFailure(
      `No variables were set from vault '${config.vaultName}'. See the error above.`,
    );
  }
  try {
    applyPlan(agent, plan);
  } catch (error) {
    if (error instanceof FileWriteError) {
      agent.error(error.message);
      attach([error.message]);
      throw new RunFailure(
        `Could not write the certificate files; no variables were set. See the error above.`,
      );
    }
    throw error;
  }
  if (plan.files.length > 0) {
    agent.info(
      `Wrote ${plural(plan.files.length, 'certificate file')} to ${plan.fileDirectory ?? ''}: ${plan.files.map((f) => path.basename(f.path)).join(', ')}. The post-job step removes them when the job ends.`,
    );
  }
  attach([]);
  agent.info(setLine(plan, config.outputVariables));
}

function setLine(plan: Plan, outputVariables: boolean): string {
  const secretCount = plan.variables.filter((v) => v.secret).length;
  const kind =
    secretCount === plan.variables.length
      ? plural(plan.variables.length, 'secret variable')
      : `${plural(plan.variables.length, 'variable')} (${secretCount} secret)`;
  return `Set ${kind}${plan.variables.length > 0 ? `: ${plan.variables.map((v) => v.name).join(', ')}` : ''}${outputVariables ? ' (also as output variables)' : ''}.`;
}

/** The closing line of a failed run; `read` is how many reads succeeded. */
function failureSummary(config: TaskConfig, plan: Plan, read: number): string {
  const vault = `vault '${config.vaultName}'`;
  if (plan.problems.length === 0)
    return `Could not set the variables from ${vault}; no variables were set. See the errors above.`;
  const { exact, patterns } = config.selection;
  if (patterns.length > 0 || plan.errors.length > 0)
    return `Could not read the secrets from ${vault}; no variables were set. See the errors above.`;
  const requested = new Set(exact.map((e) => readKey({ name: e.secretName, version: e.version })))
    .size;
  const unread = requested - read;
  return unread <= 0
    ? `Could not read the secrets from ${vault}; no variables were set. See the errors above.`
    : `Could not read ${plural(unread, 'secret')} of ${requested} from ${vault}; no variables were set. See the errors above.`;
}
