import { originOf } from '../net/vaultOriginPolicy';

/**
 * Pages a listing may take. Key Vault pages hold up to 25 items and may come empty; 10,000 pages
 * is far beyond any real vault's listing, and still stops a listing that never ends in minutes.
 */
export const MAX_PAGES = 10_000;

/** A listing that did not end the way Key Vault's listings do. */
export class PagingError extends Error {
  constructor(
    /** What classifyProblem reads. */
    readonly code: 'PAGING_LOOP' | 'PAGING_LIMIT',
    readonly pages: number,
  ) {
    super(
      code === 'PAGING_LOOP'
        ? `The vault's listing pointed back at a page it had already sent (after ${pages} pages).`
        : `The vault's listing went on past ${pages} pages.`,
    );
    this.name = 'PagingError';
  }
}

export type NextLinkVerdict =
  | { ok: true }
  | { ok: false; reason: 'foreign-origin'; origin: string }
  | { ok: false; reason: 'loop' | 'limit' };

/**
 * Decides, before it is requested, whether a list page's `nextLink` may be followed: it must point
 * at the vault's own origin (the request carries the vault's bearer token), must not have been seen
 * before (a link that repeats pages forever), and the listing must stay within `maxPages`.
 * Pure apart from the links it remembers; one guard per listing.
 */
export function createPageGuard(
  vaultUrl: string,
  maxPages = MAX_PAGES,
): { accept(nextLink: string): NextLinkVerdict; readonly pages: number } {
  const vaultOrigin = originOf(vaultUrl);
  const seen = new Set<string>();
  let pages = 1; // the first page, requested without a link
  return {
    get pages(): number {
      return pages;
    },
    accept(nextLink): NextLinkVerdict {
      const origin = originOf(nextLink);
      if (origin === undefined || origin !== vaultOrigin) {
        return { ok: false, reason: 'foreign-origin', origin: origin ?? '(not a URL)' };
      }
      // Compared as URLs: the vault writes `:443` explicitly, and it may or may not repeat it.
      const key = new URL(nextLink).href;
      if (seen.has(key)) return { ok: false, reason: 'loop' };
      if (pages >= maxPages) return { ok: false, reason: 'limit' };
      seen.add(key);
      pages += 1;
      return { ok: true };
    },
  };
}
