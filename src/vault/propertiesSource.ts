import type { SecretClient } from '@azure/keyvault-secrets';
import type { HttpHeaders } from '@azure/core-rest-pipeline';
import { currentVersion } from '../secrets/currentVersion';
import {
  propertiesOf,
  secretSourceOf,
  type SecretProperties,
  type SecretRecord,
  type SecretSource,
} from './secretSource';
import { readFactsOf } from './readFacts';

/**
 * What a read would have answered, told from the secret's version list: Key Vault's 404 for a
 * missing secret or version, its 403 `SecretDisabled` for a disabled one. Shaped like the SDK's
 * RestError (status, code, inner code, the listing's answer headers), so it is classified and
 * reported exactly as a real run's read would be.
 */
class ListedAnswer extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;
  readonly response: { status: number; headers: HttpHeaders } | undefined;

  constructor(kind: 'not-found' | 'disabled', headers: HttpHeaders | undefined) {
    super(
      kind === 'not-found'
        ? 'No such secret or version in the version list.'
        : 'The version is disabled.',
    );
    this.name = 'RestError';
    this.statusCode = kind === 'not-found' ? 404 : 403;
    this.code = kind === 'not-found' ? 'SecretNotFound' : 'Forbidden';
    this.details =
      kind === 'disabled' ? { error: { innerError: { code: 'SecretDisabled' } } } : undefined;
    this.response = headers && { status: this.statusCode, headers };
  }
}

/**
 * The dry run's source: the same listing, and for each read the secret's version list instead
 * of its value (`GET /secrets/{name}/versions`, the List permission). Key Vault has no read of a
 * secret's properties without its value besides the listings, so this is the closest a dry run
 * can come to a read; the value is left empty and never requested.
 */
export function propertiesSourceOf(client: SecretClient): SecretSource {
  const listing = secretSourceOf(client);
  return {
    async get(name, version, abortSignal): Promise<SecretRecord> {
      let headers: HttpHeaders | undefined;
      const versions: SecretProperties[] = [];
      const pages = client
        .listPropertiesOfSecretVersions(name, {
          abortSignal,
          onResponse: (raw) => {
            headers = raw.headers;
          },
        })
        .byPage();
      for await (const page of pages) versions.push(...page.map(propertiesOf));
      const found =
        version === undefined
          ? currentVersion(versions)
          : versions.find((v) => v.version?.toLowerCase() === version.toLowerCase());
      if (!found) throw new ListedAnswer('not-found', headers);
      if (found.enabled === false) throw new ListedAnswer('disabled', headers);
      // The version list names each version's secret as the vault spells it.
      return {
        value: '',
        properties: found,
        answer: headers && readFactsOf((n) => headers?.get(n)),
      };
    },
    listPages: (abortSignal) => listing.listPages(abortSignal),
  };
}
