/**
 * The agent's legacy secret masker (agent-contract.md §6; `SecretMasker` in
 * Microsoft.TeamFoundation.DistributedTask.Logging as set up by `HostContext.CreateSecretMasker`).
 *
 * - A value is added whole, plus exactly three encoded forms: JSON string escape, URI data escape,
 *   backslash-escape. No base64 for run-time secrets.
 * - One regex: the password in `scheme://user:pass@host`.
 * - `maskSecrets` is applied by the caller to one message at a time (the agent masks each output
 *   line on its own, so a value containing a newline never matches process output).
 * - Every occurrence of every value (overlapping ones included) is located, the ranges are merged
 *   when they overlap or touch, and each merged range becomes `***`. That is what makes a long value
 *   win over a shorter one inside it ("longest first").
 */

export type ValueEncoder = (value: string) => string;

/**
 * Newtonsoft `JsonConvert.ToString(value)` without the surrounding quotes: escapes `"`, `\`,
 * control characters (`\b \f \n \r \t` by name, others as `\u00xx`) and U+0085, U+2028, U+2029.
 * Other non-ASCII characters stay as they are.
 */
export const jsonStringEscape: ValueEncoder = (value) => {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\u0085':
      case '\u2028':
      case '\u2029':
        out += '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
        break;
      default:
        out +=
          ch.charCodeAt(0) < 0x20 ? '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0') : ch;
    }
  }
  return out;
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `Uri.EscapeDataString`: everything but the RFC 3986 unreserved set (`A-Z a-z 0-9 - _ . ~`) is
 * percent-encoded as UTF-8 with upper-case hex; lone surrogates become U+FFFD.
 */
export const uriDataEscape: ValueEncoder = (value) =>
  encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase(),
  );

/** The agent's `BackslashEscape`: the form with `\\`, `\'`, `\"` and `\t` unescaped. */
export const backslashEscape: ValueEncoder = (value) =>
  value.replace(/\\\\/g, '\\').replace(/\\'/g, "'").replace(/\\"/g, '"').replace(/\\t/g, '\t');

export const AGENT_VALUE_ENCODERS: readonly ValueEncoder[] = [
  jsonStringEscape,
  uriDataEscape,
  backslashEscape,
];

// AdditionalMaskingRegexes.UrlSecretPattern. .NET `\w` covers Unicode letters, digits, marks and
// connector punctuation, hence the property classes.
const UNRESERVED = String.raw`[\p{L}\p{Mn}\p{Nd}\p{Pc}.~\-]`;
const PERCENT_ENCODED = String.raw`(?:%|%AZP25)[0-9a-fA-F]{2}`;
const SUB_DELIMS = String.raw`[!$&'()*+,;=]`;
export const URL_SECRET_PATTERN = new RegExp(
  String.raw`(?<=//[^:/?#\n]+:)(?:${UNRESERVED}|${PERCENT_ENCODED}|${SUB_DELIMS}|:)+(?=@)`,
  'gu',
);

interface Range {
  start: number;
  end: number;
}

export class SecretMasker {
  private readonly values = new Set<string>();
  private readonly regexes: RegExp[] = [];

  /**
   * @param encoders encoded forms added with every value (default: the agent's three)
   * @param minLength values shorter than this are ignored (AZP_IGNORE_SECRETS_SHORTER_THAN, default 0)
   */
  constructor(
    private readonly encoders: readonly ValueEncoder[] = AGENT_VALUE_ENCODERS,
    private readonly minLength = 0,
  ) {}

  /** A masker configured as the agent's: three encoders plus the URL password regex. */
  static forAgent(): SecretMasker {
    const masker = new SecretMasker();
    masker.addRegex(URL_SECRET_PATTERN);
    return masker;
  }

  addValue(value: string): void {
    if (!value) return;
    for (const candidate of [value, ...this.encoders.map((encode) => encode(value))]) {
      if (candidate && candidate.length >= this.minLength) this.values.add(candidate);
    }
  }

  addRegex(pattern: RegExp): void {
    const flags = pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g';
    this.regexes.push(new RegExp(pattern.source, flags));
  }

  /** Every string the masker looks for (values and their encoded forms). */
  get registered(): readonly string[] {
    return [...this.values];
  }

  maskSecrets(input: string): string {
    if (!input) return '';
    const ranges: Range[] = [];
    for (const value of this.values) {
      for (let at = input.indexOf(value); at >= 0; at = input.indexOf(value, at + 1)) {
        ranges.push({ start: at, end: at + value.length });
      }
    }
    for (const regex of this.regexes) {
      regex.lastIndex = 0;
      for (let match = regex.exec(input); match; match = regex.exec(input)) {
        if (match[0].length > 0)
          ranges.push({ start: match.index, end: match.index + match[0].length });
        regex.lastIndex = match.index + 1;
      }
    }
    if (ranges.length === 0) return input;

    ranges.sort((a, b) => a.start - b.start);
    const merged: Range[] = [];
    for (const range of ranges) {
      const last = merged[merged.length - 1];
      if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
      else merged.push({ ...range });
    }
    let out = '';
    let from = 0;
    for (const range of merged) {
      out += input.slice(from, range.start) + '***';
      from = range.end;
    }
    return out + input.slice(from);
  }
}
