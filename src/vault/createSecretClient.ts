import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import type { PipelineOptions } from '../net/pipelineOptions';

export function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  pipeline: PipelineOptions,
): SecretClient {
  return new SecretClient(vaultUrl, credential, {
    ...pipeline,
    userAgentOptions: { userAgentPrefix: 'KeyVaultSecretsTask/1' },
  });
}
