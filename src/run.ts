import type { TokenCredential } from '@azure/core-auth';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AgentPort } from './agent/agentPort';
import { readRunIdentity } from './audit/runIdentity';
import { runMarker, userAgentPrefix } from './audit/userAgent';
import type { TokenIdentity } from './auth/tokenClaims';
import { createCredential, describeIdentity } from './auth/createCredential';
import { observedCredential } from './auth/observedCredential';
import { InputError, readTaskConfig, type TaskConfig } from './config/taskConfig';
import { withWireFacts } from './errors/wireFacts';
import { createPipeline } from './net/pipelineOptions';
import { ignoredProxyVariablesNote, proxyVariablesIn } from './net/proxyEnvironment';
import { DEFAULT_RETRY } from './net/retryDelay';
import { RetryBudget } from './net/retryPolicy';
import { loadPkcs12 } from './certificates/loadPkcs12';
import {
  certificateSecretOf,
  prepareCertificates,
  type PreparedCertificate,
} from './certificates/prepareCertificates';
import { buildPlan, type PlanRequest } from './plan/buildPlan';
import { fetchRequestFor } from './plan/fetchRequest';
import { planFails, type Plan } from './plan/plan';
import { applyPlan } from './publish/applyPlan';
import { attachSummary } from './publish/attachSummary';
import { dryRunLines, dryRunNotes } from './report/dryRunReport';
import { renderRunSummary } from './report/runSummary';
import { runSummaryOf } from './report/summaryOf';
import { FileWriteError } from './publish/writeFiles';
import { masksFor } from './publish/maskValues';
import { publicationRefusal } from './publish/publishVariables';
import { renderProblems, type ReportContext } from './report/problemReport';
import { quote } from './report/safeText';
import { credentialSetupProblem, describeSignIn } from './report/signInMessages';
import { createSecretClient } from './vault/createSecretClient';
import { fetchSecrets, readKey, type FetchOutcome } from './vault/fetchSecrets';
import { pemFormReader } from './vault/readPemForm';
import { propertiesSourceOf } from './vault/propertiesSource';
import { secretSourceOf } from './vault/secretSource';
import { runDeadline } from './vault/runDeadline';

/** A run that failed after inputs were valid; its messages were already logged as errors. */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

export interface RunDependencies {
  now: () => Date;
  /** The installed task's version, for the User-Agent and the summary (default "unknown"). */
  taskVersion?: string;
  /** Ends the run early (the job was cancelled). */
  signal?: AbortSignal;
  /** The process environment, only to say which proxy variables are ignored. */
  env?: Record<string, string | undefined>;
}

/** Failure retries a whole run may spend: enough for a few flaky answers, few enough that a
 * dying vault fails in seconds. */
