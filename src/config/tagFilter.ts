import type { TagCondition } from '../secrets/tags';
import { quote } from '../report/safeText';

/** Parses `TagFilter`: comma-separated `key=value` (that value) or `key` (the tag is present). */
export function parseTagFilter(
  raw: string | undefined,
): { tags: TagCondition[] } | { errors: string[] } {
  const tags: TagCondition[] = [];
  const errors: string[] = [];
  for (const entry of (raw ?? '').split(/,|\r\n|\r|\n/)) {
    const text = entry.trim();
    if (text === '') continue;
    const equals = text.indexOf('=');
    const key = (equals >= 0 ? text.slice(0, equals) : text).trim();
    const value = equals >= 0 ? text.slice(equals + 1).trim() : undefined;
    if (key === '') {
      errors.push(
        `TagFilter entry ${quote(text)} has no tag name. Write key=value (that value) or key (the tag is present), separated by commas.`,
      );
      continue;
    }
    tags.push({ key, value });
  }
  return errors.length > 0 ? { errors } : { tags };
}
