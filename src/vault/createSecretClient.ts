import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import type { PipelineOptions } from '../net/pipelineOptions';
import { vaultAnswerPolicy } from '../net/vaultAnswerPolicy';
import { vaultOriginPolicy } from '../net/vaultOriginPolicy';
import { pagingPolicy } from './pagingPolicy';

/**
 * The vault client: the run's shared pipeline plus the vault's own boundary. Its requests go to
 * the vault's origin only, its answers are checked before the SDK reads them, and its listings
 * follow only links that stay on the vault and never repeat. `userAgentPrefix` (audit/userAgent.ts)
 * goes before the SDK's own User-Agent. Request ids are the SDK's: setClientRequestIdPolicy gives
 * every operation (one get, one list page) a fresh `x-ms-client-request-id`, which its
 * authentication challenge and retries keep, so Key Vault's log groups the attempts of one read
 * (core-rest-pipeline setClientRequestIdPolicy.js, pipelineRequest.js).
 */
export function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  pipeline: PipelineOptions,
  userAgentPrefix: string,
): SecretClient {
  return new SecretClient(vaultUrl, credential, {
    ...pipeline,
    additionalPolicies: [
      ...pipeline.additionalPolicies,
      // perRetry policies run in the order given on the way out, the reverse on the way back:
      // the origin check is the last thing before the wire, the answer check the first after it.
      { policy: pagingPolicy(vaultUrl), position: 'perRetry' },
      { policy: vaultAnswerPolicy, position: 'perRetry' },
      { policy: vaultOriginPolicy(vaultUrl), position: 'perRetry' },
    ],
    userAgentOptions: { userAgentPrefix },
  });
}
