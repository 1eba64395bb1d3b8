import type { CloudSettings } from '../config/cloud';
import type { PipelineOptions } from '../net/pipelineOptions';

/** What every credential needs besides the connection: where Entra is and how to reach it. */
export interface CredentialContext {
  cloud: CloudSettings;
  /** The run's shared HTTP policies (proxy, connections, retries, timeouts). */
  pipeline: PipelineOptions;
  /** Registers a credential the sign-in received with the agent's masker. */
  mask?: (value: string) => void;
}

/** Entra hosts MSAL knows; any other authority (Azure Stack Hub, AD FS) skips instance discovery,
 * which would otherwise call login.microsoftonline.com (docs/azure-protocols.md §3). */
const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.windows.net',
  'login.partner.microsoftonline.cn',
]);

/** Options shared by the Entra-backed credentials. */
export function entraOptions(
  context: CredentialContext,
): PipelineOptions & { authorityHost: string; disableInstanceDiscovery: boolean } {
  const host = new URL(context.cloud.authorityHost).hostname.toLowerCase();
  return {
    ...context.pipeline,
    authorityHost: context.cloud.authorityHost,
    disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(host),
  };
}
