import type { EndpointRecord } from '../agent/agentPort';
import { resolveCloud, type CloudSettings } from './cloud';
import { quote } from '../report/safeText';

/** How the task signs in, one variant per Azure RM connection scheme (docs/agent-interface.md §2). */
export type AuthMethod =
  | { kind: 'servicePrincipalSecret'; clientId: string; clientSecret: string }
  | { kind: 'servicePrincipalCertificate'; clientId: string; certificatePem: string }
  | { kind: 'managedIdentity'; clientId: string | undefined }
  | { kind: 'workloadIdentity'; clientId: string; systemAccessToken: string };

export interface AzureConnection {
  /** The connection's GUID, as the pipeline references it. */
  id: string;
  /** The scheme as the connection names it, for messages. */
  scheme: string;
  tenantId: string | undefined;
  auth: AuthMethod;
  cloud: CloudSettings;
}

export const SUPPORTED_SCHEMES = [
  'WorkloadIdentityFederation',
  'ServicePrincipal',
  'ManagedServiceIdentity',
] as const;

/** Look-ups of endpoint keys ignore case, as the agent's vault does (§3). */
function param(values: Record<string, string>, key: string, exact = false): string | undefined {
  const found = Object.keys(values).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = found === undefined ? undefined : values[found];
  if (!value?.trim()) return undefined;
  // Credentials are passed on byte-exact; ids and names are trimmed.
  return exact ? value : value.trim();
}

/** A PEM with both parts; the private key may be PKCS#8, PKCS#1 (RSA) or encrypted PKCS#8. */
function isCertificateWithKey(pem: string): boolean {
  return (
    /-----BEGIN CERTIFICATE-----/.test(pem) &&
    /-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(pem)
  );
}

/** A service connection carries no passphrase, so an encrypted key can never sign anything. */
function hasEncryptedKey(pem: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem);
}

/**
 * Turns the service connection the agent handed over into a typed connection. Pure: the job access
 * token (for workload identity federation) is passed in. Returns every problem found.
 */
export function parseConnection(
  endpoint: EndpointRecord,
  jobAccessToken: string | undefined,
): { connection: AzureConnection } | { errors: string[] } {
  const name = `service connection ${quote(endpoint.id)}`;
  const scheme = endpoint.scheme?.trim() || 'ServicePrincipal';
  const errors: string[] = [];
  const need = (key: string, what: string, exact = false): string => {
    const value = param(endpoint.parameters, key, exact);
    if (!value)
      errors.push(
        `The ${name} (${scheme}) has no ${what} ('${key}'). Edit the connection and save it again, or recreate it.`,
      );
    return value ?? '';
  };

  let auth: AuthMethod | undefined;
  let tenantId: string | undefined;
  switch (scheme.toLowerCase()) {
    case 'serviceprincipal': {
      tenantId = need('tenantid', 'tenant id');
      const clientId = need('serviceprincipalid', 'application (client) id');
      const type = param(endpoint.parameters, 'authenticationType') ?? 'spnKey';
      if (type.toLowerCase() === 'spnkey') {
        auth = {
          kind: 'servicePrincipalSecret',
          clientId,
          clientSecret: need('serviceprincipalkey', 'client secret', true),
        };
      } else if (type.toLowerCase() === 'spncertificate') {
        const certificatePem = need('servicePrincipalCertificate', 'certificate', true);
        if (certificatePem && !isCertificateWithKey(certificatePem)) {
          errors.push(
            `The certificate of the ${name} must be one PEM holding the certificate and its private key (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----). Edit the connection and paste both.`,
          );
        } else if (certificatePem && hasEncryptedKey(certificatePem)) {
          errors.push(
            `The private key in the certificate of the ${name} is encrypted, and a service connection holds no passphrase for it. Decrypt it (openssl pkcs8 -in key.pem -nocrypt, or convert the PFX with openssl pkcs12 -nodes) and paste the certificate and the decrypted key into the connection.`,
          );
        }
        auth = { kind: 'servicePrincipalCertificate', clientId, certificatePem };
      } else {
        errors.push(
          `The ${name} uses authenticationType ${quote(type)}. Expected one of: spnKey, spnCertificate.`,
        );
      }
      break;
    }
    case 'managedserviceidentity':
      tenantId = param(endpoint.parameters, 'tenantid');
      auth = { kind: 'managedIdentity', clientId: param(endpoint.data, 'msiclientId') };
      break;
    case 'workloadidentityfederation': {
      tenantId = need('tenantid', 'tenant id');
      const clientId = need('serviceprincipalid', 'application (client) id');
      if (!jobAccessToken) {
        errors.push(
          `Workload identity federation needs the job's access token to request an OIDC token from Azure DevOps, and the agent provided none. Allow scripts to access the OAuth token (classic: agent job > "Allow scripts to access the OAuth token"), or check that the job's access token is not restricted.`,
        );
      }
      auth = { kind: 'workloadIdentity', clientId, systemAccessToken: jobAccessToken ?? '' };
      break;
    }
    default:
      errors.push(
        `The ${name} uses the authentication scheme ${quote(scheme)}, which cannot sign in to Key Vault. Expected one of: ${SUPPORTED_SCHEMES.join(', ')}. Use an Azure Resource Manager connection with workload identity federation (recommended), a service principal or a managed identity.`,
      );
  }

  const cloud = resolveCloud(endpoint.data);
  if ('error' in cloud) errors.push(cloud.error);
  if (errors.length > 0 || !auth || 'error' in cloud) return { errors };
  return { connection: { id: endpoint.id, scheme, tenantId, auth, cloud } };
}
