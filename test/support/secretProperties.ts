import type { SecretProperties } from '../../src/vault/secretSource';

/** Properties of an enabled secret with no dates, tags or content type, as tests start from. */
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
