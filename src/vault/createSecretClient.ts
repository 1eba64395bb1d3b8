import type { TokenCredential } from '@azure/core-auth';
import type { ProxySettings } from '@azure/core-rest-pipeline';
import { SecretClient } from '@azure/keyvault-secrets';
import { createRetryPolicy, RetryBudget, sleep } from '../net/retryPolicy';
import type { RetrySettings } from '../net/retryDelay';

export interface ClientSettings {
  proxy: ProxySettings | undefined;
  retry: RetrySettings;
  /** Retries shared by all requests of the run. */
  retryBudget: number;
}

export function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential,
  settings: ClientSettings,
): SecretClient {
  const retryPolicy = createRetryPolicy(settings.retry, new RetryBudget(settings.retryBudget), {
    sleep,
    random: Math.random,
    now: Date.now,
  });
  return new SecretClient(vaultUrl, credential, {
    // Our policy replaces the SDK's retries, which give up on a 429 without Retry-After.
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: retryPolicy, position: 'perCall' }],
    ...(settings.proxy ? { proxyOptions: settings.proxy } : {}),
    userAgentOptions: { userAgentPrefix: 'KeyVaultSecretsTask/1' },
  });
}
