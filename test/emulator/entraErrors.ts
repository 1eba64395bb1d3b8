/**
 * Entra ID (AADSTS) error answers of the token endpoint, in the service's body shape:
 * {"error","error_description","error_codes","timestamp","trace_id","correlation_id","error_uri"},
 * with "Trace ID / Correlation ID / Timestamp" appended to the description after CRLFs
 * (docs/azure-protocols.md §3 "Errors"; texts as quoted in public issue threads, e.g.
 * OfficeDev/microsoft-365-agents-toolkit#8621 for 7000215, Budibase/budibase#15843 for 7000222).
 */
import { randomUUID } from 'node:crypto';

export interface EntraError {
  status: number;
  error: string;
  /** AADSTS number; undefined for the emulator's own answers (no real counterpart known). */
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

// --- Client assertions (certificate and federated) ------------------------------------------
// Texts as quoted in public threads and SDK troubleshooting guides: 700027 (unknown key: a Go test
// fixture quoting the service; failed signature: Learn / MSAL threads), 700024 (az CLI and MSAL.NET
// issue threads), 700021 / 700023 / 50027 (Azure SDK for Java TROUBLESHOOTING), 70021 / 700213
// (docs/azure-protocols.md §3; the trailing Learn link as in GitHub Actions logs). 700212 follows 700213's
// pattern and 50013 for a federated token the issuer did not sign is the emulator's choice.

const CERTIFICATE_CREDENTIALS_DOC =
  'https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials';
const WORKLOAD_IDENTITY_DOC =
  'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

export const malformedAssertion = (): EntraError => ({
  status: 400,
  error: 'invalid_request',
  code: 50027,
  text: 'JWT token is invalid or malformed.',
});

/** The emulator's own answer for an assertion type other than jwt-bearer; no AADSTS code. */
export const unsupportedAssertionType = (type: string): EntraError => ({
  status: 400,
  error: 'invalid_request',
  text: `The local Azure emulator only accepts client_assertion_type 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', not '${type}'.`,
});

export const certificateNotRegistered = (thumbprint: string, appId: string): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 700027,
  text: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/api/application-addkey for more information.]`,
});

export const assertionSignatureInvalid = (
  thumbprint: string,
  validFrom: Date,
  validTo: Date,
): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 700027,
  text: `Client assertion failed signature validation. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${keyDate(validFrom)}, End=${keyDate(validTo)}']`,
});

export const assertionClientMismatch = (): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 700021,
  text: `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at ${CERTIFICATE_CREDENTIALS_DOC} .`,
});

export const assertionAudienceMismatch = (): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 700023,
  text: `Client assertion audience claim does not match Realm issuer. Review the documentation at ${CERTIFICATE_CREDENTIALS_DOC} .`,
});

/** Times in seconds since the epoch; a missing claim reads as the epoch, as the service prints it. */
export const assertionOutsideTimeRange = (
  now: Date,
  nbf: number | undefined,
  exp: number | undefined,
): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 700024,
  text: `Client assertion is not within its valid time range. Current time: ${ticks(now)}, assertion valid from ${ticks(new Date((nbf ?? 0) * 1000))}, expiry time of assertion ${ticks(new Date((exp ?? 0) * 1000))}. Review the documentation at ${CERTIFICATE_CREDENTIALS_DOC} .`,
});

export const federatedNoMatch = (
  issuer: string,
  subject: string,
  audience: string,
): EntraError => ({
  status: 400,
  error: 'invalid_request',
  code: 70021,
  text: `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. ${WORKLOAD_IDENTITY_DOC}`,
});

export const federatedSubjectMismatch = (subject: string): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 700213,
  text: `No matching federated identity record found for presented assertion subject '${subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WORKLOAD_IDENTITY_DOC}`,
});

export const federatedAudienceMismatch = (audience: string): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 700212,
  text: `No matching federated identity record found for presented assertion audience '${audience}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WORKLOAD_IDENTITY_DOC}`,
});

export const federatedSignatureInvalid = (keyId: string): EntraError => ({
  status: 401,
  error: 'invalid_client',
  code: 50013,
  text: `Assertion failed signature validation. [Reason - The key was not found., Key ID: '${keyId}']`,
});

/** `2023-05-30T05:19:20.3135329Z`: .NET round-trip form with seven fractional digits. */
function ticks(date: Date): string {
  return `${date.toISOString().slice(0, 23)}0000Z`;
}

/** `06/29/2021 21:13:15`, as key validity appears in 700027 texts. */
function keyDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}
