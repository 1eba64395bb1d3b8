import { setMaxListeners } from 'node:events';
import type { SecretSelection } from '../config/secretsFilter';
import { errorFacts } from '../errors/errorFacts';
import { classifyProblem, type Problem } from '../errors/classifyProblem';
import { createLimiter } from './limiter';
import { skipReason, type SkipReason } from './secretSelection';
import type { SecretSource } from './secretSource';
import { firstOfEachName } from './uniqueNames';

export interface FetchedSecret {
  name: string;
  value: string;
  expiresOn: Date | undefined;
}

export interface FetchOutcome {
  /** In the order asked for (names) or listed (`*`). */
  secrets: FetchedSecret[];
  skipped: Array<{ name: string; reason: SkipReason }>;
  problems: Problem[];
}

export interface FetchOptions {
  concurrency: number;
  now: Date;
  /** Called with each value the moment it arrives, before anything else sees it (to mask it). */
  onValue: (value: string) => void;
  /** Aborts every request in flight (job cancelled, deadline reached). */
  signal?: AbortSignal;
}

/**
 * Reads the selected secrets. The first request runs alone so that the vault's authentication
 * challenge and the token are settled once, not by every concurrent first request. A vault-wide
 * problem (sign-in, network, firewall) stops the run: more requests would only repeat it.
 */
export async function fetchSecrets(
  source: SecretSource,
  selection: SecretSelection,
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
  const order: string[] = [];
  const skipped: FetchOutcome['skipped'] = [];
  const problems: Problem[] = [];
  let vaultProblem: Problem | undefined;

  const fail = (error: unknown, secretName: string | undefined): void => {
    const problem = classifyProblem(errorFacts(error), secretName);
    if (problem.vaultWide) {
      if (!vaultProblem) {
        vaultProblem = problem;
        stop.abort();
      }
      return;
    }
    problems.push(problem);
  };

  const fetchOne = async (name: string): Promise<void> => {
    if (stop.signal.aborted) return;
    try {
      const secret = await source.get(name, stop.signal);
      options.onValue(secret.value);
      found.set(name, { name, value: secret.value, expiresOn: secret.expiresOn });
    } catch (error) {
      // Once stopped, every request in flight fails the same way: the stop reason says why.
      if (!stop.signal.aborted) fail(error, name);
    }
  };

  const pending: Array<Promise<void>> = [];
  const schedule = (name: string, alone: boolean): Promise<void> => {
    order.push(name);
    const run = limit(() => fetchOne(name));
    if (!alone) pending.push(run);
    return run;
  };

  try {
    if (selection.kind === 'named') {
      const [first, ...rest] = selection.names;
      if (first !== undefined) await schedule(first, true);
      for (const name of rest) if (!vaultProblem) void schedule(name, false);
    } else {
      // Value fetches start as each page arrives, overlapping the sequential paging.
      const isNew = firstOfEachName();
      try {
        for await (const page of source.listPages(stop.signal)) {
          // A stopped run reads no further page, whatever the pager does with the signal.
          if (stop.signal.aborted) break;
          for (const secret of page) {
            if (!isNew(secret.name)) continue;
            const reason = skipReason(secret, options.now);
            if (reason) skipped.push({ name: secret.name, reason });
            else void schedule(secret.name, false);
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
  return {
    secrets: order.flatMap((name) => {
      const secret = found.get(name);
      return secret ? [secret] : [];
    }),
    skipped,
    // Completion order depends on timing; report in the order the secrets were asked for.
    problems: [
      ...(vaultProblem ? [vaultProblem] : []),
      ...problems.sort(
        (a, b) => order.indexOf(a.secretName ?? '') - order.indexOf(b.secretName ?? ''),
      ),
    ],
  };
}
