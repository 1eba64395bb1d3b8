/**
 * The part of GitHub-flavoured Markdown that the run summary and task.json's help texts use,
 * rendered to HTML the way Azure DevOps shows it: headings, paragraphs, bullet and numbered
 * lists, tables, fenced code, code spans, bold, italics, links, backslash escapes and character
 * references (GFM spec, https://github.github.com/gfm/). Raw HTML is shown as the text it is
 * (Azure DevOps sanitises it; showing it literally can never run it), and only http(s) links
 * become links. Everything the Markdown holds is escaped on the way out (html.ts).
 */
import { escapeHtml } from './html';

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const NAMED_REFERENCES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** `&lt;` → `<`, `&#124;` → `|`; anything else is left as typed. */
function characterReference(text: string, at: number): { char: string; length: number } | null {
  const match = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]{2,8}));/.exec(text.slice(at));
  if (!match) return null;
  const [whole, decimal, hex, name] = match;
  if (name !== undefined) {
    const char = NAMED_REFERENCES[name];
    return char === undefined ? null : { char, length: whole.length };
  }
  const codePoint = decimal !== undefined ? Number(decimal) : parseInt(hex!, 16);
  const valid =
    codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
  return { char: String.fromCodePoint(valid ? codePoint : 0xfffd), length: whole.length };
}

function safeHref(url: string): string | undefined {
  return /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : undefined;
}

/** Finds the `**` or `*`/`_` that closes emphasis opened at `from`, outside code spans. */
function closing(text: string, from: number, marker: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (text.startsWith(marker, i) && i > from && text[i - 1] !== ' ') return i;
  }
  return -1;
}

/** One line (or paragraph) of inline Markdown as HTML. */
export function inlineMarkdown(text: string): string {
  let html = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1]!)) {
      html += escapeHtml(text[i + 1]!);
      i += 2;
    } else if (char === '&') {
      const reference = characterReference(text, i);
      html += escapeHtml(reference?.char ?? '&');
      i += reference?.length ?? 1;
    } else if (char === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const end = text.indexOf(run, i + run.length);
      if (end < 0) {
        html += escapeHtml(run);
        i += run.length;
      } else {
        const content = text.slice(i + run.length, end).replace(/^ (.*) $/, '$1');
        html += `<code>${escapeHtml(content)}</code>`;
        i = end + run.length;
      }
    } else if (text.startsWith('**', i) && closing(text, i + 2, '**') > 0) {
      const end = closing(text, i + 2, '**');
      html += `<strong>${inlineMarkdown(text.slice(i + 2, end))}</strong>`;
      i = end + 2;
    } else if (
      (char === '*' || char === '_') &&
      text[i + 1] !== ' ' &&
      (i === 0 || !/[A-Za-z0-9]/.test(text[i - 1]!)) &&
      closing(text, i + 1, char) > 0
    ) {
      const end = closing(text, i + 1, char);
      html += `<em>${inlineMarkdown(text.slice(i + 1, end))}</em>`;
      i = end + 1;
    } else if (char === '[') {
      const link = /^\[([^\]\\]*(?:\\.[^\]\\]*)*)\]\(([^)\s]*)\)/.exec(text.slice(i));
      const href = link ? safeHref(link[2]!) : undefined;
      if (link && href !== undefined) {
        html += `<a href="${escapeHtml(href)}">${inlineMarkdown(link[1]!)}</a>`;
        i += link[0].length;
      } else {
        html += '[';
        i++;
      }
    } else {
      html += escapeHtml(char);
      i++;
    }
  }
  return html;
}

/** A table row's cells: split at `|` that is neither escaped nor inside a code span. */
function tableCells(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '\\' && body[i + 1] === '|') {
      cell += '\\|';
      i++;
    } else if (char === '`') {
      inCode = !inCode;
      cell += char;
    } else if (char === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

const DELIMITER_ROW = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const LIST_ITEM = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** A Markdown document as HTML blocks. */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let i = 0;
  const isBlank = (line: string | undefined): boolean => line === undefined || !line.trim();
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      const language = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : '';
      blocks.push(`<pre><code${language}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      blocks.push(`<h${level}>${inlineMarkdown(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (line.includes('|') && DELIMITER_ROW.test(lines[i + 1] ?? '')) {
      const header = tableCells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && !isBlank(lines[i]) && lines[i]!.includes('|'))
        rows.push(tableCells(lines[i++]!));
      const cells = (row: string[], tag: string): string =>
        header.map((_, c) => `<${tag}>${inlineMarkdown(row[c] ?? '')}</${tag}>`).join('');
      blocks.push(
        `<table><thead><tr>${cells(header, 'th')}</tr></thead><tbody>${rows
          .map((row) => `<tr>${cells(row, 'td')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      const items: string[] = [];
      while (i < lines.length) {
        const next = LIST_ITEM.exec(lines[i]!);
        if (next && (next[2] !== undefined) === ordered) items.push(next[3]!);
        else if (!isBlank(lines[i]) && /^\s+/.test(lines[i]!) && items.length > 0)
          items[items.length - 1] += ` ${lines[i]!.trim()}`;
        else break;
        i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      blocks.push(`<${tag}>${items.map((t) => `<li>${inlineMarkdown(t)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      !isBlank(lines[i]) &&
      !FENCE.test(lines[i]!) &&
      !HEADING.test(lines[i]!) &&
      !LIST_ITEM.test(lines[i]!)
    )
      paragraph.push(lines[i++]!.trim());
    blocks.push(`<p>${inlineMarkdown(paragraph.join(' '))}</p>`);
  }
  return blocks.join('\n');
}
