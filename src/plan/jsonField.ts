/**
 * Reads one field of the JSON object a secret holds, exactly: a string field is its string; a
 * number, boolean or null is its JSON text as written (so `1.50` and 20-digit ids survive); an
 * object or array is its compact JSON, as written minus the whitespace between tokens. JSON.parse
 * checks the value first; a small scanner then finds the field's text. As JSON.parse does, the
 * last of duplicate keys wins. Results never carry the value into a message: only which step of
 * the path failed.
 */
export type FieldResult =
  | { ok: true; value: string }
  /** `at` is the path up to the object that was not one (`[]`: the value itself). */
  | { ok: false; reason: 'not-json' | 'not-object' | 'missing'; at: string[] };

export function extractField(text: string, path: string[]): FieldResult {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json', at: [] };
  }
  let node: unknown = root;
  for (const [i, key] of path.entries()) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      return { ok: false, reason: 'not-object', at: path.slice(0, i) };
    }
    if (!Object.prototype.hasOwnProperty.call(node, key)) {
      return { ok: false, reason: 'missing', at: path.slice(0, i + 1) };
    }
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'string') return { ok: true, value: node };
  return { ok: true, value: compact(rawText(text, path)) };
}

/** The source text of the value at `path`, from a text JSON.parse accepted. */
function rawText(text: string, path: string[]): string {
  const scanner = new Scanner(text);
  let span = scanner.value();
  for (const key of path) {
    span = scanner.member(span, key);
  }
  return text.slice(span.start, span.end);
}

interface Span {
  start: number;
  end: number;
}

class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  /** The span of the value starting at the current position (whitespace skipped). */
  value(): Span {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '{' || c === '[') this.skipContainer();
    else if (c === '"') this.skipString();
    else
      while (this.pos < this.text.length && !/[\s,}\]]/.test(this.text[this.pos] ?? ''))
        this.pos += 1;
    return { start, end: this.pos };
  }

  /** The span of the last member named `key` of the object at `object`. */
  member(object: Span, key: string): Span {
    this.pos = object.start + 1;
    let found: Span | undefined;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      const nameSpan = this.value();
      const name = JSON.parse(this.text.slice(nameSpan.start, nameSpan.end)) as string;
      this.skipSpace();
      this.pos += 1; // ':'
      const valueSpan = this.value();
      if (name === key) found = valueSpan;
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos += 1;
    }
    // extractField checked with JSON.parse that the member exists.
    return found as Span;
  }

  private skipSpace(): void {
    while (/[ \t\n\r]/.test(this.text[this.pos] ?? '')) this.pos += 1;
  }

  private skipString(): void {
    this.pos += 1;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    }
    this.pos += 1;
  }

  private skipContainer(): void {
    let depth = 0;
    do {
      const c = this.text[this.pos];
      if (c === '"') {
        this.skipString();
        continue;
      }
      if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') depth -= 1;
      this.pos += 1;
    } while (depth > 0 && this.pos < this.text.length);
  }
}

/** Removes the whitespace between tokens, leaving strings as written. */
function compact(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j;
    } else if (!/[ \t\n\r]/.test(c)) out += c;
  }
  return out;
}
