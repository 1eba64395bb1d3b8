import { ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { entraOptions, type CredentialContext } from './credentialOptions';

/** Service principal with a client secret (scheme ServicePrincipal, authenticationType spnKey). */
export function servicePrincipalSecretCredential(
  tenantId: string,
  clientId: string,
  clientSecret: string,
  context: CredentialContext,
): TokenCredential {
  return new ClientSecretCredential(tenantId, clientId, clientSecret, entraOptions(context));
}
