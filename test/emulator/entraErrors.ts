/**
 * Entra ID (AADSTS) error answers of the token endpoint, in the service's body shape:
 * {"error","error_description","error_codes","timestamp","trace_id","correlation_id","error_uri"},
 * with "Trace ID / Correlation ID / Timestamp" appended to the description after CRLFs
 * (azure-wire.md §3 "Errors"; texts as quoted in public issue threads, e.g.
 * OfficeDev/microsoft-365-agents-toolkit#8621 for 7000215, Budibase/budibase#15843 for 7000222).
 */
import { randomUUID } from 'node:crypto';

export interface EntraError {
  status: number;
  error: string;
  /** AADSTS number; undefined for the emulator's own "not implemented" answers. */
  code?: number;
  text: string;
}

export interface ErrorContext {
  now: Date;
  correlationId: string;
  authorityHost: string;
}

/** `2024-05-01 12:34:56Z`, the form Entra uses in `timestamp` and the description. */
export function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function entraErrorBody(e: EntraError, ctx: ErrorContext): Record<string, unknown> {
  const traceId = randomUUID();
  const timestamp = entraTimestamp(ctx.now);
  const prefix = e.code === undefined ? '' : `AADSTS${e.code}: `;
  return {
    error: e.error,
    error_description: `${prefix}${e.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${ctx.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: e.code === undefined ? [] : [e.code],
    timestamp,
    trace_id: traceId,
    correlation_id: ctx.correlationId,
    ...(e.code !== undefined && { error_uri: `https://${ctx.authorityHost}/error?code=${e.code}` }),
  };
}

export const tenantNotFound = (tenant: string): EntraError => ({
  status: 400,
  error: 'invalid_request',
  code: 90002,
  text: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
});

export const applicationNotFound = (appId: string, tenant: string): EntraError => ({
  status: 400,
  error: 'unauthorized_client',
  code: 700016,
  text: `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
});

export const invalidClientSecret = (appId: string): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 7000215,
  text: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
});

export const expiredClientSecret = (appId: string): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 7000222,
  text: `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
});

export const missingClientCredential = (): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 7000218,
  text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
});

export const missingParameter = (name: string): EntraError => ({
  status: 400,
  error: 'invalid_request',
  code: 900144,
  text: `The request body must contain the following parameter: '${name}'.`,
});

export const unsupportedGrantType = (grantType: string): EntraError => ({
  status: 400,
  error: 'unsupported_grant_type',
  code: 70003,
  text: `The app requested an unsupported grant type '${grantType}'.`,
});

export const invalidScope = (scope: string): EntraError => ({
  status: 400,
  error: 'invalid_scope',
  code: 1002012,
  text: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
});

export const invalidInstance = (): EntraError => ({
  status: 400,
  error: 'invalid_instance',
  code: 50049,
  text: 'Unknown or invalid instance.',
});

/** The emulator's own answer for credential kinds not emulated yet; no AADSTS code on purpose. */
export const notEmulated = (what: string): EntraError => ({
  status: 400,
  error: 'invalid_request',
  text: `The local Azure emulator does not verify ${what} yet (see test/emulator/clientAuth.ts).`,
});
