import type { TokenCredential } from '@azure/core-auth';
import type { AzureConnection } from '../config/connection';
import type { CredentialContext } from './credentialOptions';

/**
 * Picks the one credential the connection's scheme calls for. There is deliberately no fallback
 * chain: an agent's ambient identity must never stand in for the connection the pipeline named.
 * Each scheme's module is loaded only when its scheme is used, so a run evaluates the code of one
 * credential, not of four.
 */
export async function createCredential(
  connection: AzureConnection,
  context: CredentialContext,
): Promise<TokenCredential> {
  const tenantId = connection.tenantId ?? '';
  const auth = connection.auth;
  switch (auth.kind) {
    case 'servicePrincipalSecret': {
      const { servicePrincipalSecretCredential } = await import('./servicePrincipalSecret');
      return servicePrincipalSecretCredential(tenantId, auth.clientId, auth.clientSecret, context);
    }
    case 'servicePrincipalCertificate': {
      const { servicePrincipalCertificateCredential } =
        await import('./servicePrincipalCertificate');
      return servicePrincipalCertificateCredential(
        tenantId,
        auth.clientId,
        auth.certificatePem,
        context,
      );
    }
    case 'managedIdentity': {
      const { managedIdentityCredential } = await import('./managedIdentity');
      return managedIdentityCredential(auth.clientId, context);
    }
    case 'workloadIdentity': {
      const { workloadIdentityCredential } = await import('./workloadIdentity');
      return workloadIdentityCredential(
        tenantId,
        auth.clientId,
        connection.id,
        auth.systemAccessToken,
        context,
      );
    }
  }
}

/** Names the identity for messages: scheme and application (client) id, never a credential. */
export function describeIdentity(connection: AzureConnection): string {
  const auth = connection.auth;
  switch (auth.kind) {
    case 'servicePrincipalSecret':
      return `service principal ${auth.clientId} (client secret)`;
    case 'servicePrincipalCertificate':
      return `service principal ${auth.clientId} (certificate)`;
    case 'managedIdentity':
      return auth.clientId
        ? `user-assigned managed identity ${auth.clientId}`
        : 'the agent’s system-assigned managed identity';
    case 'workloadIdentity':
      return `service principal ${auth.clientId} (workload identity federation)`;
  }
}
