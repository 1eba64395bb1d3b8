/**
 * The environment the agent starts a Node task with (docs/agent-interface.md §1, §2): a clean base,
 * then the overlay in the agent's order (variables, inputs, endpoints), then `TF_BUILD`, the test
 * CA, and the step's `env:` extras.
 *
 * Also derives what the agent knows at job start and the runner needs: the job variables (for
 * `$(macro)` expansion and runtime knobs) and the job-level secrets the agent masks from the
 * first line (`Worker.InitializeSecretMasker`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ordinalUpper } from './dotnetSemantics';
import type { AgentRunOptions, ServiceConnection } from './types';

export const AGENT_VERSION = '4.266.2';
export const DEFAULT_COLLECTION_URI = 'https://dev.azure.com/contoso/';
/** The ids a build job's predefined variables carry (learn.microsoft.com, "Use predefined
 *  variables"): organization (collection), project, pipeline definition, run, job attempt. */
export const DEFAULT_RUN = {
  collectionId: 'a6c1f3d2-1c84-4625-995a-f7f143a1e43d',
  projectId: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
  definitionId: '12',
  buildId: '345',
  jobAttempt: '1',
} as const;

/**
 * Parent variables a bare agent host would also have. Everything else (AZURE_*, IDENTITY_*, MSI_*,
 * proxies, NODE_OPTIONS, …) is left out so the developer's machine cannot leak into a run.
 */
const BASE_ENV_NAMES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  // Windows essentials, absent on Linux.
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
];

/**
 * Endpoint authorization parameters the agent does not mask (`MaskingUtil`); all others are.
 */
const UNMASKED_AUTH_PARAMETERS = new Set(
  [
    'idToken',
    'role',
    'scope',
    'tenantid',
    'issuedAt',
    'expiresAt',
    'audience',
    'authenticationType',
    'AuthorizationType',
    'accessTokenType',
    'accessTokenFetchingMethod',
    'usewindowssecurity',
    'unsecured',
    'oAuthAccessTokenIsSupplied',
    'completeCallbackPayload',
    'acceptUntrustedCerts',
  ].map((key) => key.toUpperCase()),
);

export interface AgentDirectories {
  /** AGENT_TEMPDIRECTORY (must be writable: task-lib writes `.taskkey` there). */
  tempDir: string;
  /** AGENT_WORKFOLDER. */
  workFolder: string;
  /** SYSTEM_DEFAULTWORKINGDIRECTORY. */
  defaultWorkingDirectory: string;
}

export interface AgentEnvOptions extends AgentRunOptions {
  dirs: AgentDirectories;
  /** SYSTEMVSSCONNECTION token (required here; the runner draws a random one). */
  accessToken: string;
  /** The agent host's environment the clean base is taken from (default `process.env`). */
  parentEnv?: NodeJS.ProcessEnv;
}

export interface JobVariable {
  name: string;
  value: string;
  secret: boolean;
}

export interface AgentEnvironment {
  env: Record<string, string>;
  /** Every job variable, public and secret, by real name. */
  variables: JobVariable[];
  /** Values the agent registers with its masker before the task starts. */
  jobSecrets: string[];
  /** The task.json that was read (undefined when none exists). */
  taskJsonPath: string | undefined;
}

interface TaskJsonInput {
  name: string;
  type: string;
  defaultValue?: unknown;
  aliases?: string[];
}

/** `VarUtil.ConvertToEnvVariableFormat`: `.` and space become `_`, then upper case. */
export function formatEnvName(name: string): string {
  return ordinalUpper(name.replace(/[. ]/g, '_'));
}

/** Reads the `inputs` a task.json declares. */
export function readTaskInputs(taskJsonPath: string): TaskJsonInput[] {
  const json = JSON.parse(fs.readFileSync(taskJsonPath, 'utf8')) as { inputs?: TaskJsonInput[] };
  return json.inputs ?? [];
}

/** `$(name)` macros replaced by variable values (case-insensitive); unknown macros stay. */
export function expandMacros(value: string, variables: readonly JobVariable[]): string {
  return value.replace(/\$\(([^)]+)\)/g, (macro, name: string) => {
    const upper = ordinalUpper(name);
    const found = variables.find((variable) => ordinalUpper(variable.name) === upper);
    return found ? found.value : macro;
  });
}

