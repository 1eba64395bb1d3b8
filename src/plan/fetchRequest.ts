import type { SecretSelection } from '../config/secretsFilter';
import { listingJudge } from '../secrets/listingSelection';
import type { TagCondition } from '../secrets/tags';
import type { FetchRequest } from '../vault/fetchSecrets';

/**
 * What to read for a selection: every exact entry by name (and version), never listing for
 * them; a listing only when a pattern asks for one, reading what the patterns select.
 */
export function fetchRequestFor(
  selection: SecretSelection,
  tags: TagCondition[],
  now: Date,
): FetchRequest {
  const reads = selection.exact.map((e) => ({ name: e.secretName, version: e.version }));
  if (!selection.patterns.some((p) => !p.negated)) return { reads };
  const judge = listingJudge({ patterns: selection.patterns, tags }, now);
  return { reads, fromListing: (secret) => judge(secret).kind === 'selected' };
}
