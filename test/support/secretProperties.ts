import type { SecretProperties } from '../../src/vault/secretSource';

/** What the vault says about a secret, every attribute unset unless given. */
export function secretProperties(
  name: string,
  extra: Partial<SecretProperties> = {},
): SecretProperties {
  return {
    name,
    version: undefined,
    enabled: true,
    notBefore: undefined,
    expiresOn: undefined,
    createdOn: undefined,
    updatedOn: undefined,
    tags: {},
    contentType: undefined,
    managed: false,
    kid: undefined,
    ...extra,
  };
}
