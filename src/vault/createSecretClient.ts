import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import type { PipelineOptions } from '../net/pipelineOptions';

/**
 * The run's SecretClient. `userAgentPrefix` (see audit/userAgent.ts) goes before the SDK's own
 * User-Agent. Request ids are the SDK's: setClientRequestIdPolicy gives every operation (one get,
 * one list page) a fresh `x-ms-client-request-id`, which its authentication challenge and retries
 * keep, so Key Vault's log groups the attempts of one read (core-rest-pipeline
 * setClientRequestIdPolicy.js, pipelineRequest.js).
 */
export function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  pipeline: PipelineOptions,
  userAgentPrefix: string,
): SecretClient {
  return new SecretClient(vaultUrl, credential, {
    ...pipeline,
    userAgentOptions: { userAgentPrefix },
  });
}
