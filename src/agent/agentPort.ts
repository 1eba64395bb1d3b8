/**
 * Everything the task does to or asks of the Azure Pipelines agent goes through this port, so the
 * core never imports task-lib and tests can run it against an in-memory agent.
 */

/** A service connection as the agent hands it over (docs/agent-interface.md §2). */
export interface EndpointRecord {
  id: string;
  url: string | undefined;
  /** Authorization scheme as given, e.g. "ServicePrincipal"; compared case-insensitively later. */
  scheme: string | undefined;
  /** Authorization parameters; keys as the agent gives them (look-ups ignore case). */
  parameters: Record<string, string>;
  /** Endpoint data (environment, authority, Key Vault DNS suffix, msiclientId, …). */
  data: Record<string, string>;
}

/** The agent's proxy for one request URL; undefined when no proxy applies (or it is bypassed). */
export interface ProxyForUrl {
  proxyUrl: string;
  username: string | undefined;
  password: string | undefined;
}

export interface AgentPort {
  /** A task input, trimmed; undefined when empty or absent. */
  getInput(name: string): string | undefined;
  /** The service connection with this id, or undefined when the agent handed none. */
  getEndpoint(id: string): EndpointRecord | undefined;
  /** A pipeline variable (public or secret), or undefined. */
  getVariable(name: string): string | undefined;
  /** A pipeline variable with its secrecy: a secret variable is not in the process environment,
   * which is where task-lib's own checks read variables. */
  getVariableInfo(name: string): { value: string; secret: boolean } | undefined;
  /** The agent proxy to use for `url`, honouring the bypass list. */
  getProxyFor(url: string): ProxyForUrl | undefined;
  /** PEM of the extra CA the agent is configured to trust (Agent.CAInfo), or undefined. */
  getAgentCaCertificates(): string | undefined;
  /** Registers a single-line value with the agent's masker. */
  setSecret(value: string): void;
  /**
   * Sets a pipeline variable for later steps. With `output`, sets it as an output variable
   * instead, which the agent stores as `<step>.<name>` for later jobs and stages to map.
   */
  setVariable(name: string, value: string, secret: boolean, output?: boolean): void;
  /**
   * Writes a run summary (Markdown) under Agent.TempDirectory, in a folder of its own so two
   * steps of a job never share a file, and returns its path. The agent empties that directory
   * after the job; the summary holds nothing secret, so nothing is lost if it stays.
   */
  writeSummaryFile(fileName: string, markdown: string): string;
  /**
   * Attaches a Markdown file to the run (`task.uploadsummary`): the agent shows it on the run's
   * Extensions tab under the file's name. The agent uploads it after the step: keep the file.
   */
  uploadSummary(filePath: string): void;
  /**
   * Sets a task variable: seen only by this task instance's other stages (the post-job stage
   * reads it to know what to remove), never by other steps.
   */
  setTaskVariable(name: string, value: string): void;
  info(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
  /** Logs an error issue; does not by itself fail the step. */
  error(message: string): void;
}
