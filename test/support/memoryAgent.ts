import type { AgentPort, EndpointRecord, ProxyForUrl } from '../../src/agent/agentPort';

/** What the in-memory agent saw, in order: the middle test layer asserts on this state. */
export type AgentEvent =
  | { kind: 'secret'; value: string }
  | { kind: 'variable'; name: string; value: string; secret: boolean }
  | { kind: 'output'; name: string; value: string; secret: boolean }
  | { kind: 'summary'; path: string }
  | { kind: 'taskVariable'; name: string; value: string }
  | { kind: 'info' | 'debug' | 'warning' | 'error'; message: string };

export interface MemoryAgent extends AgentPort {
  events: AgentEvent[];
  variables: Map<string, { value: string; secret: boolean }>;
  /** Output variables, by name as set (the agent would store them as `<step>.<name>`). */
  outputs: Map<string, { value: string; secret: boolean }>;
  taskVariables: Map<string, string>;
  masked: Set<string>;
  /** Files written with writeSummaryFile, by path. */
  files: Map<string, string>;
  /** The Markdown of each uploaded summary, in order (what the agent would attach). */
  summaries: string[];
}

export interface MemoryAgentSetup {
  inputs?: Record<string, string>;
  endpoints?: EndpointRecord[];
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  proxy?: ProxyForUrl;
}

/** An agent with state, standing in for task-lib in tests of run() (style point 2). */
export function memoryAgent(setup: MemoryAgentSetup = {}): MemoryAgent {
  const events: AgentEvent[] = [];
  const variables = new Map<string, { value: string; secret: boolean }>();
  for (const [name, value] of Object.entries(setup.variables ?? {}))
    variables.set(name.toUpperCase(), { value, secret: false });
  for (const [name, value] of Object.entries(setup.secretVariables ?? {}))
    variables.set(name.toUpperCase(), { value, secret: true });
  // The process environment as task-lib sees it: public variables only.
  const env = new Map<string, string>();
  for (const [name, value] of Object.entries(setup.variables ?? {}))
    env.set(name.toUpperCase(), value);
  const outputs = new Map<string, { value: string; secret: boolean }>();
  const masked = new Set<string>();
  const files = new Map<string, string>();
  const summaries: string[] = [];
  const taskVariables = new Map<string, string>();
  const inputs = new Map(
    Object.entries(setup.inputs ?? {}).map(([k, v]) => [k.toLowerCase(), v.trim()]),
  );
  return {
    events,
    variables,
    outputs,
    taskVariables,
    masked,
    files,
    summaries,
    getInput: (name) => inputs.get(name.toLowerCase()) || undefined,
    getEndpoint: (id) => setup.endpoints?.find((e) => e.id.toLowerCase() === id.toLowerCase()),
    getVariable: (name) => variables.get(name.toUpperCase())?.value,
    getVariableInfo: (name) => variables.get(name.toUpperCase()),
    getProxyFor: () => setup.proxy,
    getAgentCaCertificates: () => undefined,
    setSecret(value) {
      if (/[\r\n]/.test(value)) throw new Error('Secrets cannot contain multiple lines');
      masked.add(value);
      events.push({ kind: 'secret', value });
    },
    setVariable(name, value, secret, output = false) {
      const key = name.toUpperCase();
      const wasSecret = variables.get(key)?.secret ?? false;
      // task-lib reads the guard from the environment, where a secret variable never is.
      const lifted = `${env.get('SYSTEM_UNSAFEALLOWMULTILINESECRET')}`.toUpperCase() === 'TRUE';
      if (secret && /[\r\n]/.test(value) && !lifted) {
        throw new Error('Secrets cannot contain multiple lines');
      }
      if (output) {
        outputs.set(name, { value, secret });
        events.push({ kind: 'output', name, value, secret });
        return;
      }
      variables.set(key, { value, secret: secret || wasSecret });
      // task-lib: once a secret, always a secret; a secret never reaches the environment.
      if (secret || wasSecret) env.delete(key);
      else env.set(key, value);
      events.push({ kind: 'variable', name, value, secret: secret || wasSecret });
    },
    writeSummaryFile(fileName, markdown) {
      const file = `/memory/_temp/keyvault-secrets-${files.size + 1}/${fileName}`;
      files.set(file, markdown);
      return file;
    },
    uploadSummary(filePath) {
      // The agent refuses a summary whose file does not exist (TaskAddAttachmentCommand).
      const markdown = files.get(filePath);
      if (markdown === undefined) throw new Error(`No summary file at ${filePath}`);
      summaries.push(markdown);
      events.push({ kind: 'summary', path: filePath });
    },
    setTaskVariable(name, value) {
      taskVariables.set(name.toUpperCase(), value);
      events.push({ kind: 'taskVariable', name, value });
    },
    info: (message) => events.push({ kind: 'info', message }),
    debug: (message) => events.push({ kind: 'debug', message }),
    warning: (message) => events.push({ kind: 'warning', message }),
    error: (message) => events.push({ kind: 'error', message }),
  };
}
