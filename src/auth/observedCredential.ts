import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { tokenIdentity, type TokenIdentity } from './tokenClaims';

export interface CredentialObserver {
  /** Registers a value with the masker. */
  mask(value: string): void;
  /** Called once, with the identity of the first token. */
  signedIn(identity: TokenIdentity): void;
}

/**
 * Masks every access token the moment it exists (style point 5), and reports once who signed in,
 * so role assignments can be checked against the object id.
 */
export function observedCredential(
  inner: TokenCredential,
  observer: CredentialObserver,
): TokenCredential {
  let reported = false;
  return {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      const token = await inner.getToken(scopes, options);
      if (!token?.token) return token;
      observer.mask(token.token);
      if (!reported) {
        reported = true;
        const identity = tokenIdentity(token.token);
        if (identity) observer.signedIn(identity);
      }
      return token;
    },
  };
}
