/**
 * Compact JWS parsing and RSA signature checks for the JWTs clients hand to Entra: certificate
 * client assertions (MSAL signs PS256, older clients RS256) and Azure DevOps OIDC tokens (RS256).
 */
import { constants, verify, type KeyObject } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** `<header>.<payload>` as sent: what the signature covers. */
  signingInput: Buffer;
  signature: Buffer;
}

/** Splits and JSON-decodes a compact JWS; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [encodedHeader = '', payload = '', signature = ''] = parts;
  try {
    const header: unknown = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!isObject(header) || !isObject(claims)) return undefined;
    return {
      header,
      claims,
      signingInput: Buffer.from(`${encodedHeader}.${payload}`),
      signature: Buffer.from(signature, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/** RS256 (PKCS#1 v1.5) or PS256 (RSA-PSS, salt = hash length: RFC 7518 §3.5); other algs fail. */
export function verifyRsaJws(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  const alg = jwt.header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') return false;
  try {
    return verify(
      'sha256',
      jwt.signingInput,
      alg === 'PS256'
        ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
      jwt.signature,
    );
  } catch {
    return false; // e.g. a certificate whose key is not RSA
  }
}

export function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A numeric date claim (`exp`, `nbf`, `iat`), or undefined when absent or not a number. */
export function numericClaim(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string claim or header field, or '' when absent or not a string. */
export function stringClaim(claims: Record<string, unknown>, name: string): string {
  const value = claims[name];
  return typeof value === 'string' ? value : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
