import type { TokenIdentity } from '../auth/tokenClaims';
import type { Plan } from '../plan/plan';
import type { ReportContext } from './problemReport';
import type { RunSummary } from './runSummary';
import { SIGN_IN_METHODS } from './signInMessages';

export interface SummaryInput {
  context: ReportContext;
  /** The connection's cloud, e.g. "AzureCloud". */
  environment: string;
  /** Who the first access token says signed in; undefined when no sign-in succeeded. */
  who: TokenIdentity | undefined;
  plan: Plan;
  /** The run's error messages when it failed (problemReport and the plan's errors), else none. */
  problems: string[];
  dryRun: boolean;
  dryRunNotes: string[];
  marker: string | undefined;
  taskVersion: string;
  now: Date;
}

/**
 * The agent masks every service connection parameter but a few (the tenant id among them), so
 * the application id of a service principal or workload identity connection shows as `***` in
 * the log (azure-pipelines-agent, masking of endpoint authorization parameters). The summary is
 * uploaded as a file, which the agent does not mask: it shows what the log shows.
 */
function maskedByAgent(context: ReportContext): string | undefined {
  return context.authKind === 'managedIdentity' ? undefined : context.clientId;
}

/** The summary's facts for a run that read (or tried to read) the vault. Pure. */
export function runSummaryOf(input: SummaryInput): RunSummary {
  const { context } = input;
  const masked = maskedByAgent(context);
  const hide = (text: string): string => (masked ? text.split(masked).join('***') : text);
  const applicationId = masked ? '***' : (input.who?.appId ?? context.clientId);
  return {
    vaultName: context.vaultName,
    vaultUrl: context.vaultUrl,
    identity: {
      objectId: input.who?.objectId,
      applicationId,
      tenantId: input.who?.tenantId ?? context.tenantId,
      method: SIGN_IN_METHODS[context.authKind],
    },
    connection: { id: context.connectionId, environment: input.environment },
    dryRun: input.dryRun,
    outcome:
      input.problems.length > 0
        ? { kind: 'failed', problems: input.problems.map(hide) }
        : { kind: 'succeeded' },
    // A run that fails after planning (a variable task-lib would refuse) sets nothing either.
    rows:
      input.problems.length > 0
        ? input.plan.rows.map((row) =>
            row.status.kind === 'set' ? { ...row, status: { kind: 'notSet' } } : row,
          )
        : input.plan.rows,
    dryRunNotes: input.problems.length > 0 ? [] : input.dryRunNotes,
    marker: input.marker,
    taskVersion: input.taskVersion,
    now: input.now,
  };
}
