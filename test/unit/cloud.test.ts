import { strict as assert } from 'node:assert';
import { resolveCloud } from '../../src/config/cloud';

describe('resolveCloud', () => {
  it('defaults to the public cloud', () => {
    assert.deepEqual(resolveCloud({}), {
      environment: 'AzureCloud',
      authorityHost: 'https://login.microsoftonline.com',
      keyVaultDnsSuffix: 'vault.azure.net',
      keyVaultResource: 'https://vault.azure.net',
    });
  });

  it('knows the US Government and China clouds, whatever the case', () => {
    assert.deepEqual(resolveCloud({ environment: 'AzureUSGovernment' }), {
      environment: 'AzureUSGovernment',
      authorityHost: 'https://login.microsoftonline.us',
      keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
      keyVaultResource: 'https://vault.usgovcloudapi.net',
    });
    assert.deepEqual(resolveCloud({ Environment: 'azurechinacloud' }), {
      environment: 'azurechinacloud',
      authorityHost: 'https://login.chinacloudapi.cn',
      keyVaultDnsSuffix: 'vault.azure.cn',
      keyVaultResource: 'https://vault.azure.cn',
    });
  });

  it('lets endpoint data override the defaults (older connections: environmentAuthorityUrl)', () => {
    assert.deepEqual(
      resolveCloud({
        environment: 'AzureCloud',
        environmentAuthorityUrl: 'https://login.windows.net/',
        AzureKeyVaultDnsSuffix: '.vault.azure.net',
        AzureKeyVaultServiceEndpointResourceId: 'https://vault.azure.net/',
      }),
      {
        environment: 'AzureCloud',
        authorityHost: 'https://login.windows.net',
        keyVaultDnsSuffix: 'vault.azure.net',
        keyVaultResource: 'https://vault.azure.net',
      },
    );
  });

  it('takes Azure Stack Hub endpoints from the data', () => {
    assert.deepEqual(
      resolveCloud({
        environment: 'AzureStack',
        activeDirectoryAuthority: 'https://adfs.local.azurestack.external/',
        AzureKeyVaultDnsSuffix: 'vault.local.azurestack.external',
      }),
      {
        environment: 'AzureStack',
        authorityHost: 'https://adfs.local.azurestack.external',
        keyVaultDnsSuffix: 'vault.local.azurestack.external',
        keyVaultResource: 'https://vault.local.azurestack.external',
      },
    );
  });

  it('says what an unknown cloud lacks', () => {
    assert.deepEqual(resolveCloud({ environment: 'AzureStack' }), {
      error:
        "The service connection's environment 'AzureStack' is not a public Azure cloud and its data lacks activeDirectoryAuthority and AzureKeyVaultDnsSuffix. Recreate the connection with the environment's endpoints (Azure Stack Hub: use its ARM endpoint when creating the connection).",
    });
  });

  it('refuses a non-https authority', () => {
    assert.deepEqual(resolveCloud({ activeDirectoryAuthority: 'http://login.example' }), {
      error:
        "The service connection's Entra authority 'http://login.example' must be an https URL.",
    });
  });
});
