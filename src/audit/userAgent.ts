import type { RunIdentity } from './runIdentity';

/** The product token this task puts first in the User-Agent. */
export const USER_AGENT_PRODUCT = 'KeyVaultSecretsTask';

/**
 * The run marker: a User-Agent comment naming the run, e.g.
 * `(org=6c6f…; project=6ce9…; definition=12; build=345; attempt=1)`. Key Vault records the
 * User-Agent of every request in its audit log (`clientInfo`), so searching that column for the
 * marker, parentheses included, lists exactly this run's requests (`attempt=1)` does not match
 * `attempt=12)`; docs/azure-protocols.md §7). Undefined when the agent set none of the ids.
 */
export function runMarker(run: RunIdentity): string | undefined {
  const fields = [
    ['org', run.collectionId],
    ['project', run.projectId],
    ['definition', run.definitionId],
    [run.run?.kind ?? 'build', run.run?.id],
    ['attempt', run.jobAttempt],
  ].filter((field): field is [string, string] => field[1] !== undefined);
  if (fields.length === 0) return undefined;
  return `(${fields.map(([key, value]) => `${key}=${value}`).join('; ')})`;
}

/** A task version as a User-Agent product version: MAJOR.MINOR.PATCH, or "unknown". */
function productVersion(version: string): string {
  return /^\d{1,9}\.\d{1,9}\.\d{1,9}$/.test(version) ? version : 'unknown';
}

/**
 * The `userAgentOptions.userAgentPrefix` handed to the SecretClient. The SDK keeps its own part
 * after it, so a request from Node 20 reads `<prefix> azsdk-js-keyvault-secrets/4.11.2
 * azsdk-js-client azsdk-js-api azsdk-js-keyvault-secrets/4.11.2 core-rest-pipeline/1.24.0
 * Node/20.20.2 (Linux <release>; x64)`: SecretClient, its KeyVaultClient and the generated
 * context each add their tokens, then core-rest-pipeline's userAgentPolicy the runtime's
 * (node_modules/@azure/keyvault-secrets/dist/commonjs/index.js, keyVaultClient.js,
 * api/keyVaultContext.js; @azure/core-rest-pipeline util/userAgent.js, userAgentPlatform.js).
 */
export function userAgentPrefix(taskVersion: string, marker: string | undefined): string {
  const product = `${USER_AGENT_PRODUCT}/${productVersion(taskVersion)}`;
  return marker === undefined ? product : `${product} ${marker}`;
}
