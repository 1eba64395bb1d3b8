/**
 * A minimal in-process HTTPS client for the emulator's own tests: it connects to the front door
 * directly (directUrl), sends the real host name as SNI and Host, and trusts only the emulator CA,
 * so it works whether or not this process was started with NODE_EXTRA_CA_CERTS.
 */
import { request as httpsRequest, type Agent } from 'node:https';
import type { AzureEmulator } from './types';

export interface CallOptions {
  host: string;
  method?: string;
  /** Path and query, e.g. "/secrets/x/?api%2Dversion=2025-07-01". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  agent?: Agent;
}

export interface CallResult {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  /** Parsed body, or undefined when empty or not JSON. */
  json: unknown;
}

export function call(emulator: AzureEmulator, options: CallOptions): Promise<CallResult> {
  const direct = new URL(emulator.directUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: direct.hostname,
        port: Number(direct.port),
        servername: options.host,
        method: options.method ?? 'GET',
        path: options.path,
        ca: emulator.caCertPem,
        headers: { host: options.host, ...options.headers },
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Client-credentials token from the emulated Entra ID (what MSAL would POST). */
export async function getToken(
  emulator: AzureEmulator,
  tenantId: string,
  clientId: string,
  clientSecret: string,
  scope = 'https://vault.azure.net/.default',
  authorityHost = 'login.microsoftonline.com',
): Promise<string> {
  const result = await call(emulator, {
    host: authorityHost,
    method: 'POST',
    path: `/${tenantId}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      scope,
      grant_type: 'client_credentials',
    }).toString(),
  });
  const token = (result.json as { access_token?: string } | undefined)?.access_token;
  if (result.status !== 200 || !token)
    throw new Error(`Token request failed: ${result.status} ${result.text}`);
  return token;
}
