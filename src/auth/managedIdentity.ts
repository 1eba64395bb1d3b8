import { ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { CredentialContext } from './credentialOptions';

/**
 * The agent machine's managed identity (scheme ManagedServiceIdentity): system-assigned, or
 * user-assigned when the connection carries `msiclientId`. The identity endpoint is local to the
 * machine: the run's transport reaches it directly, never through a proxy, HTTPS_PROXY included
 * (agentTransport.ts). The credential keeps its own IMDS retries, so only the transport is shared.
 */
export function managedIdentityCredential(
  clientId: string | undefined,
  context: CredentialContext,
): TokenCredential {
  const options = { httpClient: context.pipeline.httpClient };
  return clientId
    ? new ManagedIdentityCredential({ clientId, ...options })
    : new ManagedIdentityCredential(options);
}
