import { AzurePipelinesCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { entraOptions, type CredentialContext } from './credentialOptions';

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
    entraOptions(context),
  );
}
