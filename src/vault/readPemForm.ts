import type { SecretClient } from '@azure/keyvault-secrets';
import { CONTENT_TYPES } from '../certificates/certificateFormat';

/**
 * Reads one version of a certificate's secret converted to PEM by Key Vault
 * (`GetSecretOptions.outContentType`, @azure/keyvault-secrets 4.11). `onValue` sees the value the
 * moment it arrives, to mask it before anything else can print it.
 */
export function pemFormReader(
  client: SecretClient,
  options: { signal: AbortSignal; onValue: (value: string) => void },
): (name: string, version: string) => Promise<string> {
  return async (name, version) => {
    const secret = await client.getSecret(name, {
      version,
      outContentType: CONTENT_TYPES.pem,
      abortSignal: options.signal,
    });
    const value = secret.value ?? '';
    options.onValue(value);
    return value;
  };
}
