import type { ErrorFacts } from './errorFacts';

/** Why a secret (or the whole vault) could not be read. */
export type Cause =
  | 'not-found'
  | 'disabled'
  | 'denied-by-rbac'
  | 'denied-by-access-policy'
  | 'denied-by-firewall'
  | 'public-access-disabled'
  | 'forbidden'
  | 'token-rejected'
  | 'sign-in-failed'
  | 'unreachable'
  | 'proxy-refused'
  | 'throttled'
  | 'service-error'
  | 'bad-request'
  | 'timed-out'
  | 'deadline'
  | 'cancelled'
  | 'invalid-answer'
  | 'redirected'
  | 'foreign-link'
  | 'paging-loop'
  | 'tenant-mismatch'
  | 'unexpected';

export interface Problem {
  cause: Cause;
  /** True when the cause affects every request to the vault, so trying more secrets is pointless. */
  vaultWide: boolean;
  /** The secret concerned, when the failure was about one secret. */
  secretName: string | undefined;
  facts: ErrorFacts;
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

const SIGN_IN_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
]);

/** Codes our own boundary errors carry (net/vaultAnswerPolicy, net/vaultOriginPolicy, vault/pageGuard). */
const BOUNDARY_CODES: Record<string, Cause> = {
  VAULT_NOT_JSON: 'invalid-answer',
  // core-client's deserialization error, should one get past the answer check: never quoted.
  PARSE_ERROR: 'invalid-answer',
  VAULT_REDIRECT: 'redirected',
  VAULT_FOREIGN_ORIGIN: 'foreign-link',
  PAGING_LOOP: 'paging-loop',
  PAGING_LIMIT: 'paging-loop',
};

function causeOf(f: ErrorFacts): Cause {
  if (f.code === 'RUN_CANCELLED') return 'cancelled';
  if (f.code === 'RUN_DEADLINE') return 'deadline';
  const boundary = f.code === undefined ? undefined : BOUNDARY_CODES[f.code];
  if (boundary) return boundary;
  // identity refuses a challenge naming another tenant than the credential's (identity's
  // processMultiTenantRequest: "…not configured to acquire tokens for tenant <id>…AdditionallyAllowedTenants").
  if (/AdditionallyAllowedTenants/.test(f.message)) return 'tenant-mismatch';
  if (f.name === 'AbortError' || f.name === 'RequestTimeoutError') return 'timed-out';
  // Checked before sign-in errors: identity wraps what the pipeline threw in its own errors.
  if (f.status === 407 || /Proxy Authentication Required/.test(f.message)) return 'proxy-refused';
  if (SIGN_IN_ERRORS.has(f.name) || /AADSTS\d+/.test(f.message)) return 'sign-in-failed';
  // The SDK's own challenge checks (resource or tenant mismatch) surface as plain errors.
  if (f.status === undefined && /challenge/i.test(f.message)) return 'sign-in-failed';
  if (f.status === undefined)
    return f.code && NETWORK_CODES.has(f.code) ? 'unreachable' : 'unexpected';
  // Anything not answered by Key Vault itself (no x-ms-request-id) came from a proxy or gateway.
  if (!f.fromKeyVault && f.status >= 500) return 'unreachable';
  if (f.status === 404 && f.code === 'SecretNotFound') return 'not-found';
  if (f.status === 403) {
    switch (f.innerCode) {
      case 'SecretDisabled':
        return 'disabled';
      case 'ForbiddenByRbac':
        return 'denied-by-rbac';
      case 'AccessDenied':
      case 'ForbiddenByPolicy':
        return 'denied-by-access-policy';
      case 'ForbiddenByFirewall':
        return 'denied-by-firewall';
      case 'ForbiddenByConnection':
        return 'public-access-disabled';
      default:
        return 'forbidden';
    }
  }
  if (f.status === 401) return 'token-rejected';
  if (f.status === 429) return 'throttled';
  if (f.status === 408) return 'timed-out';
  if (f.status >= 500) return 'service-error';
  if (f.status === 400) return 'bad-request';
  return 'unexpected';
}

/** Causes that hold for every request to the vault (access policies are vault-wide; RBAC roles
 * can be scoped to one secret, so an RBAC denial is not). */
const VAULT_WIDE = new Set<Cause>([
  'denied-by-access-policy',
  'denied-by-firewall',
  'public-access-disabled',
  'token-rejected',
  'sign-in-failed',
  'unreachable',
  'proxy-refused',
  'throttled',
  'service-error',
  'timed-out',
  'deadline',
  'cancelled',
  'redirected',
  'foreign-link',
  'paging-loop',
  'tenant-mismatch',
]);

export function classifyProblem(facts: ErrorFacts, secretName: string | undefined): Problem {
  const cause = causeOf(facts);
  return { cause, vaultWide: VAULT_WIDE.has(cause), secretName, facts };
}
