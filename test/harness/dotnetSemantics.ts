/**
 * The few .NET behaviours the agent's command reader depends on, reproduced exactly so the harness
 * is no more lenient than the agent (docs/agent-interface.md §4, §5).
 */

/** Characters `char.IsWhiteSpace` accepts, plus NUL, which `Boolean.TryParse` also trims. */
const DOTNET_TRIM_CHARS =
  '\u0000\u0009\u000A\u000B\u000C\u000D\u0020\u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004' +
  '\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000';

function trimChars(value: string, chars: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value.charAt(start))) start++;
  while (end > start && chars.includes(value.charAt(end - 1))) end--;
  return value.slice(start, end);
}

/**
 * `Boolean.TryParse`: only `true`/`false` in any case, surrounding white space and NULs ignored.
 * `1`, `yes` and the like do not parse (the agent then keeps `false`).
 */
export function tryParseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const trimmed = trimChars(value, DOTNET_TRIM_CHARS).toLowerCase();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  return undefined;
}

/**
 * The agent's `StringUtil.ConvertToBoolean`, used for knobs such as
 * `SYSTEM_UNSAFEALLOWMULTILINESECRET`: `1`, `true`, `$true` (any case) are true; anything else false.
 */
export function convertToBoolean(value: string | undefined): boolean {
  if (!value) return false;
  const lower = value.toLowerCase();
  return lower === '1' || lower === 'true' || lower === '$true';
}

/**
 * Upper-cases one UTF-16 unit at a time, keeping the length, as `StringComparer.OrdinalIgnoreCase`
 * does (JavaScript's `toUpperCase` maps `ß` to `SS`; .NET does not).
 */
export function ordinalUpper(value: string): string {
  let out = '';
  for (const ch of value) {
    const upper = ch.toUpperCase();
    out += upper.length === ch.length ? upper : ch;
  }
  return out;
}

export function equalsOrdinalIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && ordinalUpper(a) === ordinalUpper(b);
}

/**
 * `text.Split(separator, StringSplitOptions.RemoveEmptyEntries)`.
 */
export function splitRemoveEmpty(text: string, separator: string): string[] {
  return text.split(separator).filter((part) => part.length > 0);
}

/**
 * `text.Split(new[] { separator }, count: 2, StringSplitOptions.RemoveEmptyEntries)`.
 *
 * Empty entries before the first non-empty one are dropped, and once the first entry is taken, any
 * separators directly after it are skipped before the remainder becomes the second entry. So
 * `"=k=v"` gives `["k", "v"]`, `"k==v"` gives `["k", "v"]`, `"k=v=w"` gives `["k", "v=w"]`,
 * `"k="` gives `["k"]` and `"kv"` gives `["kv"]`.
 */
export function splitTwoRemoveEmpty(text: string, separator: string): string[] {
  if (text.length === 0) return [];
  if (!text.includes(separator)) return [text];
  let index = 0;
  // Drop leading empty entries (runs of separators).
  let first: string | undefined;
  while (index < text.length) {
    const sep = text.indexOf(separator, index);
    if (sep < 0) break;
    const candidate = text.slice(index, sep);
    index = sep + separator.length;
    if (candidate.length > 0) {
      first = candidate;
      break;
    }
  }
  if (first === undefined) {
    // No separator followed a non-empty entry: whatever is left is the only entry.
    const rest = text.slice(index);
    return rest.length > 0 ? [rest] : [];
  }
  // Skip separators directly after the first entry, as .NET does once count - 1 entries are taken.
  while (text.startsWith(separator, index)) index += separator.length;
  const rest = text.slice(index);
  return rest.length > 0 ? [first, rest] : [first];
}
