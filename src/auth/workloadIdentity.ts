import { AzurePipelinesCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { entraOptions, type CredentialContext } from './credentialOptions';
import { oidcTokenMaskPolicy } from './oidcTokenMaskPolicy';

/**
 * Workload identity federation (scheme WorkloadIdentityFederation): the credential asks Azure DevOps
 * for an OIDC token (SYSTEM_OIDCREQUESTURI, authorised by the job's access token) each time it needs
 * a new access token, and exchanges it at Entra (docs/agent-interface.md §9).
 */
export function workloadIdentityCredential(
  tenantId: string,
  clientId: string,
  serviceConnectionId: string,
  systemAccessToken: string,
  context: CredentialContext,
): TokenCredential {
  return new AzurePipelinesCredential(
    tenantId,
    clientId,
    serviceConnectionId,
    systemAccessToken,
    withOidcTokenMask(entraOptions(context), context),
  );
}

/** The credential's requests, the OIDC token request included, also mask the OIDC token. */
function withOidcTokenMask<T extends ReturnType<typeof entraOptions>>(
  options: T,
  context: CredentialContext,
): T {
  if (!context.mask) return options;
  return {
    ...options,
    additionalPolicies: [
      ...options.additionalPolicies,
      { policy: oidcTokenMaskPolicy(context.mask), position: 'perRetry' as const },
    ],
  };
}
