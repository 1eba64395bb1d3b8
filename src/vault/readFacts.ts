/**
 * What Key Vault's answer to one request says besides its body: the headers a run summary shows
 * per read (learn.microsoft.com, "Azure Key Vault logging" and the REST reference's common
 * response headers). Read from the answer, failed ones included.
 */
export interface ReadFacts {
  /** `x-ms-request-id`: Key Vault's id of the request, for a support case. */
  requestId: string | undefined;
  /** `x-ms-client-request-id`: the id this task sent, `CorrelationId` in the audit log. */
  clientRequestId: string | undefined;
  /** `x-ms-keyvault-rbac-assignment-id`: the role assignment that let the read through (RBAC vaults). */
  rbacAssignmentId: string | undefined;
  /** `x-ms-keyvault-network-info`: how the vault saw the client, e.g. `conn_type=Ipv4;addr=…;`. */
  networkInfo: string | undefined;
}

/** Header values are the service's text: keep short single-line printable ones only. */
function headerValue(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\x21-\x7e]{1,200}$/.test(value) ? value : undefined;
}

/** The facts of an answer from a header getter (core-rest-pipeline's HttpHeaders.get); undefined
 *  when it is not Key Vault's answer (Key Vault always sends x-ms-request-id). */
export function readFactsOf(getHeader: (name: string) => unknown): ReadFacts | undefined {
  const requestId = headerValue(getHeader('x-ms-request-id'));
  if (requestId === undefined) return undefined;
  return {
    requestId,
    clientRequestId: headerValue(getHeader('x-ms-client-request-id')),
    rbacAssignmentId: headerValue(getHeader('x-ms-keyvault-rbac-assignment-id')),
    networkInfo: headerValue(getHeader('x-ms-keyvault-network-info')),
  };
}
