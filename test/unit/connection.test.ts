import { strict as assert } from 'node:assert';
import { parseConnection } from '../../src/config/connection';
import type { EndpointRecord } from '../../src/agent/agentPort';

const ID = '6c8d4f3e-1f0a-4d6e-9b1a-2c3d4e5f6a7b';
function endpoint(
  scheme: string | undefined,
  parameters: Record<string, string>,
  data: Record<string, string> = {},
): EndpointRecord {
  return { id: ID, url: 'https://management.azure.com/', scheme, parameters, data };
}
const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';
const PUBLIC = {
  environment: 'AzureCloud',
  authorityHost: 'https://login.microsoftonline.com',
  keyVaultDnsSuffix: 'vault.azure.net',
  keyVaultResource: 'https://vault.azure.net',
};

describe('parseConnection', () => {
  it('reads a service principal with a secret (parameter names in any case)', () => {
    const result = parseConnection(
      endpoint('ServicePrincipal', {
        TenantId: 't1',
        ServicePrincipalId: 'app1',
        authenticationType: 'spnKey',
        serviceprincipalkey: 's3cret',
      }),
      undefined,
    );
    assert.deepEqual(result, {
      connection: {
        id: ID,
        scheme: 'ServicePrincipal',
        tenantId: 't1',
        auth: { kind: 'servicePrincipalSecret', clientId: 'app1', clientSecret: 's3cret' },
        cloud: PUBLIC,
      },
    });
  });

  it('assumes ServicePrincipal and spnKey when the scheme or type is absent', () => {
    const result = parseConnection(
      endpoint(undefined, { tenantid: 't', serviceprincipalid: 'a', serviceprincipalkey: 'k' }),
      undefined,
    );
    assert.ok('connection' in result);
    assert.equal(result.connection.auth.kind, 'servicePrincipalSecret');
  });

  it('reads a certificate connection', () => {
    const result = parseConnection(
      endpoint('serviceprincipal', {
        tenantid: 't',
        serviceprincipalid: 'a',
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate: PEM,
      }),
      undefined,
    );
    assert.ok('connection' in result);
    assert.deepEqual(result.connection.auth, {
      kind: 'servicePrincipalCertificate',
      clientId: 'a',
      certificatePem: PEM,
    });
  });

  it('refuses a certificate PEM without its private key', () => {
    const result = parseConnection(
      endpoint('ServicePrincipal', {
        tenantid: 't',
        serviceprincipalid: 'a',
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate:
          '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n',
      }),
      undefined,
    );
    assert.deepEqual(result, {
      errors: [
        `The certificate of the service connection '${ID}' must be one PEM holding the certificate and its private key (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----). Edit the connection and paste both.`,
      ],
    });
  });

  it('refuses an encrypted private key before any request: the connection has no passphrase', () => {
    const result = parseConnection(
      endpoint('ServicePrincipal', {
        tenantid: 't',
        serviceprincipalid: 'a',
        authenticationType: 'spnCertificate',
        servicePrincipalCertificate:
          '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----\n',
      }),
      undefined,
    );
    assert.deepEqual(result, {
      errors: [
        `The private key in the certificate of the service connection '${ID}' is encrypted, and a service connection holds no passphrase for it. Decrypt it (openssl pkcs8 -in key.pem -nocrypt, or convert the PFX with openssl pkcs12 -nodes) and paste the certificate and the decrypted key into the connection.`,
      ],
    });
  });

  it('reads managed identity, user-assigned from msiclientId', () => {
    const system = parseConnection(
      endpoint('ManagedServiceIdentity', { tenantid: 't' }),
      undefined,
    );
    assert.ok('connection' in system);
    assert.deepEqual(system.connection.auth, { kind: 'managedIdentity', clientId: undefined });
    const user = parseConnection(
      endpoint('ManagedServiceIdentity', { tenantid: 't' }, { msiclientId: 'mi-1' }),
      undefined,
    );
    assert.ok('connection' in user);
    assert.deepEqual(user.connection.auth, { kind: 'managedIdentity', clientId: 'mi-1' });
  });

  it('reads workload identity federation with the job access token', () => {
    const result = parseConnection(
      endpoint('WorkloadIdentityFederation', { tenantid: 't', serviceprincipalid: 'a' }),
      'job-token',
    );
    assert.ok('connection' in result);
    assert.deepEqual(result.connection.auth, {
      kind: 'workloadIdentity',
      clientId: 'a',
      systemAccessToken: 'job-token',
    });
  });

  it('says what workload identity federation misses without a job token', () => {
    const result = parseConnection(
      endpoint('WorkloadIdentityFederation', { tenantid: 't', serviceprincipalid: 'a' }),
      undefined,
    );
    assert.ok('errors' in result);
    assert.equal(result.errors.length, 1);
    assert.match(
      result.errors[0] ?? '',
      /^Workload identity federation needs the job's access token/,
    );
  });

  it('lists every missing parameter', () => {
    const result = parseConnection(
      endpoint('ServicePrincipal', { authenticationType: 'spnKey' }),
      undefined,
    );
    assert.deepEqual(result, {
      errors: [
        `The service connection '${ID}' (ServicePrincipal) has no tenant id ('tenantid'). Edit the connection and save it again, or recreate it.`,
        `The service connection '${ID}' (ServicePrincipal) has no application (client) id ('serviceprincipalid'). Edit the connection and save it again, or recreate it.`,
        `The service connection '${ID}' (ServicePrincipal) has no client secret ('serviceprincipalkey'). Edit the connection and save it again, or recreate it.`,
      ],
    });
  });

  it('refuses an unknown authentication type with the allowed values', () => {
    const result = parseConnection(
      endpoint('ServicePrincipal', {
        tenantid: 't',
        serviceprincipalid: 'a',
        authenticationType: 'spnPassword',
      }),
      undefined,
    );
    assert.deepEqual(result, {
      errors: [
        `The service connection '${ID}' uses authenticationType 'spnPassword'. Expected one of: spnKey, spnCertificate.`,
      ],
    });
  });

  it('refuses other schemes with the supported list', () => {
    const result = parseConnection(endpoint('PublishProfile', { publishProfile: 'x' }), undefined);
    assert.ok('errors' in result);
    assert.equal(
      result.errors[0],
      `The service connection '${ID}' uses the authentication scheme 'PublishProfile', which cannot sign in to Key Vault. Expected one of: WorkloadIdentityFederation, ServicePrincipal, ManagedServiceIdentity. Use an Azure Resource Manager connection with workload identity federation (recommended), a service principal or a managed identity.`,
    );
  });

  it('takes the cloud from the endpoint data', () => {
    const result = parseConnection(
      endpoint('ManagedServiceIdentity', {}, { environment: 'AzureChinaCloud' }),
      undefined,
    );
    assert.ok('connection' in result);
    assert.equal(result.connection.cloud.keyVaultDnsSuffix, 'vault.azure.cn');
  });
});
