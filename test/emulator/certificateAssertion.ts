/**
 * Certificate client assertions (docs/azure-protocols.md §3, "Token request"): a JWT the client signs with
 * the private key of a certificate registered on the application. MSAL sends PS256 with
 * `x5t#S256` (base64url SHA-256 of the certificate's DER); older clients RS256 with SHA-1 `x5t`.
 *
 * Checks in the order Entra reports them: known key (700027), signature (700027), iss = sub =
 * client id (700021), aud = token endpoint (700023), lifetime (700024). MSAL signs with the real
 * clock: a test that moves the emulator clock far ahead makes new assertions stale (700024), as a
 * badly skewed agent would.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import type { ServicePrincipal } from './directory';
import * as errors from './entraErrors';
import { numericClaim, stringClaim, verifyRsaJws, type DecodedJwt } from './jwt';

export interface AssertionContext {
  /** The token endpoint URL the request was sent to (the assertion's expected `aud`). */
  tokenEndpoint: string;
  nowMs: number;
}

export type AssertionOutcome = { ok: true } | { ok: false; error: errors.EntraError };

interface RegisteredKey {
  sha256: string; // base64url
  sha1: string; // base64url
  publicKey: KeyObject;
  validFrom: Date;
  validTo: Date;
}

export function verifyCertificateAssertion(
  jwt: DecodedJwt,
  principal: ServicePrincipal,
  context: AssertionContext,
): AssertionOutcome {
  const fail = (error: errors.EntraError): AssertionOutcome => ({ ok: false, error });
  const byS256 = stringOrUndefined(jwt.header['x5t#S256']);
  const bySha1 = stringOrUndefined(jwt.header.x5t);
  const presented = byS256 ?? bySha1 ?? '';
  const thumbprint = Buffer.from(presented, 'base64url').toString('hex').toUpperCase();

  const key = registeredKeys(principal.certificates ?? []).find((k) =>
    byS256 !== undefined ? k.sha256 === byS256 : k.sha1 === bySha1,
  );
  if (!key) return fail(errors.certificateNotRegistered(thumbprint, principal.appId));
  if (!verifyRsaJws(jwt, key.publicKey)) {
    return fail(errors.assertionSignatureInvalid(thumbprint, key.validFrom, key.validTo));
  }

  const { claims } = jwt;
  const clientId = principal.appId.toLowerCase();
  if (
    stringClaim(claims, 'iss').toLowerCase() !== clientId ||
    stringClaim(claims, 'sub').toLowerCase() !== clientId
  ) {
    return fail(errors.assertionClientMismatch());
  }
  if (!audiences(claims.aud).includes(context.tokenEndpoint)) {
    return fail(errors.assertionAudienceMismatch());
  }
  return checkLifetime(claims, context.nowMs);
}

/**
 * Clients may run ahead of the service: MSAL rounds `nbf` to the nearest second, so an assertion
 * can be "valid from" half a second in the future. Entra tolerates that; the emulator allows this
 * much on `nbf` only, so an expired assertion still fails exactly at `exp`.
 */
export const NOT_BEFORE_SKEW_SECONDS = 300;

/** `nbf` (optional) ≤ now + skew and now < `exp` (required), on the emulator clock: 700024 otherwise. */
export function checkLifetime(claims: Record<string, unknown>, nowMs: number): AssertionOutcome {
  const nbf = numericClaim(claims, 'nbf');
  const exp = numericClaim(claims, 'exp');
  const now = nowMs / 1000;
  if (
    exp === undefined ||
    exp <= now ||
    (nbf !== undefined && nbf > now + NOT_BEFORE_SKEW_SECONDS)
  ) {
    return { ok: false, error: errors.assertionOutsideTimeRange(new Date(nowMs), nbf, exp) };
  }
  return { ok: true };
}

/** `aud` as a list: a JWT may carry one audience or several. */
export function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function registeredKeys(pems: string[]): RegisteredKey[] {
  return pems.map((pem) => {
    const certificate = new X509Certificate(pem);
    return {
      sha256: createHash('sha256').update(certificate.raw).digest('base64url'),
      sha1: createHash('sha1').update(certificate.raw).digest('base64url'),
      publicKey: certificate.publicKey,
      validFrom: new Date(certificate.validFrom),
      validTo: new Date(certificate.validTo),
    };
  });
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
