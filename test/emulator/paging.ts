/**
 * Key Vault list paging: an opaque `$skiptoken` that carries a marker (the last key returned) and
 * the number of empty-but-continued pages still to emit (docs/azure-protocols.md §2 "Paging").
 *
 * A full page always gets a nextLink, even when nothing follows; the next page is then
 * `{"value":[],"nextLink":null}`. That is what the recordings show at the end of a
 * maxresults=1 listing, and clients must follow links until null anyway.
 */

interface SkipToken {
  NextMarker: string;
  EmptyPages: number;
}

export interface PageRequest {
  /** `$skiptoken` from the query, if any. */
  skipToken?: string;
  pageSize: number;
  /** Empty pages to emit before the first item page (only read on the first request). */
  leadingEmptyPages: number;
}

export type PageResult<T> =
  { ok: true; items: T[]; nextToken: string | null } | { ok: false; reason: string };

export function encodeSkipToken(token: SkipToken): string {
  // base64url: the token goes into nextLink unescaped, as the service's own base64 tokens do.
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeSkipToken(raw: string): SkipToken | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<SkipToken>;
    if (typeof parsed.NextMarker === 'string' && Number.isInteger(parsed.EmptyPages)) {
      return { NextMarker: parsed.NextMarker, EmptyPages: parsed.EmptyPages as number };
    }
  } catch {
    // fall through: not one of ours
  }
  return undefined;
}

/** One page of `sorted` (ascending by `keyOf`, compared lower-cased). */
export function takePage<T>(
  sorted: T[],
  keyOf: (item: T) => string,
  request: PageRequest,
): PageResult<T> {
  let state: SkipToken = { NextMarker: '', EmptyPages: request.leadingEmptyPages };
  if (request.skipToken !== undefined) {
    const decoded = decodeSkipToken(request.skipToken);
    if (!decoded) return { ok: false, reason: `Invalid $skiptoken '${request.skipToken}'.` };
    state = decoded;
  }
  if (state.EmptyPages > 0) {
    return {
      ok: true,
      items: [],
      nextToken: encodeSkipToken({ ...state, EmptyPages: state.EmptyPages - 1 }),
    };
  }
  const marker = state.NextMarker.toLowerCase();
  const remaining =
    marker === '' ? sorted : sorted.filter((item) => keyOf(item).toLowerCase() > marker);
  const items = remaining.slice(0, request.pageSize);
  const last = items[items.length - 1];
  const nextToken =
    items.length === request.pageSize && last !== undefined
      ? encodeSkipToken({ NextMarker: keyOf(last), EmptyPages: 0 })
      : null;
  return { ok: true, items, nextToken };
}
