import { setMaxListeners } from 'node:events';
import { errorFacts } from '../errors/errorFacts';
import { classifyProblem, type Problem } from '../errors/classifyProblem';
import { createLimiter } from './limiter';
import type { SecretProperties, SecretSource } from './secretSource';
import { firstOfEachName } from './uniqueNames';

/** One read: the current version of a secret, or the version named. */
export interface SecretRead {
  name: string;
  version: string | undefined;
}

/** Names and version ids ignore case in Key Vault: one key per distinct read. */
export function readKey(read: SecretRead): string {
  return `${read.name.toLowerCase()}/${read.version?.toLowerCase() ?? ''}`;
}

/** How a read is named in messages: `name`, or `name/version`. */
export function readLabel(read: SecretRead): string {
  return read.version === undefined ? read.name : `${read.name}/${read.version}`;
}

export interface FetchRequest {
  /** Reads asked for by name, in order; a repeated read is made once. */
  reads: SecretRead[];
  /**
   * When set, the vault is listed once and every listed secret this keeps is read (its current
   * version), unless `reads` already reads it.
   */
  fromListing?: (secret: SecretProperties) => boolean;
}

export interface FetchedSecret {
  read: SecretRead;
  value: string;
  properties: SecretProperties;
}

export interface ReadFailure {
  read: SecretRead;
  /** `secretName` is the read's label. */
  problem: Problem;
}

export interface FetchOutcome {
  /** In the order of `reads`, then the listed ones in listing order. */
  secrets: FetchedSecret[];
  /** Reads that failed for a reason of their own, in the same order. */
  failures: ReadFailure[];
  /** Every secret the listing returned, when the vault was listed. */
  listed: SecretProperties[] | undefined;
  /** A vault-wide problem or a failed listing: the run cannot go on. */
  problems: Problem[];
}

export interface FetchOptions {
  concurrency: number;
  /** Called with each value the moment it arrives, before anything else sees it (to mask it). */
  onValue: (value: string) => void;
  /** Aborts every request in flight (job cancelled, deadline reached). */
  signal?: AbortSignal;
}

/**
 * Reads the requested secrets. The first request runs alone so that the vault's authentication
 * challenge and the token are settled once, not by every concurrent first request. A vault-wide
 * problem (sign-in, network, firewall) stops the run: more requests would only repeat it.
 */
export async function fetchSecrets(
  source: SecretSource,
  request: FetchRequest,
  options: FetchOptions,
): Promise<FetchOutcome> {
  const stop = new AbortController();
  // Every request in flight listens on this signal: more than Node's default warning level of 10.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) stop.abort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const limit = createLimiter(Math.max(1, options.concurrency));
  const found = new Map<string, FetchedSecret>();
  const failed = new Map<string, ReadFailure>();
  /** Keys of the reads scheduled, in order. */
  const order: string[] = [];
  const scheduled = new Set<string>();
  const problems: Problem[] = [];
  let listed: SecretProperties[] | undefined;
  let vaultProblem: Problem | undefined;

  const fail = (error: unknown, read: SecretRead | undefined): void => {
    const problem = classifyProblem(errorFacts(error), read && readLabel(read));
    if (problem.vaultWide) {
      if (!vaultProblem) {
        vaultProblem = problem;
        stop.abort();
      }
      return;
    }
    if (read) failed.set(readKey(read), { read, problem });
    else problems.push(problem);
  };

  const fetchOne = async (read: SecretRead, key: string): Promise<void> => {
    if (stop.signal.aborted) return;
    try {
      const secret = await source.get(read.name, read.version, stop.signal);
      options.onValue(secret.value);
      found.set(key, { read, value: secret.value, properties: secret.properties });
    } catch (error) {
      // Once stopped, every request in flight fails the same way: the stop reason says why.
      if (!stop.signal.aborted) fail(error, read);
    }
  };

  const pending: Array<Promise<void>> = [];
  /** Schedules a read unless it is scheduled already; resolves when it is done. */
  const schedule = (read: SecretRead, alone: boolean): Promise<void> | undefined => {
    const key = readKey(read);
    if (scheduled.has(key)) return undefined;
    scheduled.add(key);
    order.push(key);
    const run = limit(() => fetchOne(read, key));
    if (!alone) pending.push(run);
    return run;
  };

  try {
    const [first, ...rest] = request.reads;
    if (first !== undefined) await schedule(first, true);
    for (const read of rest) if (!vaultProblem) void schedule(read, false);
    if (request.fromListing && !vaultProblem) {
      const keep = request.fromListing;
      listed = [];
      // Value fetches start as each page arrives, overlapping the sequential paging.
      const isNew = firstOfEachName();
      try {
        for await (const page of source.listPages(stop.signal)) {
          // A stopped run reads no further page, whatever the pager does with the signal.
          if (stop.signal.aborted) break;
          for (const secret of page) {
            // A listing that repeats a name (in any case) lists that secret once.
            if (!isNew(secret.name)) continue;
            listed.push(secret);
            if (keep(secret)) void schedule({ name: secret.name, version: undefined }, false);
          }
          if (vaultProblem) break;
        }
      } catch (error) {
        if (!stop.signal.aborted) fail(error, undefined);
      }
    }
    await Promise.all(pending);
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
  }

  if (options.signal?.aborted && !vaultProblem) {
    const reason: unknown = options.signal.reason;
    fail(
      reason instanceof Error
        ? reason
        : Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }),
      undefined,
    );
  }
  // Completion order depends on timing; report in the order the reads were asked for.
  const inOrder = <T>(map: Map<string, T>): T[] => {
    const items: T[] = [];
    for (const key of order) {
      const item = map.get(key);
      if (item !== undefined) items.push(item);
    }
    return items;
  };
  return {
    secrets: inOrder(found),
    failures: inOrder(failed),
    listed,
    problems: [...(vaultProblem ? [vaultProblem] : []), ...problems],
  };
}
