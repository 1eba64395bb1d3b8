import type { TokenCredential } from '@azure/core-auth';
import type { AgentPort } from './agent/agentPort';
import { createCredential, describeIdentity } from './auth/createCredential';
import { observedCredential } from './auth/observedCredential';
import { InputError, readTaskConfig, type TaskConfig } from './config/taskConfig';
import { withWireFacts } from './errors/wireFacts';
import { createPipeline } from './net/pipelineOptions';
import { DEFAULT_RETRY } from './net/retryDelay';
import { RetryBudget } from './net/retryPolicy';
import { masksFor } from './publish/maskValues';
import { publicationRefusal, publishVariables } from './publish/publishVariables';
import { renderProblems, type ReportContext } from './report/problemReport';
import { quote } from './report/safeText';
import { credentialSetupProblem, describeSignIn } from './report/signInMessages';
import { createSecretClient } from './vault/createSecretClient';
import { fetchSecrets } from './vault/fetchSecrets';
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
  /** Ends the run early (the job was cancelled). */
  signal?: AbortSignal;
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
 * Fetches the selected secrets and sets them as secret variables: all of them, or none when any
 * fails. Throws InputError for bad inputs (before any network call) and RunFailure otherwise.
 */
export async function run(agent: AgentPort, deps: RunDependencies): Promise<void> {
  const config = readTaskConfig(agent);
  const context = reportContext(config);
  const mask = (value: string): void => masksFor(value).forEach((line) => agent.setSecret(line));
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
    credential = createCredential(config.connection, {
      cloud: config.connection.cloud,
      pipeline: pipeline.options,
    });
  } catch (error) {
    deadline.dispose();
    pipeline.dispose();
    // Credentials check their own settings when built (AzurePipelinesCredential needs
    // SYSTEM_OIDCREQUESTURI): a configuration problem, reported before any request.
    throw new InputError([credentialSetupProblem(error, context)]);
  }

  agent.info(
    `Reading ${config.selection.kind === 'all' ? 'all enabled secrets' : plural(config.selection.names.length, 'secret')} from ${config.vaultUrl} as ${context.identity} (service connection ${config.connection.id}, ${config.connection.cloud.environment}).`,
  );
  const observed = observedCredential(credential, {
    mask,
    signedIn: (who) => {
      // Commands in later messages name the object id: the agent masks the client id.
      context.objectId = who.objectId;
      agent.info(
        `Signed in as ${describeSignIn(context, who)}. Role assignments and access policies must name object id ${who.objectId ?? '(not in token)'}.`,
      );
    },
  });
  const client = createSecretClient(config.vaultUrl, observed, pipeline.options);

  const outcome = await fetchSecrets(secretSourceOf(client), config.selection, {
    concurrency: config.concurrency,
    now: deps.now(),
    onValue: mask,
    signal: deadline.signal,
  }).finally(() => {
    deadline.dispose();
    pipeline.dispose();
  });

  for (const { name, reason } of outcome.skipped) {
    agent.info(`Skipped secret ${quote(name)}: ${reason}.`);
  }
  if (outcome.problems.length > 0) {
    const problems = outcome.problems.map((p) =>
      withWireFacts(p, config.connection.cloud.authorityHost, (host) =>
        pipeline.wire.lastFailure(host),
      ),
    );
    for (const message of renderProblems(problems, context)) agent.error(message);
    const requested = config.selection.kind === 'named' ? config.selection.names.length : undefined;
    throw new RunFailure(
      `Could not read ${requested === undefined ? 'the secrets' : `${plural(requested - outcome.secrets.length, 'secret')} of ${requested}`} from vault '${config.vaultName}'; no variables were set. See the errors above.`,
    );
  }

  const now = deps.now().getTime();
  for (const secret of outcome.secrets) {
    if (secret.expiresOn && secret.expiresOn.getTime() <= now) {
      agent.warning(
        `Secret ${quote(secret.name)} in vault '${config.vaultName}' expired on ${secret.expiresOn.toISOString()}; it was set anyway because SecretsFilter names it.`,
      );
    }
  }
  // All or none: what task-lib would refuse is refused before the first variable is set.
  const refusal = publicationRefusal(agent, outcome.secrets);
  if (refusal !== undefined) {
    agent.error(refusal);
    throw new RunFailure(
      `No variables were set from vault '${config.vaultName}'. See the error above.`,
    );
  }
  publishVariables(agent, outcome.secrets);
  agent.info(
    `Set ${plural(outcome.secrets.length, 'secret variable')}${outcome.secrets.length > 0 ? `: ${outcome.secrets.map((s) => s.name).join(', ')}` : ''}.`,
  );
}
