import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import type { PipelineOptions } from '../net/pipelineOptions';
import { vaultAnswerPolicy } from '../net/vaultAnswerPolicy';
import { vaultOriginPolicy } from '../net/vaultOriginPolicy';
import { pagingPolicy } from './pagingPolicy';

/**
 * The vault client: the run's shared pipeline plus the vault's own boundary. Its requests go to
 * the vault's origin only, its answers are checked before the SDK reads them, and its listings
 * follow only links that stay on the vault and never repeat.
 */
export function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  pipeline: PipelineOptions,
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
    userAgentOptions: { userAgentPrefix: 'KeyVaultSecretsTask/1' },
  });
}
