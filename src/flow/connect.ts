import type { TokenCredential } from '@azure/core-auth';
import type { SecretClient } from '@azure/keyvault-secrets';
import type { AgentPort } from '../agent/agentPort';
import { readRunIdentity } from '../audit/runIdentity';
import { runMarker, userAgentPrefix } from '../audit/userAgent';
import { createCredential } from '../auth/createCredential';
import { observedCredential } from '../auth/observedCredential';
import type { TokenIdentity } from '../auth/tokenClaims';
import { InputError, type TaskConfig } from '../config/taskConfig';
import { createPipeline, type RunPipeline } from '../net/pipelineOptions';
import { ignoredProxyVariablesNote, proxyVariablesIn } from '../net/proxyEnvironment';
import { DEFAULT_RETRY } from '../net/retryDelay';
import { RetryBudget } from '../net/retryPolicy';
import type { ReportContext } from '../report/problemReport';
import { quote } from '../report/safeText';
import { credentialSetupProblem, describeSignIn } from '../report/signInMessages';
import { createSecretClient } from '../vault/createSecretClient';
import { runDeadline, type RunDeadline } from '../vault/runDeadline';
import { plural } from './runFailure';

/** Failure retries a whole run may spend: enough for a few flaky answers, few enough that a
 * dying vault fails in seconds. */
const RETRY_BUDGET = 20;

/** What the rest of a run reads the vault through, and what it reports about the sign-in. */
export interface VaultSession {
  client: SecretClient;
  pipeline: RunPipeline;
  deadline: RunDeadline;
  /** The run marker the User-Agent carries (Key Vault's logs record it), when the agent says
   * which run this is. */
  marker: string | undefined;
  taskVersion: string;
  /** Who signed in, once a token was issued. */
  signedIn(): TokenIdentity | undefined;
}

export interface ConnectOptions {
  taskVersion: string;
  /** Ends the run early (the job was cancelled). */
  signal: AbortSignal | undefined;
  env: Record<string, string | undefined>;
  /** Registers a value with the agent's masker, line by line. */
  mask: (value: string) => void;
}

/**
 * Builds the run's HTTP pipeline, credential and vault client, and says what the run will read.
 * No request is sent yet. A credential that refuses its settings is an input problem.
 */
export async function connectToVault(
  agent: AgentPort,
  config: TaskConfig,
  context: ReportContext,
  options: ConnectOptions,
): Promise<VaultSession> {
  // Started before any client exists: every request of the run, token requests and follow-up
  // pages included, obeys it.
  const deadline = runDeadline(config.deadlineMs, options.signal);
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
      mask: options.mask,
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
  const proxyVariables = proxyVariablesIn(options.env);
  if (proxyVariables.length > 0) {
    agent.info(ignoredProxyVariablesNote(proxyVariables, !!agent.getVariable('Agent.ProxyUrl')));
  }
  let signedIn: TokenIdentity | undefined;
  const observed = observedCredential(credential, {
    mask: options.mask,
    signedIn: (who) => {
      signedIn = who;
      // Commands in later messages name the object id: the agent masks the client id.
      context.objectId = who.objectId;
      agent.info(
        `Signed in as ${describeSignIn(context, who)}. Role assignments and access policies must name object id ${who.objectId ?? '(not in token)'}.`,
      );
    },
  });
  const marker = runMarker(readRunIdentity((name) => agent.getVariable(name)));
  const client = createSecretClient(
    config.vaultUrl,
    observed,
    pipeline.options,
    userAgentPrefix(options.taskVersion, marker),
  );
  return {
    client,
    pipeline,
    deadline,
    marker,
    taskVersion: options.taskVersion,
    signedIn: () => signedIn,
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
