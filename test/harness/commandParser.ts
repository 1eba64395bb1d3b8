/**
 * Reads `##vso[...]` logging commands exactly as the agent's `Command.TryParse` does
 * (docs/agent-interface.md §4), and splits process output into lines as .NET's `StreamReader.ReadLine`.
 *
 * Deliberately stricter than task-lib's `commandFromString`: keys are not trimmed, a pair without
 * both a key and a value is dropped, and `##vso[` may start anywhere in the line.
 */
import { ordinalUpper, splitRemoveEmpty, splitTwoRemoveEmpty } from './dotnetSemantics';

const PREFIX = '##vso[';

export interface ParsedCommand {
  area: string;
  event: string;
  /** Properties by key as first written (keys are not trimmed). Use `getProperty` to look up. */
  properties: Record<string, string>;
  /** Unescaped data (the text after the first `]`). */
  data: string;
}

/**
 * The agent's unescape order for property values and data: `%3B`, `%0D`, `%0A`, `%5D`, then
 * `%AZP25` (knob DECODE_PERCENTS, default true). Order matters: `%AZP253B` becomes `%3B`, not `;`.
 */
export function unescapeCommandValue(escaped: string, decodePercents = true): string {
  if (!escaped) return '';
  let value = escaped
    .split('%3B')
    .join(';')
    .split('%0D')
    .join('\r')
    .split('%0A')
    .join('\n')
    .split('%5D')
    .join(']');
  if (decodePercents) value = value.split('%AZP25').join('%');
  return value;
}

/**
 * The agent's `CommandStringConvertor.Escape`, used to register the escaped form of a secret
 * `task.setvariable` value with the masker: `%` first, then `;`, `\r`, `\n`, `]`.
 */
export function escapeCommandValue(value: string, decodePercents = true): string {
  if (!value) return '';
  let escaped = decodePercents ? value.split('%').join('%AZP25') : value;
  escaped = escaped
    .split(';')
    .join('%3B')
    .split('\r')
    .join('%0D')
    .split('\n')
    .join('%0A')
    .split(']')
    .join('%5D');
  return escaped;
}

/** Parses one output line; `undefined` when the agent would not treat it as a command. */
export function parseCommandLine(line: string, decodePercents = true): ParsedCommand | undefined {
  if (!line) return undefined;
  const prefixIndex = line.indexOf(PREFIX);
  if (prefixIndex < 0) return undefined;
  const rbIndex = line.indexOf(']', prefixIndex);
  if (rbIndex < 0) return undefined;

  const cmdIndex = prefixIndex + PREFIX.length;
  const cmdInfo = line.slice(cmdIndex, rbIndex);
  const spaceIndex = cmdInfo.indexOf(' ');
  const commandName = spaceIndex < 0 ? cmdInfo : cmdInfo.slice(0, spaceIndex);
  const areaEvent = splitRemoveEmpty(commandName, '.');
  if (areaEvent.length !== 2) return undefined;
  const [area, event] = areaEvent as [string, string];

  const properties: Record<string, string> = {};
  const keyByUpper = new Map<string, string>();
  if (spaceIndex > 0) {
    for (const propertyText of splitRemoveEmpty(cmdInfo.slice(spaceIndex + 1), ';')) {
      const pair = splitTwoRemoveEmpty(propertyText, '=');
      if (pair.length !== 2) continue;
      const [key, rawValue] = pair as [string, string];
      // Dictionary<string,string>(StringComparer.OrdinalIgnoreCase): a later key replaces the value
      // but keeps the first spelling.
      const upper = ordinalUpper(key);
      const existingKey = keyByUpper.get(upper) ?? key;
      keyByUpper.set(upper, existingKey);
      properties[existingKey] = unescapeCommandValue(rawValue, decodePercents);
    }
  }

  return {
    area,
    event,
    properties,
    data: unescapeCommandValue(line.slice(rbIndex + 1), decodePercents),
  };
}

/** Case-insensitive property look-up, as the agent's dictionary does. */
export function getProperty(command: ParsedCommand, name: string): string | undefined {
  const upper = ordinalUpper(name);
  for (const [key, value] of Object.entries(command.properties)) {
    if (ordinalUpper(key) === upper) return value;
  }
  return undefined;
}

/**
 * Splits text into lines like `StreamReader.ReadLine`: a line ends at `\n`, `\r\n` or a lone `\r`;
 * a final line without terminator counts, an empty remainder after the last terminator does not.
 */
export function splitLines(text: string): string[] {
  const splitter = new LineSplitter();
  const lines = splitter.push(text);
  lines.push(...splitter.end());
  return lines;
}

/**
 * Incremental `splitLines` for streamed output: feed decoded chunks in arrival order. A `\r` at
 * the end of a chunk is held back until the next chunk shows whether a `\n` follows.
 */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    this.pending += chunk;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < this.pending.length; i++) {
      const ch = this.pending.charCodeAt(i);
      if (ch === 0x0a) {
        lines.push(this.pending.slice(start, i));
        start = i + 1;
      } else if (ch === 0x0d) {
        if (i + 1 >= this.pending.length) break; // wait for the next chunk
        lines.push(this.pending.slice(start, i));
        if (this.pending.charCodeAt(i + 1) === 0x0a) i++;
        start = i + 1;
      }
    }
    this.pending = this.pending.slice(start);
    return lines;
  }

  /** Flushes what is left at end of stream. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    if (rest.length === 0) return [];
    // A trailing lone `\r` ends the last line.
    return [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  }
}
