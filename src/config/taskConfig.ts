import type { AgentPort } from '../agent/agentPort';
import { INPUT_NAMES } from './inputNames';
import { parseCertificateOptions, type CertificateOptions } from './certificateOptions';
import { parseConnection, type AzureConnection } from './connection';
import { parseSecretsFilter, VARIABLE_NAME, type SecretSelection } from './secretsFilter';
import type { TagCondition } from '../secrets/tags';
import { exactNameErrors } from '../plan/nameClashes';
import { reservedPrefixOf, type NamingOptions } from '../plan/variableNames';
import { quote } from '../report/safeText';
import { parseBooleanInput, parseChoiceInput } from './choiceInput';
import { parseTagFilter } from './tagFilter';
import { parseVaultName } from './vaultName';
import {
  CONCURRENCY,
  EXPIRY_WARNING_DAYS,
  type IntegerRange,
  ROTATION_WARNING_DAYS,
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
  /** ExpiryWarningDays and RotationWarningDays; 0 turns a window off. */
  warningDays: { expiry: number; rotation: number };
  /** DryRun: list and read properties only, print the plan, read no value, set nothing. */
  dryRun: boolean;
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

/** The job access token lives on the SystemVssConnection endpoint (docs/agent-interface.md §2). */
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
  problems.push(...filter.errors);
  const selection = readSelectionInputs(agent);
  problems.push(...selection.problems);
  if (selection.naming) problems.push(...exactNameErrors(filter.selection, selection.naming));

  const integer = (name: string, range: IntegerRange): ReturnType<typeof parseIntegerInput> =>
    parseIntegerInput(name, agent.getInput(name), range);
  const numbers = {
    concurrency: integer(INPUT_NAMES.concurrency, CONCURRENCY),
    requestTimeout: integer(INPUT_NAMES.requestTimeoutSeconds, REQUEST_TIMEOUT_SECONDS),
    timeout: integer(INPUT_NAMES.timeoutSeconds, TIMEOUT_SECONDS),
    expiryWarningDays: integer(INPUT_NAMES.expiryWarningDays, EXPIRY_WARNING_DAYS),
    rotationWarningDays: integer(INPUT_NAMES.rotationWarningDays, ROTATION_WARNING_DAYS),
  };
  for (const parsed of Object.values(numbers)) if ('error' in parsed) problems.push(parsed.error);
  const dryRun = parseBooleanInput(INPUT_NAMES.dryRun, agent.getInput(INPUT_NAMES.dryRun));
  if ('error' in dryRun) problems.push(dryRun.error);

  const certificates = parseCertificateOptions(
    agent.getInput(INPUT_NAMES.certificateFormat),
    agent.getInput(INPUT_NAMES.certificatePassword),
  );
  if ('errors' in certificates) problems.push(...certificates.errors);

  if (
    problems.length > 0 ||
    !connection ||
    'error' in vault ||
    filter.errors.length > 0 ||
    !selection.naming ||
    'error' in numbers.concurrency ||
    'error' in numbers.requestTimeout ||
    'error' in numbers.timeout ||
    'error' in numbers.expiryWarningDays ||
    'error' in numbers.rotationWarningDays ||
    'error' in dryRun ||
    'errors' in certificates
  ) {
    throw new InputError(problems);
  }
  return {
    connection,
    vaultName: vault.name,
    vaultUrl: `https://${vault.name}.${suffix}`,
    selection: filter.selection,
    naming: selection.naming,
    tags: selection.tags,
    outputVariables: selection.outputVariables,
    expiredSecrets: selection.expiredSecrets,
    concurrency: numbers.concurrency.value,
    requestTimeoutMs: numbers.requestTimeout.value * 1000,
    deadlineMs: numbers.timeout.value * 1000,
    warningDays: {
      expiry: numbers.expiryWarningDays.value,
      rotation: numbers.rotationWarningDays.value,
    },
    dryRun: dryRun.value,
    certificates: certificates.options,
  };
}

/** The "Selection and naming" inputs beside SecretsFilter; `naming` is undefined when invalid. */
function readSelectionInputs(agent: AgentPort): {
  naming: NamingOptions | undefined;
  tags: TaskConfig['tags'];
  outputVariables: boolean;
  expiredSecrets: TaskConfig['expiredSecrets'];
  problems: string[];
} {
  const problems: string[] = [];
  const prefix = agent.getInput(INPUT_NAMES.variablePrefix) ?? '';
  let prefixValid = true;
  if (prefix !== '' && !VARIABLE_NAME.test(prefix)) {
    prefixValid = false;
    problems.push(
      `VariablePrefix ${quote(prefix)} is not valid: use letters, digits, '_', '.' and '-', starting with a letter, digit or '_', e.g. 'KV_'.`,
    );
  } else if (prefix !== '' && reservedPrefixOf(`${prefix}x`) !== undefined) {
    prefixValid = false;
    const reserved = reservedPrefixOf(`${prefix}x`) ?? '';
    problems.push(
      `VariablePrefix ${quote(prefix)} starts every name with '${reserved}', which belongs to the agent ('${reserved}.' and '${reserved}_' names). Choose another prefix, e.g. 'KV_'.`,
    );
  }
  const format = parseChoiceInput(
    INPUT_NAMES.variableNameFormat,
    agent.getInput(INPUT_NAMES.variableNameFormat),
    ['asIs', 'upperSnake'] as const,
    'asIs',
  );
  const tags = parseTagFilter(agent.getInput(INPUT_NAMES.tagFilter));
  const output = parseBooleanInput(
    INPUT_NAMES.outputVariables,
    agent.getInput(INPUT_NAMES.outputVariables),
  );
  const expired = parseChoiceInput(
    INPUT_NAMES.expiredSecrets,
    agent.getInput(INPUT_NAMES.expiredSecrets),
    ['warn', 'fail'] as const,
    'warn',
  );
  if ('error' in format) problems.push(format.error);
  if ('errors' in tags) problems.push(...tags.errors);
  if ('error' in output) problems.push(output.error);
  if ('error' in expired) problems.push(expired.error);
  return {
    naming: prefixValid && !('error' in format) ? { prefix, format: format.value } : undefined,
    tags: 'tags' in tags ? tags.tags : [],
    outputVariables: 'value' in output ? output.value : false,
    expiredSecrets: 'value' in expired ? expired.value : 'warn',
    problems,
  };
}
