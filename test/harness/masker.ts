/**
 * The agent's legacy secret masker (docs/agent-interface.md §6; `SecretMasker` in
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
 *
 * The agent runs one `IndexOf` scan per value per line. Here the values live in a radix tree, and
 * each position of a line is matched against all of them at once: with thousands of secrets that
 * is the difference between seconds and milliseconds, for the same output (see `maskSecrets`).
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

interface TreeEdge {
  /** Never empty; the first UTF-16 unit is the edge's key in its parent's `edges`. */
  label: string;
  node: TreeNode;
}

interface TreeNode {
  /** A registered value ends here. */
  terminal: boolean;
  edges: Map<number, TreeEdge> | undefined;
}

/** How many UTF-16 units `label` and `value` from `at` have in common at the start. */
function sharedPrefixLength(label: string, value: string, at: number): number {
  let length = 0;
  while (length < label.length && label.charCodeAt(length) === value.charCodeAt(at + length)) {
    length++;
  }
  return length;
}

/**
 * The registered values as a radix tree over UTF-16 units (what `indexOf` compares), so that one
 * walk from a position finds every value starting there. Values are only ever added, one walk each.
 */
class ValueTree {
  private readonly root: TreeNode = { terminal: false, edges: undefined };

  add(value: string): void {
    let node = this.root;
    let at = 0;
    while (at < value.length) {
      node.edges ??= new Map();
      const edge = node.edges.get(value.charCodeAt(at));
      if (!edge) {
        const leaf: TreeNode = { terminal: true, edges: undefined };
        node.edges.set(value.charCodeAt(at), { label: value.slice(at), node: leaf });
        return;
      }
      const common = sharedPrefixLength(edge.label, value, at);
      if (common < edge.label.length) {
        // The value leaves (or ends inside) the edge: split it there.
        const rest = edge.label.slice(common);
        const middle: TreeNode = {
          terminal: false,
          edges: new Map([[rest.charCodeAt(0), { label: rest, node: edge.node }]]),
        };
        edge.label = edge.label.slice(0, common);
        edge.node = middle;
      }
      node = edge.node;
      at += common;
    }
    node.terminal = true;
  }

  /** The length of the longest value `text` holds at `start`; 0 when none does. */
  longestAt(text: string, start: number): number {
    let node = this.root;
    let at = start;
    let longest = 0;
    for (;;) {
      // Past the end charCodeAt gives NaN, which is no key.
      const edge = node.edges?.get(text.charCodeAt(at));
      // Values end only at nodes, so a label matched in part cannot lead to one.
      if (!edge || !text.startsWith(edge.label, at)) return longest;
      at += edge.label.length;
      node = edge.node;
      if (node.terminal) longest = at - start;
    }
  }
}

export class SecretMasker {
  private readonly values = new Set<string>();
  private readonly tree = new ValueTree();
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
      if (candidate && candidate.length >= this.minLength && !this.values.has(candidate)) {
        this.values.add(candidate);
        this.tree.add(candidate);
      }
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
    // Only the longest value at each position: the shorter ones there lie inside it, so the merged
    // ranges below, and hence the output, are those of every occurrence of every value.
    for (let start = 0; start < input.length; start++) {
      const length = this.tree.longestAt(input, start);
      if (length > 0) ranges.push({ start, end: start + length });
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
