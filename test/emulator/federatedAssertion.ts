/**
 * Federated (workload identity) client assertions: the client presents a token another issuer
 * signed, here the emulated Azure DevOps (docs/azure-protocols.md §3, §5), and Entra accepts it when a
 * federated identity credential of the application names its issuer, subject and audience.
 *
 * Entra finds the credential first (by issuer, then subject, then audience: 70021, 700213, 700212),
 * then checks the signature with the issuer's keys and the token's lifetime (700024). Issuer and
 * subject compare case-sensitively (`sc://org/project/connection` renamed in case fails).
 */
import { audiences, checkLifetime, type AssertionOutcome } from './certificateAssertion';
import type { ServicePrincipal } from './directory';
import * as errors from './entraErrors';
import { stringClaim, type DecodedJwt } from './jwt';

export const DEFAULT_FEDERATED_AUDIENCE = 'api://AzureADTokenExchange';

export interface FederationContext {
  nowMs: number;
  /** True when the token was signed by an issuer the emulator knows (the DevOps OIDC key). */
  issuerSigned: (jwt: DecodedJwt) => boolean;
}

export function verifyFederatedAssertion(
  jwt: DecodedJwt,
  principal: ServicePrincipal,
  context: FederationContext,
): AssertionOutcome {
  const fail = (error: errors.EntraError): AssertionOutcome => ({ ok: false, error });
  const issuer = stringClaim(jwt.claims, 'iss');
  const subject = stringClaim(jwt.claims, 'sub');
  const presented = audiences(jwt.claims.aud);

  const byIssuer = (principal.federatedCredentials ?? []).filter((c) => c.issuer === issuer);
  if (byIssuer.length === 0) {
    return fail(errors.federatedNoMatch(issuer, subject, presented.join(', ')));
  }
  const bySubject = byIssuer.filter((c) => c.subject === subject);
  if (bySubject.length === 0) return fail(errors.federatedSubjectMismatch(subject));
  const match = bySubject.find((c) => presented.includes(c.audience ?? DEFAULT_FEDERATED_AUDIENCE));
  if (!match) return fail(errors.federatedAudienceMismatch(presented.join(', ')));

  if (!context.issuerSigned(jwt)) {
    return fail(errors.federatedSignatureInvalid(stringClaim(jwt.header, 'kid')));
  }
  return checkLifetime(jwt.claims, context.nowMs);
}
