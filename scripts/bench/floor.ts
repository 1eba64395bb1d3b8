/**
 * The lower bound the network allows for one run, from the latency alone (loopback transit,
 * TLS and CPU counted as free). Pure.
 *
 * Round trips: the vault's 401 challenge, the token request, every list page one after another,
 * and the value GETs at the task's concurrency (ceil(n / concurrency) rounds). Listing and value
 * fetches are added, not overlapped, as the benchmark's issue defines it; a task that fetches
 * values while it pages can beat this figure by up to the fetch rounds (ratio below 1).
 *
 * Under a throttle of `limit` requests per `windowMs` (lists and GETs count, the unauthenticated
 * challenge does not), at least ceil(count / limit) - 1 full windows must pass, and the remainder
 * then goes at network speed; the floor is the larger of that and the network figure.
 */

/** Key Vault's list page size (service default; `maxresults` can only lower it). */
export const KEY_VAULT_PAGE_SIZE = 25;

export interface FloorInput {
  latencyMs: number;
  concurrency: number;
  /** Values to fetch. */
  secrets: number;
  /** True for `*`: the vault is listed first. */
  listed: boolean;
  pageSize?: number;
  throttle?: { limit: number; windowMs: number };
}

export interface Floor {
  roundTrips: number;
  /** List pages the vault serves for `secrets` items: a full last page is followed by an empty
   *  one (test/emulator/paging.ts, as recorded), so floor(n / size) + 1. */
  listPages: number;
  networkMs: number;
  /** Set under a throttle. */
  throttleMs: number | undefined;
  floorMs: number;
}

export function networkFloor(input: FloorInput): Floor {
  const { latencyMs, concurrency, secrets } = input;
  const pageSize = input.pageSize ?? KEY_VAULT_PAGE_SIZE;
  const listPages = input.listed ? Math.floor(secrets / pageSize) + 1 : 0;
  const fetchRounds = Math.ceil(secrets / concurrency);
  const roundTrips = 2 + listPages + fetchRounds;
  const networkMs = roundTrips * latencyMs;
  let throttleMs: number | undefined;
  if (input.throttle) {
    const counted = listPages + secrets;
    const fullWindows = Math.max(0, Math.ceil(counted / input.throttle.limit) - 1);
    const remainder = counted - fullWindows * input.throttle.limit;
    throttleMs =
      fullWindows * input.throttle.windowMs + Math.ceil(remainder / concurrency) * latencyMs;
  }
  return {
    roundTrips,
    listPages,
    networkMs,
    throttleMs,
    floorMs: Math.max(networkMs, throttleMs ?? 0),
  };
}
