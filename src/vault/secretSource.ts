import type { SecretClient } from '@azure/keyvault-secrets';
import type { SecretAttributes } from './secretSelection';

export interface SecretValue {
  value: string;
  expiresOn: Date | undefined;
}

/** The two reads the task makes of a vault; the fetch logic depends on nothing else. */
export interface SecretSource {
  get(name: string, abortSignal: AbortSignal): Promise<SecretValue>;
  /** Pages of secret attributes, as the vault returns them (values are never listed). */
  listPages(abortSignal: AbortSignal): AsyncIterable<SecretAttributes[]>;
}

export function secretSourceOf(client: SecretClient): SecretSource {
  return {
    async get(name, abortSignal): Promise<SecretValue> {
      const secret = await client.getSecret(name, { abortSignal });
      // Key Vault stores empty values; the SDK may surface them as undefined.
      return { value: secret.value ?? '', expiresOn: secret.properties.expiresOn };
    },
    async *listPages(abortSignal): AsyncIterable<SecretAttributes[]> {
      for await (const page of client.listPropertiesOfSecrets({ abortSignal }).byPage()) {
        yield page.map((p) => ({
          name: p.name,
          enabled: p.enabled,
          notBefore: p.notBefore,
          expiresOn: p.expiresOn,
        }));
      }
    },
  };
}
