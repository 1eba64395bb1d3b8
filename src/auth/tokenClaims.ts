/** Who an access token says the caller is: the ids to check role assignments against. */
export interface TokenIdentity {
  appId: string | undefined;
  objectId: string | undefined;
  tenantId: string | undefined;
}

function claim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Reads the identity claims of a JWT access token without verifying it: the token came from Entra
 * over TLS, and the claims are only printed. Returns undefined for anything that is not a JWT.
 */
export function tokenIdentity(token: string): TokenIdentity | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (claims === null || typeof claims !== 'object') return undefined;
    const c = claims as Record<string, unknown>;
    return {
      appId: claim(c, 'appid') ?? claim(c, 'azp'),
      objectId: claim(c, 'oid'),
      tenantId: claim(c, 'tid'),
    };
  } catch {
    return undefined;
  }
}
