/**
 * Markdown for the run summary. Text we did not write (content types, service messages, names)
 * is escaped so it renders as the characters it holds: no table cell broken by `|`, no link,
 * emphasis or HTML, no line break. `##vso[` is defused first, although a summary file is never
 * read as agent output, so the text stays safe wherever it is copied.
 */
import { neutraliseCommands } from './safeText';

/**
 * Characters with a meaning inside GitHub-flavoured Markdown inline text and table cells. With
 * `[` and `]` escaped no link or image can form, so `(`, `)` and `!` may stay; `#`, `+` and `-`
 * only mean something at the start of a line, where escaped text never goes.
 */
const SPECIAL = /[\\`*_[\]|~<>&$]/g;
const PLAIN = /^[A-Za-z0-9 .,:;=/@+()'"?%-]*$/;
const HTML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/** One line of untrusted text as literal Markdown inline text. */
export function escapeMarkdown(text: string): string {
  // Most cells (names, dates, content types) need nothing: skip the replacements for them.
  if (PLAIN.test(text)) return text;
  return neutraliseCommands(text)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(SPECIAL, (char) => HTML_ENTITY[char] ?? `\\${char}`);
}

/** Characters a code span may hold as they are (ids, versions, header values, the run marker):
 *  no backtick to end it, no `|` to end a table cell, no line break. */
const CODE_SAFE = /^[A-Za-z0-9 ._:;=/@+*(),-]{1,200}$/;

/** An id as a code span; anything that could break out of one is escaped as plain text instead. */
export function code(text: string): string {
  return CODE_SAFE.test(text) ? `\`${text}\`` : escapeMarkdown(text);
}

/** A GitHub-flavoured Markdown table; cells are Markdown already. */
export function table(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

/** `2026-12-01 19:46 UTC`: minutes are enough to read, and say the zone. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
