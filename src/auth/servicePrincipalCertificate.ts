import { ClientCertificateCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { entraOptions, type CredentialContext } from './credentialOptions';

/**
 * Service principal with a certificate (authenticationType spnCertificate). The connection holds
 * one PEM with the certificate and its private key; it is handed over in memory and never written
 * to disk, where later steps of the job could read it.
 */
export function servicePrincipalCertificateCredential(
  tenantId: string,
  clientId: string,
  certificatePem: string,
  context: CredentialContext,
): TokenCredential {
  return new ClientCertificateCredential(
    tenantId,
    clientId,
    { certificate: certificatePem },
    entraOptions(context),
  );
}
