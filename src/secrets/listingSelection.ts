import type { PatternEntry } from '../config/secretsFilter';
import type { SecretProperties } from '../vault/secretSource';
import { globMatcher } from './glob';
import { matchesTags, type TagCondition } from './tags';
import { skipReason, type SkipReason } from './validity';

/** What the patterns make of one listed secret. */
export type ListingVerdict =
  { kind: 'selected' } | { kind: 'skipped'; reason: SkipReason } | { kind: 'unmatched' };

export interface ListingRules {
  patterns: PatternEntry[];
  tags: TagCondition[];
}

/**
 * Judges listed secrets against the patterns: a secret is selected when a pattern matches its
 * name, no negation does, and its tags match every tag condition; then, if it cannot be used now
 * (disabled, expired, not yet valid), it is skipped. The same function decides what the fetch
 * reads and what the plan sets, so the two never disagree.
 */
export function listingJudge(
  rules: ListingRules,
  now: Date,
): (secret: SecretProperties) => ListingVerdict {
  const include = rules.patterns.filter((p) => !p.negated).map((p) => globMatcher(p.glob));
  const exclude = rules.patterns.filter((p) => p.negated).map((p) => globMatcher(p.glob));
  return (secret) => {
    if (!include.some((matches) => matches(secret.name))) return { kind: 'unmatched' };
    if (exclude.some((matches) => matches(secret.name))) return { kind: 'unmatched' };
    if (!matchesTags(secret.tags, rules.tags)) return { kind: 'unmatched' };
    const reason = skipReason(secret, now);
    return reason ? { kind: 'skipped', reason } : { kind: 'selected' };
  };
}
