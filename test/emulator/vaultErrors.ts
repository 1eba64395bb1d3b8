/**
 * Key Vault error answers, word for word.
 *
 * Texts come from the recordings in test/fixtures/recordings (AKV10000, SecretNotFound,
 * SecretDisabled, BadParameter for outContentType), docs/azure-protocols.md §2 (RBAC, access policy,
 * AKV10022, AKV10032, Throttled) and public issue threads quoting real answers:
 * AKV10032's list of first-party tenants (MicrosoftDocs/azure-docs#75410), "[TokenExpired] Error
 * validating token: 'S2S12086'." (Azure/azure-sdk-for-python#27266), AKV10046
 * (hashicorp/terraform-provider-azurerm#30912), "The request URI contains an invalid name"
 * (aspnet/MicrosoftConfigurationBuilders#22) and "The specified version (…) is not recognized"
 * (Azure/azure-sdk-for-python#28595). Shape: {"error":{"code","message","innererror"?:{"code"}}}.
 */

export interface VaultError {
  status: number;
  body: { error: { code: string; message: string; innererror?: { code: string } } };
}

function error(status: number, code: string, message: string, inner?: string): VaultError {
  return {
    status,
    body: { error: inner ? { code, message, innererror: { code: inner } } : { code, message } },
  };
}

/** Who called, as Key Vault names a caller in its messages. */
export interface CallerIdentity {
  appid: string;
  oid: string;
  iss: string;
}

export interface VaultIdentity {
  name: string;
  region: string;
}

const callerText = (c: CallerIdentity): string => `appid=${c.appid};oid=${c.oid};iss=${c.iss}`;

export const missingToken = (): VaultError =>
  error(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token.');

export const expiredToken = (): VaultError =>
  error(401, 'Unauthorized', "[TokenExpired] Error validating token: 'S2S12086'.");

export const unresolvedSigningKey = (encodedHeader: string): VaultError =>
  error(
    401,
    'Unauthorized',
    `AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${encodedHeader}'.`,
  );

export const invalidAudience = (expected: string, found: string): VaultError =>
  error(401, 'Unauthorized', `AKV10022: Invalid audience. Expected ${expected}, found: ${found}.`);

/** Tenants Key Vault always lists after the vault's own in AKV10032 (Microsoft first-party tenants). */
const FIRST_PARTY_TENANTS = [
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  'e2d54eb5-3869-4f70-8578-dee5fc7331f4',
  '33e01921-4d64-4f8c-a055-5bdaffd5e33d',
  '975f013f-7f24-47e8-a7d3-abc4752bf346',
];

export const invalidIssuer = (vaultTenant: string, found: string): VaultError => {
  const expected = [vaultTenant, ...FIRST_PARTY_TENANTS]
    .map((t) => `https://sts.windows.net/${t}/`)
    .join(', ');
  return error(
    401,
    'Unauthorized',
    `AKV10032: Invalid issuer. Expected one of ${expected}, found ${found}.`,
  );
};

export const secretNotFound = (nameOrId: string): VaultError =>
  error(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );

export const secretDisabled = (operation: string): VaultError =>
  error(
    403,
    'Forbidden',
    `Operation ${operation} is not allowed on a disabled secret.`,
    'SecretDisabled',
  );

export interface RbacDenial {
  caller: CallerIdentity;
  action: string;
  resource: string;
  vault: VaultIdentity;
}

export const forbiddenByRbac = (d: RbacDenial): VaultError =>
  error(
    403,
    'Forbidden',
    'Caller is not authorized to perform action on resource.\r\n' +
      'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n' +
      `Caller: ${callerText(d.caller)}\r\n` +
      `Action: '${d.action}'\r\n` +
      `Resource: '${d.resource}'\r\n` +
      'Assignment: (not found)\r\n' +
      'DenyAssignmentId: null\r\n' +
      "DecisionReason: 'DeniedWithNoValidRBAC' \r\n" +
      `Vault: ${d.vault.name};location=${d.vault.region}\r\n`,
    'ForbiddenByRbac',
  );

export const accessDenied = (
  caller: CallerIdentity,
  permission: string,
  vault: VaultIdentity,
): VaultError =>
  error(
    403,
    'Forbidden',
    `The user, group or application '${callerText(caller)}' does not have secrets ${permission} permission on key vault '${vault.name};location=${vault.region}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    'AccessDenied',
  );

export const throttled = (): VaultError =>
  error(
    429,
    'Throttled',
    'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
  );

export const invalidName = (name: string): VaultError =>
  error(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);

export const unknownApiVersion = (version: string, latest: string): VaultError =>
  error(
    400,
    'BadParameter',
    `The specified version (${version}) is not recognized. Consider using the latest supported version (${latest}).`,
  );

/** Not seen in a recording: the emulator's wording for a request without api-version. */
export const missingApiVersion = (): VaultError =>
  error(
    400,
    'BadParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );

/** Not seen in a recording: the emulator's wording for maxresults outside 1–25. */
export const invalidMaxResults = (value: string): VaultError =>
  error(
    400,
    'BadParameter',
    `Invalid value '${value}' for maxresults: it must be an integer between 1 and 25.`,
  );

/** `outContentType` on a secret that is not certificate-backed ('Unsupported' source), as recorded. */
export const unsupportedTransformation = (
  target: 'PEM' | 'PFX',
  source: 'Unsupported' | 'PEM' = 'Unsupported',
): VaultError =>
  error(
    400,
    'BadParameter',
    `The '${source}' to '${target}' transformation is not supported. Only PFX to PEM transformation is supported.`,
  );

export const badRequestBody = (detail: string): VaultError => error(400, 'BadParameter', detail);

/** Paths and methods the emulator does not implement (deleted secrets, keys, certificates, …). */
export const notEmulated = (method: string, path: string): VaultError =>
  error(404, 'NotFound', `The local Azure emulator does not implement ${method} ${path}.`);