/** task.json defaults are usually strings, sometimes booleans or numbers (`false`, `0`). */
function formatDefaultValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** .NET `Uri.ToString()` adds the root slash to a bare authority; `URL#href` does the same. */
function formatEndpointUrl(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function userSuppliedSecretForms(secret: string): string[] {
  // Worker.AddUserSuppliedSecret: the value, quote-trimmed if quoted, and CR/LF/space-trimmed.
  const forms = [secret];
  for (const quote of ["'", '"']) {
    if (secret.startsWith(quote) && secret.endsWith(quote)) {
      forms.push(secret.replace(new RegExp(`^${quote}+|${quote}+$`, 'g'), ''));
    }
  }
  forms.push(secret.replace(/^[\r\n ]+|[\r\n ]+$/g, ''));
  return forms;
}

/** Worker.InitializeSecretMasker for one secret job variable. */
function jobSecretVariableForms(value: string): string[] {
  if (!value.trim()) return [];
  const escaped = value.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapedNewlines = value.replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [value, escaped, escapedNewlines, base64].flatMap(userSuppliedSecretForms);
}

function defaultVariables(options: AgentEnvOptions): JobVariable[] {
  const { dirs } = options;
  const publicVar = (name: string, value: string): JobVariable => ({ name, value, secret: false });
  const vars: JobVariable[] = [
    publicVar('System.CollectionUri', DEFAULT_COLLECTION_URI),
    publicVar('System.TeamFoundationCollectionUri', DEFAULT_COLLECTION_URI),
    publicVar('System.CollectionId', DEFAULT_RUN.collectionId),
    publicVar('System.TeamProjectId', DEFAULT_RUN.projectId),
    publicVar('System.DefinitionId', DEFAULT_RUN.definitionId),
    publicVar('Build.BuildId', DEFAULT_RUN.buildId),
    publicVar('System.JobAttempt', DEFAULT_RUN.jobAttempt),
    publicVar('System.TeamProject', 'Contoso'),
    publicVar('System.PlanId', '4f8a7b1e-5b2c-4d3e-9f10-2a3b4c5d6e7f'),
    publicVar('System.JobId', '12f1170f-54f2-53f3-20dd-22fc7dff55f9'),
    publicVar('System.HostType', 'build'),
    publicVar('System.DefaultWorkingDirectory', dirs.defaultWorkingDirectory),
    publicVar('Agent.TempDirectory', dirs.tempDir),
    publicVar('Agent.WorkFolder', dirs.workFolder),
    publicVar('Agent.Version', AGENT_VERSION),
    publicVar('Agent.OS', 'Linux'),
  ];
  if (options.proxy) {
    vars.push(publicVar('Agent.ProxyUrl', options.proxy.url));
    if (options.proxy.username !== undefined)
      vars.push(publicVar('Agent.ProxyUsername', options.proxy.username));
    if (options.proxy.password !== undefined) {
      vars.push({ name: 'Agent.ProxyPassword', value: options.proxy.password, secret: true });
    }
    vars.push(publicVar('Agent.ProxyBypassList', JSON.stringify(options.proxy.bypass ?? [])));
  }
  return vars;
}

/** Defaults, then the caller's variables and secret variables; a later name replaces an earlier one. */
function mergeVariables(options: AgentEnvOptions): JobVariable[] {
  const merged = new Map<string, JobVariable>();
  const put = (variable: JobVariable): void => {
    const key = ordinalUpper(variable.name);
    merged.delete(key);
    merged.set(key, variable);
  };
  defaultVariables(options).forEach(put);
  for (const [name, value] of Object.entries(options.variables ?? {}))
    put({ name, value, secret: false });
  for (const [name, value] of Object.entries(options.secretVariables ?? {}))
    put({ name, value, secret: true });
  return [...merged.values()];
}

function resolveInputs(
  options: AgentEnvOptions,
  variables: readonly JobVariable[],
): { inputs: Map<string, string>; declared: TaskJsonInput[]; taskJsonPath: string | undefined } {
  const taskJsonPath =
    options.taskJsonPath ?? path.join(path.dirname(options.target), '..', 'task.json');
  if (!fs.existsSync(taskJsonPath)) {
    // No task.json (a bare fixture script): hand over the given inputs as they are.
    const inputs = new Map<string, string>();
    for (const [name, value] of Object.entries(options.inputs))
      inputs.set(name, expandMacros(value, variables).trim());
    return { inputs, declared: [], taskJsonPath: undefined };
  }

  const declared = readTaskInputs(taskJsonPath);
  const inputs = new Map<string, string>();
  for (const input of declared) {
    const defaultValue = formatDefaultValue(input.defaultValue);
    inputs.set(input.name, defaultValue);
  }
  for (const [given, value] of Object.entries(options.inputs)) {
    const upper = ordinalUpper(given);
    // YAML may use an alias; the server hands the task its canonical name.
    const input = declared.find(
      (candidate) =>
        ordinalUpper(candidate.name) === upper ||
        (candidate.aliases ?? []).some((alias) => ordinalUpper(alias) === upper),
    );
    if (!input) {
      throw new Error(
        `Input '${given}' is not declared in ${taskJsonPath}. Expected one of: ${declared.map((i) => i.name).join(', ')}`,
      );
    }
    inputs.set(input.name, value);
  }
  for (const [name, value] of inputs) inputs.set(name, expandMacros(value, variables).trim());
  return { inputs, declared, taskJsonPath };
}

function endpointEnv(
  key: string,
  endpoint: ServiceConnection,
  withData: boolean,
): Record<string, string> {
  const env: Record<string, string> = {};
  env[`ENDPOINT_URL_${key}`] = formatEndpointUrl(endpoint.url);
  env[`ENDPOINT_AUTH_${key}`] = JSON.stringify({
    parameters: endpoint.parameters,
    scheme: endpoint.scheme,
  });
  env[`ENDPOINT_AUTH_SCHEME_${key}`] = endpoint.scheme;
  for (const [name, value] of Object.entries(endpoint.parameters)) {
    env[`ENDPOINT_AUTH_PARAMETER_${key}_${formatEnvName(name)}`] = value;
  }
  if (withData) {
    const data = endpoint.data ?? {};
    env[`ENDPOINT_DATA_${key}`] = JSON.stringify(data);
    for (const [name, value] of Object.entries(data))
      env[`ENDPOINT_DATA_${key}_${formatEnvName(name)}`] = value;
  }
  return env;
}

/**
 * Builds the task process environment per docs/agent-interface.md §2.
 *
 * Endpoints are handed over only when a `connectedService:*` input references them (by id,
 * comma-separated), plus always SYSTEMVSSCONNECTION, as the agent does. Inputs not declared in
 * task.json (by name or alias) are refused.
 */
export function buildAgentEnv(options: AgentEnvOptions): AgentEnvironment {
  const parentEnv = options.parentEnv ?? process.env;
  const env: Record<string, string> = {};
  for (const name of BASE_ENV_NAMES) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }

  const variables = mergeVariables(options);
  const jobSecrets: string[] = [];

  // 1. Variables: public ones by formatted name, secret ones only as SECRET_<NAME>.
  const publicNames: string[] = [];
  const secretNames: string[] = [];
  for (const variable of variables) {
    if (variable.secret) {
      env[`SECRET_${formatEnvName(variable.name)}`] = variable.value;
      secretNames.push(variable.name);
      jobSecrets.push(...jobSecretVariableForms(variable.value));
    } else {
      env[formatEnvName(variable.name)] = variable.value;
      publicNames.push(variable.name);
    }
  }
  env['VSTS_PUBLIC_VARIABLES'] = JSON.stringify(publicNames);
  env['VSTS_SECRET_VARIABLES'] = JSON.stringify(secretNames);

  // 2. Inputs.
  const { inputs, declared, taskJsonPath } = resolveInputs(options, variables);
  for (const [name, value] of inputs) env[`INPUT_${formatEnvName(name)}`] = value;

  // 3. Endpoints referenced by connectedService inputs, then SystemVssConnection.
  const referenced = new Set<string>();
  for (const input of declared) {
    if (!/^connectedService:/i.test(input.type)) continue;
    for (const id of (inputs.get(input.name) ?? '').split(',')) {
      if (id.trim()) referenced.add(id.trim().toLowerCase());
    }
  }
  for (const endpoint of options.endpoints ?? []) {
    const id = endpoint.id.toLowerCase();
    if (!referenced.has(id)) continue;
    Object.assign(env, endpointEnv(id, endpoint, GUID.test(id)));
    for (const [name, value] of Object.entries(endpoint.parameters)) {
      if (value && !UNMASKED_AUTH_PARAMETERS.has(name.toUpperCase())) jobSecrets.push(value);
    }
  }
  const collectionUri =
    variables.find((variable) => ordinalUpper(variable.name) === 'SYSTEM.COLLECTIONURI')?.value ??
    DEFAULT_COLLECTION_URI;
  Object.assign(
    env,
    endpointEnv(
      'SYSTEMVSSCONNECTION',
      {
        id: 'SystemVssConnection',
        url: collectionUri,
        scheme: 'OAuth',
        parameters: { AccessToken: options.accessToken },
      },
      false,
    ),
  );
  jobSecrets.push(options.accessToken);

  // 4. Task variables this instance's earlier stages set (Handler.AddTaskVariablesToEnvironment):
  //    VSTS_TASKVARIABLE_<NAME>, secret or not; secret ones are masked like any secret.
  for (const [name, variable] of Object.entries(options.taskVariables ?? {})) {
    const { value, secret } =
      typeof variable === 'string' ? { value: variable, secret: false } : variable;
    env[`VSTS_TASKVARIABLE_${formatEnvName(name)}`] = value;
    if (secret) jobSecrets.push(value);
  }

  // 5. Agent process extras, then the step's env:.
  env['TF_BUILD'] = 'True';
  if (options.caFile) env['NODE_EXTRA_CA_CERTS'] = options.caFile;
  Object.assign(env, options.env ?? {});

  return {
    env,
    variables,
    jobSecrets: [...new Set(jobSecrets.filter((secret) => secret.length > 0))],
    taskJsonPath,
  };
}
