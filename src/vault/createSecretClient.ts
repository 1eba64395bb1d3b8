import type { TokenCredential } from '@azure/core-auth';
import type { ProxySettings } from '@azure/core-rest-pipeline';
import { SecretClient } from '@azure/keyvault-secrets';
import { pipelineOptions, type HttpSettings } from '../net/pipelineOptions';

export function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  http: HttpSettings,
  proxy: ProxySettings | undefined,
): SecretClient {
  return new SecretClient(vaultUrl, credential, {
    ...pipelineOptions(http, proxy),
    userAgentOptions: { userAgentPrefix: 'KeyVaultSecretsTask/1' },
  });
}
