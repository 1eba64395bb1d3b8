import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

/** Registers every access token with the masker the moment it exists (style point 5). */
export function maskingCredential(
  inner: TokenCredential,
  mask: (value: string) => void,
): TokenCredential {
  return {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      const token = await inner.getToken(scopes, options);
      if (token?.token) mask(token.token);
      return token;
    },
  };
}
