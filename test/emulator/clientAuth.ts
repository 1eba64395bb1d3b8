/**
 * How the token endpoint authenticates a confidential client, one branch per credential kind
 * (azure-wire.md §3, "Token request" table).
 *
 * Extension point: certificate and federated (workload identity) credentials both arrive as
 * `client_assertion` + `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`.
 * To support them, implement `verifyClientAssertion` below: check the JWT signature against
 * `principal.certificates` (by the `x5t#S256` header) or the claims against
 * `principal.federatedCredentials` (iss/sub/aud), plus `aud` = `context.tokenEndpoint` and the
 * lifetime against `context.nowSeconds`, and return the matching AADSTS error from entraErrors.ts
 * otherwise (700024 stale, 70021 / 700213 no federated match, …). Nothing else has to change.
 */
import type { ServicePrincipal } from './directory';
import * as errors from './entraErrors';

export interface ClientAuthContext {
  /** The token endpoint URL the request was sent to (an assertion's expected `aud`). */
  tokenEndpoint: string;
  nowSeconds: number;
}

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

/** Not emulated yet: see the module comment for what belongs here. */
function verifyClientAssertion(request: AssertionRequest): ClientAuthOutcome {
  return {
    ok: false,
    error: errors.notEmulated(
      `client_assertion '${request.assertionType}' (certificate or federated credentials)`,
    ),
  };
}
