import type { ProxySettings } from '@azure/core-rest-pipeline';
import type { CloudSettings } from '../config/cloud';

/** What every credential needs besides the connection: where Entra is and how to reach it. */
export interface CredentialContext {
  cloud: CloudSettings;
  /** Proxy for the authority host, from the agent's proxy settings; undefined when direct. */
  authorityProxy: ProxySettings | undefined;
}

/** Entra hosts MSAL knows; any other authority (Azure Stack Hub, AD FS) skips instance discovery,
 * which would otherwise call login.microsoftonline.com (azure-wire.md §3). */
const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.windows.net',
  'login.partner.microsoftonline.cn',
]);

/** Options shared by the Entra-backed credentials. */
export function entraOptions(context: CredentialContext): {
  authorityHost: string;
  proxyOptions?: ProxySettings;
  disableInstanceDiscovery: boolean;
} {
  const host = new URL(context.cloud.authorityHost).hostname.toLowerCase();
  return {
    authorityHost: context.cloud.authorityHost,
    ...(context.authorityProxy ? { proxyOptions: context.authorityProxy } : {}),
    disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(host),
  };
}
