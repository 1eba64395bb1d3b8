/**
 * Access tokens the emulated Entra ID issues and the emulated vaults accept.
 *
 * Real Entra signs RS256 with rotating keys; no client in this project validates an access token
 * (MSAL and the Key Vault SDK treat it as opaque), so one ES256 key per emulator keeps signing fast
 * while the vault side can still tell its own tokens from forged or foreign ones.
 */
import { generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/** Claims of a v1 app-only access token as Key Vault reads them (docs/azure-protocols.md §3). */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  appid: string;
  appidacr: string;
  idp: string;
  oid: string;
  sub: string;
  tid: string;
  ver: '1.0';
  [claim: string]: unknown;
}

/** Who a token is for and about: what both Entra and the managed identity endpoints issue. */
export interface AppOnlyToken {
  aud: string;
  iss: string;
  nowSeconds: number;
  lifetimeSeconds: number;
  appId: string;
  objectId: string;
  tenantId: string;
  /** "1" client secret, "2" certificate, federated or managed identity, "0" public client. */
  appidacr: string;
}

/** The claims of a v1 app-only access token (docs/azure-protocols.md §3), in the service's order. */
export function appOnlyClaims(t: AppOnlyToken): AccessTokenClaims {
  return {
    aud: t.aud,
    iss: t.iss,
    iat: t.nowSeconds,
    nbf: t.nowSeconds,
    exp: t.nowSeconds + t.lifetimeSeconds,
    appid: t.appId,
    appidacr: t.appidacr,
    idp: t.iss,
    oid: t.objectId,
    sub: t.objectId,
    tid: t.tenantId,
    uti: randomBytes(16).toString('base64url').slice(0, 22),
    ver: '1.0',
  };
}

export type VerifyResult =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'malformed' | 'signature'; encodedHeader: string };

export class TokenSigner {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly keyId = randomBytes(20).toString('base64url');

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  sign(claims: AccessTokenClaims): string {
    const header = encodeJson({ typ: 'JWT', alg: 'ES256', kid: this.keyId });
    const payload = encodeJson(claims);
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363', // JWS wants r||s, not DER (RFC 7518 §3.4)
    });
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  /** Checks structure and signature only; lifetime, audience and issuer are the vault's business. */
  verify(token: string): VerifyResult {
    const parts = token.split('.');
    const encodedHeader = parts[0] ?? '';
    if (parts.length !== 3) return { ok: false, reason: 'malformed', encodedHeader };
    const [, payload = '', signature = ''] = parts;
    let header: unknown;
    let claims: unknown;
    try {
      header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed', encodedHeader };
    }
    if (!isObject(header) || !isObject(claims))
      return { ok: false, reason: 'malformed', encodedHeader };
    if (header.kid !== this.keyId) return { ok: false, reason: 'signature', encodedHeader };
    const valid = verify(
      'sha256',
      Buffer.from(`${encodedHeader}.${payload}`),
      { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return { ok: false, reason: 'signature', encodedHeader };
    return { ok: true, claims: claims as AccessTokenClaims };
  }

  /** The public key as a JWKS document, for the `jwks_uri` of the openid-configuration. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [{ kty: jwk.kty, use: 'sig', kid: this.keyId, crv: jwk.crv, x: jwk.x, y: jwk.y }],
    };
  }
}

/** Decodes a JWT payload without verifying it (for tests and diagnostics). */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
