import { readFactsOf, type ReadFacts } from './readFacts';
import type {
  SecretClient,
  SecretProperties as SdkSecretProperties,
} from '@azure/keyvault-secrets';

/**
 * What the vault says about one secret version, as the plan needs it: selection (tags,
 * validity), naming, certificate handling (contentType, managed, kid) and the summary (dates).
 * Lists carry the same attributes as reads, never the value.
 */
export interface SecretProperties {
  /** As the vault spells it (Key Vault keeps the spelling a secret was created with). */
  name: string;
  /** The version id; lists of secrets leave it out (they describe the current version). */
  version: string | undefined;
  enabled: boolean | undefined;
  notBefore: Date | undefined;
  expiresOn: Date | undefined;
  createdOn: Date | undefined;
  updatedOn: Date | undefined;
  tags: Readonly<Record<string, string>>;
  contentType: string | undefined;
  /** True when Key Vault manages the secret for a certificate (its value is the certificate). */
  managed: boolean;
  /** The key that backs a certificate's secret. */
  kid: string | undefined;
}

/** One secret version with its value. */
export interface SecretRecord {
  value: string;
  properties: SecretProperties;
  /** What Key Vault's answer said besides the secret (ids, grant, client address). */
  answer: ReadFacts | undefined;
}

/** The two reads the task makes of a vault; the fetch logic depends on nothing else. */
export interface SecretSource {
  /** The current version of `name`, or the given version. */
  get(name: string, version: string | undefined, abortSignal: AbortSignal): Promise<SecretRecord>;
  /** Pages of secret properties, as the vault returns them (values are never listed). */
  listPages(abortSignal: AbortSignal): AsyncIterable<SecretProperties[]>;
}

export function propertiesOf(p: SdkSecretProperties): SecretProperties {
  return {
    name: p.name,
    version: p.version || undefined,
    enabled: p.enabled,
    notBefore: p.notBefore,
    expiresOn: p.expiresOn,
    createdOn: p.createdOn,
    updatedOn: p.updatedOn,
    tags: { ...p.tags },
    contentType: p.contentType,
    managed: p.managed === true,
    kid: p.certificateKeyId,
  };
}

export function secretSourceOf(client: SecretClient): SecretSource {
  return {
    async get(name, version, abortSignal): Promise<SecretRecord> {
      let answer: ReadFacts | undefined;
      const secret = await client.getSecret(name, {
        abortSignal,
        version,
        onResponse: (raw) => {
          answer = readFactsOf((header) => raw.headers.get(header));
        },
      });
      // Key Vault stores empty values; the SDK may surface them as undefined.
      return { value: secret.value ?? '', properties: propertiesOf(secret.properties), answer };
    },
    async *listPages(abortSignal): AsyncIterable<SecretProperties[]> {
      for await (const page of client.listPropertiesOfSecrets({ abortSignal }).byPage()) {
        yield page.map(propertiesOf);
      }
    },
  };
}