const RETRY_BUDGET = 20;

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

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
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
  // Started before any client exists: every request of the run, token requests and follow-up
  // pages included, obeys it.
  const deadline = runDeadline(config.deadlineMs, deps.signal);
  const pipeline = createPipeline({
    signal: deadline.signal,
    retry: DEFAULT_RETRY,
    retryBudget: new RetryBudget(RETRY_BUDGET),
    requestTimeoutMs: config.requestTimeoutMs,
    maxSockets: config.concurrency,
    proxyFor: (url) => agent.getProxyFor(url),
    extraCa: agent.getAgentCaCertificates(),
  });
  let credential: TokenCredential;
  try {
    credential = await createCredential(config.connection, {
      cloud: config.connection.cloud,
      pipeline: pipeline.options,
      mask,
    });
  } catch (error) {
    deadline.dispose();
    pipeline.dispose();
    // Credentials check their own settings when built (AzurePipelinesCredential needs
    // SYSTEM_OIDCREQUESTURI): a configuration problem, reported before any request.
    throw new InputError([credentialSetupProblem(error, context)]);
  }

  agent.info(
    `Reading ${describeSelection(config)} from ${config.vaultUrl} as ${context.identity} (service connection ${config.connection.id}, ${config.connection.cloud.environment}).`,
  );
  if (config.dryRun) {
    agent.info(
      "Dry run: no secret value is read and no variable is set; each secret's version list is read instead.",
    );
  }
  const proxyVariables = proxyVariablesIn(deps.env ?? {});
  if (proxyVariables.length > 0) {
    agent.info(ignoredProxyVariablesNote(proxyVariables, !!agent.getVariable('Agent.ProxyUrl')));
  }
  let signedIn: TokenIdentity | undefined;
  const observed = observedCredential(credential, {
    mask,
    signedIn: (who) => {
      signedIn = who;
      // Commands in later messages name the object id: the agent masks the client id.
      context.objectId = who.objectId;
      agent.info(
        `Signed in as ${describeSignIn(context, who)}. Role assignments and access policies must name object id ${who.objectId ?? '(not in token)'}.`,
      );
    },
  });
  const taskVersion = deps.taskVersion ?? 'unknown';
  const marker = runMarker(readRunIdentity((name) => agent.getVariable(name)));
  const client = createSecretClient(
    config.vaultUrl,
    observed,
    pipeline.options,
    userAgentPrefix(taskVersion, marker),
  );

  // One clock reading per run: selection, validity and the plan all judge against it.
  const now = deps.now();
  let fetched: FetchOutcome;
  let prepared: PreparedCertificate[] = [];
  try {
    // A dry run reads version lists instead of values: nothing to mask, nothing to convert.
    fetched = await fetchSecrets(
      config.dryRun ? propertiesSourceOf(client) : secretSourceOf(client),
      fetchRequestFor(config.selection, config.tags, now),
      {
        concurrency: config.concurrency,
        onValue: config.dryRun ? (): void => undefined : mask,
        signal: deadline.signal,
      },
    );
    const { format, password } = config.certificates;
    if (format !== 'asSecretValue' && !config.dryRun) {
      prepared = await prepareCertificates(fetched.secrets.map(certificateSecretOf), {
        format,
        password,
        pkcs12: loadPkcs12,
        readPemForm: pemFormReader(client, { signal: deadline.signal, onValue: mask }),
      });
    }
  } finally {
    deadline.dispose();
    pipeline.dispose();
  }

  const plan = buildPlan(planRequestOf(config, agent, prepared), fetched, now);
  for (const line of plan.infos) agent.info(line);
  for (const line of plan.warnings) agent.warning(line);
  const summary = (problems: string[]): string =>
    renderRunSummary(
      runSummaryOf({
        context,
        environment: config.connection.cloud.environment,
        who: signedIn,
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
        marker,
        taskVersion,
        now,
      }),
    );
  if (planFails(plan)) {
    const problems = plan.problems.map((p) =>
      withWireFacts(p, config.connection.cloud.authorityHost, (host) =>
        pipeline.wire.lastFailure(host),
      ),
    );
    const messages = [...renderProblems(problems, context), ...plan.errors];
    for (const message of messages) agent.error(message);
    // A cancelled job gets no summary: whoever cancelled it wants the step to stop now.
    if (!plan.problems.some((p) => p.cause === 'cancelled'))
      attachSummary(agent, config.vaultName, summary(messages));
    throw new RunFailure(failureSummary(config, plan, fetched.secrets.length));
  }
  if (config.dryRun) {
    // The plan is printed instead of applied: no mask, no file, no variable.
    for (const line of dryRunLines(plan, config.vaultName)) agent.info(line);
    attachSummary(agent, config.vaultName, summary([]));
    return;
  }
  // All or none: what task-lib would refuse is refused before the first variable is set.
  const refusal = publicationRefusal(agent, plan.variables);
  if (refusal !== undefined) {
    agent.error(refusal);
    attachSummary(agent, config.vaultName, summary([refusal]));
    throw new RunFailure(
      `No variables were set from vault '${config.vaultName}'. See the error above.`,
    );
  }
  try {
    applyPlan(agent, plan);
  } catch (error) {
    if (error instanceof FileWriteError) {
      agent.error(error.message);
      attachSummary(agent, config.vaultName, summary([error.message]));
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
  attachSummary(agent, config.vaultName, summary([]));
  const secretCount = plan.variables.filter((v) => v.secret).length;
  const kind =
    secretCount === plan.variables.length
      ? plural(plan.variables.length, 'secret variable')
      : `${plural(plan.variables.length, 'variable')} (${secretCount} secret)`;
  agent.info(
    `Set ${kind}${plan.variables.length > 0 ? `: ${plan.variables.map((v) => v.name).join(', ')}` : ''}${config.outputVariables ? ' (also as output variables)' : ''}.`,
  );
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

function describeSelection(config: TaskConfig): string {
  const { exact, patterns } = config.selection;
  const included = patterns.filter((p) => !p.negated);
  const listed =
    included.length === 1 && included[0]?.glob === '*' && patterns.length === 1
      ? 'all enabled secrets'
      : included.length > 0
        ? `the secrets matching ${included.map((p) => quote(p.text)).join(', ')}`
        : undefined;
  const named = exact.length > 0 ? plural(exact.length, 'secret') : undefined;
  return [named, listed].filter((part) => part !== undefined).join(' and ');
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
