import { ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';

/**
 * The agent machine's managed identity (scheme ManagedServiceIdentity): system-assigned, or
 * user-assigned when the connection carries `msiclientId`. The identity endpoint is local to the
 * machine, so no proxy is configured for it (agent-contract.md §2).
 */
export function managedIdentityCredential(clientId: string | undefined): TokenCredential {
  return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
}
