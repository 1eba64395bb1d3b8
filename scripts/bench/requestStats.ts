/** What one run asked of the emulator, counted from its request log. Pure. */
import type { RecordedRequest, RecordedTunnel } from '../../test/emulator';

export interface RequestStats {
  /** Access tokens asked for (Entra client credentials, OIDC, managed identity). */
  tokens: number;
  /** Vault requests sent without a token, answered with the 401 challenge. */
  challenges: number;
  /** `GET /secrets` pages (429s included). */
  listPages: number;
  /** `GET /secrets/<name>[/<version>]` (429s included). */
  valueGets: number;
  /** Answers with status 429, of any kind. */
  throttled: number;
  /** Anything else (metadata, discovery), by kind. */
  other: Record<string, number>;
  total: number;
  /** Distinct TLS connections the requests came on (`connectionId`). */
  connections: number;
  /** CONNECT tunnels the proxy opened (status 200), and all it was asked for. */
  tunnels: number;
  tunnelRequests: number;
  /** Distinct connections per host. */
  connectionsByHost: Record<string, number>;
}

const TOKEN_KINDS = new Set(['entra.token', 'oidc.token', 'mi.token']);
const VALUE_KINDS = new Set(['kv.get', 'kv.getVersion']);

export function summarizeRequests(
  requests: readonly RecordedRequest[],
  tunnels: readonly RecordedTunnel[],
): RequestStats {
  const stats: RequestStats = {
    tokens: 0,
    challenges: 0,
    listPages: 0,
    valueGets: 0,
    throttled: 0,
    other: {},
    total: requests.length,
    connections: 0,
    tunnels: tunnels.filter((t) => t.status === 200).length,
    tunnelRequests: tunnels.length,
    connectionsByHost: {},
  };
  const connections = new Set<number>();
  const byHost = new Map<string, Set<number>>();
  for (const request of requests) {
    if (TOKEN_KINDS.has(request.kind)) stats.tokens += 1;
    else if (request.kind === 'kv.challenge') stats.challenges += 1;
    else if (request.kind === 'kv.list') stats.listPages += 1;
    else if (VALUE_KINDS.has(request.kind)) stats.valueGets += 1;
    else stats.other[request.kind] = (stats.other[request.kind] ?? 0) + 1;
    if (request.status === 429) stats.throttled += 1;
    connections.add(request.connectionId);
    const ids = byHost.get(request.host) ?? new Set<number>();
    ids.add(request.connectionId);
    byHost.set(request.host, ids);
  }
  stats.connections = connections.size;
  stats.connectionsByHost = Object.fromEntries(
    [...byHost].sort(([a], [b]) => a.localeCompare(b)).map(([host, ids]) => [host, ids.size]),
  );
  return stats;
}
