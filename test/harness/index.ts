/**
 * The agent-faithful runner: start a bundled task as the Azure Pipelines agent does, read its
 * output as the agent does, and hunt for leaked secrets. See docs/agent-interface.md §10.
 *
 * @example
 * const run = await runAgentTask({
 *   target: 'tasks/KeyVaultSecrets/dist/main.js', // task.json is read from tasks/KeyVaultSecrets/
 *   inputs: { ConnectedServiceName: endpoint.id, KeyVaultName: 'contoso-kv', SecretsFilter: '*' },
 *   endpoints: [endpoint],
 *   variables: { 'System.OidcRequestUri': oidcUrl },
 *   proxy: { url: proxyUrl },
 *   caFile,
 * });
 * assert.equal(run.result, 'Succeeded');
 * assert.deepEqual(findLeaks(run, fetchedSecretValues), []);
 */
export { runAgentTask, cleanup, laterStageOf } from './runTask';
export type { HarnessRun } from './runTask';
export { findLeaks, valuesInBrokenBodies } from './leakHunt';
export type { LeakHuntOptions, LeakPlace } from './leakHunt';
export {
  buildAgentEnv,
  formatEnvName,
  AGENT_VERSION,
  DEFAULT_COLLECTION_URI,
  DEFAULT_RUN,
} from './agentEnv';
export { parseCommandLine, getProperty, splitLines, unescapeCommandValue } from './commandParser';
export type { ParsedCommand } from './commandParser';
export { SecretMasker, jsonStringEscape, uriDataEscape, backslashEscape } from './masker';
export { AgentCommandProcessor } from './commandProcessor';
export { mergeTaskResults, parseTaskResult } from './taskResult';
export { AgentStrings } from './agentStrings';
export type * from './types';
