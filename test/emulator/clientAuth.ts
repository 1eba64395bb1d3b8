/**
 * How the token endpoint authenticates a confidential client, one branch per credential kind
 * (docs/azure-protocols.md §3, "Token request" table): a client secret, or a client assertion
 * (`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`) that is either
 * signed with a registered certificate (the header names it by `x5t#S256` / `x5t`:
 * certificateAssertion.ts) or a token of a federated issuer (federatedAssertion.ts).
 */
import { verifyCertificateAssertion, type AssertionContext } from './certificateAssertion';
import type { ServicePrincipal } from './directory';
import * as errors from './entraErrors';
import { verifyFederatedAssertion, type FederationContext } from './federatedAssertion';
import { decodeJwt } from './jwt';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type ClientAuthContext = AssertionContext & FederationContext;

export type ClientAuthOutcome =
  | { ok: true; method: 'client_secret' | 'client_assertion' }
  | { ok: false; error: errors.EntraError };

export function authenticateClient(
  form: URLSearchParams,
  principal: ServicePrincipal,
  context: ClientAuthContext,
): ClientAuthOutcome {
  const secret = form.get('client_secret');
  if (secret !== null) return verifyClientSecret(secret, principal);
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    return verifyClientAssertion({
      assertion,
      assertionType: form.get('client_assertion_type') ?? '',
      principal,
      context,
    });
  }
  return { ok: false, error: errors.missingClientCredential() };
}

function verifyClientSecret(secret: string, principal: ServicePrincipal): ClientAuthOutcome {
  if (principal.secrets?.includes(secret)) return { ok: true, method: 'client_secret' };
  if (principal.expiredSecrets?.includes(secret)) {
    return { ok: false, error: errors.expiredClientSecret(principal.appId) };
  }
  return { ok: false, error: errors.invalidClientSecret(principal.appId) };
}

/** What an assertion check gets to work with. */
export interface AssertionRequest {
  assertion: string;
  assertionType: string;
  principal: ServicePrincipal;
  context: ClientAuthContext;
}

function verifyClientAssertion(request: AssertionRequest): ClientAuthOutcome {
  const { assertionType, principal, context } = request;
  if (assertionType === '')
    return { ok: false, error: errors.missingParameter('client_assertion_type') };
  if (assertionType !== JWT_BEARER) {
    return { ok: false, error: errors.unsupportedAssertionType(assertionType) };
  }
  const jwt = decodeJwt(request.assertion);
  if (!jwt) return { ok: false, error: errors.malformedAssertion() };
  const byCertificate = jwt.header['x5t#S256'] !== undefined || jwt.header.x5t !== undefined;
  const outcome = byCertificate
    ? verifyCertificateAssertion(jwt, principal, context)
    : verifyFederatedAssertion(jwt, principal, context);
  return outcome.ok ? { ok: true, method: 'client_assertion' } : outcome;
}
