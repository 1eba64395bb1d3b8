/** Where a connection's cloud lives: its Entra authority and its Key Vault DNS suffix. */
export interface CloudSettings {
  /** e.g. "AzureCloud" (as the connection names it). */
  environment: string;
  /** Entra authority host as an https URL without trailing slash, e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Key Vault DNS suffix, e.g. "vault.azure.net". */
  keyVaultDnsSuffix: string;
  /** Token audience of Key Vault in this cloud, e.g. https://vault.azure.net */
  keyVaultResource: string;
}

/** Public defaults of the sovereign clouds (Microsoft Learn "National clouds" pages). */
const KNOWN_CLOUDS: Record<string, Omit<CloudSettings, 'environment'>> = {
  azurecloud: {
    authorityHost: 'https://login.microsoftonline.com',
    keyVaultDnsSuffix: 'vault.azure.net',
    keyVaultResource: 'https://vault.azure.net',
  },
  azureusgovernment: {
    authorityHost: 'https://login.microsoftonline.us',
    keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
    keyVaultResource: 'https://vault.usgovcloudapi.net',
  },
  azurechinacloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    keyVaultDnsSuffix: 'vault.azure.cn',
    keyVaultResource: 'https://vault.azure.cn',
  },
  azuregermancloud: {
    authorityHost: 'https://login.microsoftonline.de',
    keyVaultDnsSuffix: 'vault.microsoftazure.de',
    keyVaultResource: 'https://vault.microsoftazure.de',
  },
};

function trimUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

function pick(data: Record<string, string>, key: string): string | undefined {
  const found = Object.keys(data).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = found === undefined ? undefined : data[found]?.trim();
  return value ? value : undefined;
}

/**
 * Resolves the cloud from endpoint data. Values the connection carries win over the defaults of its
 * environment; an unknown environment (Azure Stack Hub) must carry its own authority and suffix.
 * Returns an error message instead of settings when that is not the case.
 */
export function resolveCloud(data: Record<string, string>): CloudSettings | { error: string } {
  const environment = pick(data, 'environment') ?? 'AzureCloud';
  const defaults = KNOWN_CLOUDS[environment.toLowerCase()];
  const authority = pick(data, 'activeDirectoryAuthority') ?? pick(data, 'environmentAuthorityUrl');
  const suffix = pick(data, 'AzureKeyVaultDnsSuffix')?.replace(/^\.+/, '');
  const resource = pick(data, 'AzureKeyVaultServiceEndpointResourceId');

  const authorityHost = authority ? trimUrl(authority) : defaults?.authorityHost;
  const keyVaultDnsSuffix = suffix ?? defaults?.keyVaultDnsSuffix;
  if (!authorityHost || !keyVaultDnsSuffix) {
    const missing = [
      authorityHost ? undefined : 'activeDirectoryAuthority',
      keyVaultDnsSuffix ? undefined : 'AzureKeyVaultDnsSuffix',
    ].filter(Boolean);
    return {
      error: `The service connection's environment '${environment}' is not a public Azure cloud and its data lacks ${missing.join(' and ')}. Recreate the connection with the environment's endpoints (Azure Stack Hub: use its ARM endpoint when creating the connection).`,
    };
  }
  if (!/^https:\/\//i.test(authorityHost)) {
    return {
      error: `The service connection's Entra authority '${authorityHost}' must be an https URL.`,
    };
  }
  return {
    environment,
    authorityHost,
    keyVaultDnsSuffix,
    keyVaultResource: resource ? trimUrl(resource) : `https://${keyVaultDnsSuffix}`,
  };
}
