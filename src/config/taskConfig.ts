import type { AgentPort } from '../agent/agentPort';
import { INPUT_NAMES } from './inputNames';
import { parseCertificateOptions, type CertificateOptions } from './certificateOptions';
import { parseConnection, type AzureConnection } from './connection';
import { parseSecretsFilter, type SecretSelection } from './secretsFilter';
import type { TagCondition } from '../secrets/tags';
import { AS_IS, type NamingOptions } from '../plan/variableNames';
import { parseVaultName } from './vaultName';
import {
  CONCURRENCY,
  parseIntegerInput,
  REQUEST_TIMEOUT_SECONDS,
  TIMEOUT_SECONDS,
} from './integerInput';

/** Everything a run needs, validated before any network call. */
export interface TaskConfig {
  connection: AzureConnection;
  vaultName: string;
  /** https://<name>.<suffix> */
  vaultUrl: string;
  selection: SecretSelection;
  /** VariablePrefix and VariableNameFormat. */
  naming: NamingOptions;
  /** TagFilter: conditions every secret a pattern selects must meet. */
  tags: TagCondition[];
  /** OutputVariables: every variable is also an output variable. */
  outputVariables: boolean;
  /** ExpiredSecrets: what an exact entry whose secret expired or is not yet valid does. */
  expiredSecrets: 'warn' | 'fail';
  /** Secrets read at once. */
  concurrency: number;
  /** One request's time limit. */
  requestTimeoutMs: number;
  /** The whole run's time limit, retries included. */
  deadlineMs: number;
  /** What to do with certificate-backed secrets (CertificateFormat, CertificatePassword). */
  certificates: CertificateOptions;
}

/** Thrown when inputs are invalid: lists every problem; nothing has been changed yet. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'InputError';
  }
}

/** The job access token lives on the SystemVssConnection endpoint (agent-contract.md §2). */
function jobAccessToken(agent: AgentPort): string | undefined {
  const endpoint = agent.getEndpoint('SYSTEMVSSCONNECTION');
  const key = Object.keys(endpoint?.parameters ?? {}).find(
    (k) => k.toLowerCase() === 'accesstoken',
  );
  return key === undefined ? undefined : endpoint?.parameters[key];
}

/** Reads and validates every input and the service connection; throws {@link InputError}. */
export function readTaskConfig(agent: AgentPort): TaskConfig {
  const problems: string[] = [];
  const connectionId = agent.getInput(INPUT_NAMES.connectedServiceName);
  let connection: AzureConnection | undefined;
  if (!connectionId) {
    problems.push(
      'ConnectedServiceName (azureSubscription) is empty. Set it to an Azure Resource Manager service connection.',
    );
  } else {
    const endpoint = agent.getEndpoint(connectionId);
    if (!endpoint) {
      problems.push(
        `The service connection '${connectionId}' named by azureSubscription was not handed to this job. Check that it exists, is an Azure Resource Manager connection, and that this pipeline is authorised to use it.`,
      );
    } else {
      const parsed = parseConnection(endpoint, jobAccessToken(agent));
      if ('errors' in parsed) problems.push(...parsed.errors);
      else connection = parsed.connection;
    }
  }

  const suffix = connection?.cloud.keyVaultDnsSuffix ?? 'vault.azure.net';
  const vault = parseVaultName(agent.getInput(INPUT_NAMES.keyVaultName), suffix);
  if ('error' in vault) problems.push(vault.error);

  const filter = parseSecretsFilter(agent.getInput(INPUT_NAMES.secretsFilter));
  if ('errors' in filter) problems.push(...filter.errors);

  const numbers = {
    concurrency: parseIntegerInput(
      INPUT_NAMES.concurrency,
      agent.getInput(INPUT_NAMES.concurrency),
      CONCURRENCY,
    ),
    requestTimeout: parseIntegerInput(
      INPUT_NAMES.requestTimeoutSeconds,
      agent.getInput(INPUT_NAMES.requestTimeoutSeconds),
      REQUEST_TIMEOUT_SECONDS,
    ),
    timeout: parseIntegerInput(
      INPUT_NAMES.timeoutSeconds,
      agent.getInput(INPUT_NAMES.timeoutSeconds),
      TIMEOUT_SECONDS,
    ),
  };
  for (const parsed of Object.values(numbers)) if ('error' in parsed) problems.push(parsed.error);

  const certificates = parseCertificateOptions(
    agent.getInput(INPUT_NAMES.certificateFormat),
    agent.getInput(INPUT_NAMES.certificatePassword),
  );
  if ('errors' in certificates) problems.push(...certificates.errors);

  if (
    problems.length > 0 ||
    !connection ||
    'error' in vault ||
    'errors' in filter ||
    'error' in numbers.concurrency ||
    'error' in numbers.requestTimeout ||
    'error' in numbers.timeout ||
    'errors' in certificates
  ) {
    throw new InputError(problems);
  }
  return {
    connection,
    vaultName: vault.name,
    vaultUrl: `https://${vault.name}.${suffix}`,
    selection: filter.selection,
    naming: AS_IS,
    tags: [],
    outputVariables: false,
    expiredSecrets: 'warn',
    concurrency: numbers.concurrency.value,
    requestTimeoutMs: numbers.requestTimeout.value * 1000,
    deadlineMs: numbers.timeout.value * 1000,
    certificates: certificates.options,
  };
}
