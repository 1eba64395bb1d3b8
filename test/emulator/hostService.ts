/**
 * The contract between the HTTPS front door (server.ts) and the services behind each host name
 * (a vault, an Entra authority). The front door owns TLS, routing, latency, faults and the request
 * log; a service only turns one parsed request into one reply.
 */

/** One request, read completely, as a service sees it. */
export interface IncomingCall {
  /** Routed host name: lower-case, without port. */
  host: string;
  /** The Host header exactly as sent (may carry a port); echoed in ids and links. */
  hostHeader: string;
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  /** Decoded query parameters (URLSearchParams, so `api%2Dversion` reads as `api-version`). */
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  /** Peer address as Key Vault reports it in x-ms-keyvault-network-info (IPv4 without ::ffff:). */
  clientAddress: string;
  connectionId: number;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Serialised body; omitted for none. */
  body?: string;
  /** appId of an authenticated caller, for the request log. */
  caller?: string;
}

export interface HostService {
  /** What the request is (RecordedRequest.kind); fault rules match on it before `handle` runs. */
  classify(call: IncomingCall): string;
  /** A promise where the answer takes work the service does off the event loop (e.g. WebCrypto). */
  handle(call: IncomingCall, kind: string): Reply | Promise<Reply>;
  /** Headers the service puts on every answer (used for fault replies too), e.g. Key Vault's fixed set. */
  baseHeaders(call: IncomingCall): Record<string, string>;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A JSON reply; JSON.stringify keeps insertion order, which is how bodies get the service's key order. */
export function jsonReply(status: number, headers: Record<string, string>, body: unknown): Reply {
  return {
    status,
    headers: { ...headers, 'Content-Type': JSON_CONTENT_TYPE },
    body: JSON.stringify(body),
  };
}
