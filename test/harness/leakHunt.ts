/**
 * Looks for secret values, and the forms a careless task might print them in, everywhere a run
 * leaves text: raw stdout and stderr, issues, the masked job log, and files left in the temp dir.
 *
 * Forms hunted for each secret (secrets are numbered from 1 in the order given):
 * - the whole value and, for a multi-line value, each non-empty line (split on `\r\n`, `\r`, `\n`),
 *   since the agent masks per line and a line printed alone is not masked by the whole value;
 * - for each of those: the raw text, its JSON-escaped inner text, its `encodeURIComponent` form,
 *   base64 of its UTF-8 bytes and base64url. The base64 forms are searched at all three byte
 *   alignments, without padding and without a trailing character that depends on following bytes,
 *   so a secret embedded in a larger encoded blob is still found.
 *
 * Kept out, to avoid false positives:
 * - an encoded form identical to the raw text (it is already hunted as raw);
 * - any form shorter than 4 characters (`minLength`), e.g. a one-letter line of a PEM value;
 * - the data of a `task.setvariable` with `issecret=true` and of a `task.setsecret` command: they
 *   legitimately carry the value (escaped: `%` as `%AZP25`, CR/LF as `%0D`/`%0A`). Their command
 *   info (`##vso[...]`) and any text before it are still searched.
 *
 * Descriptions name the place and the form, never the secret itself.
 */
import { getProperty, parseCommandLine, splitLines } from './commandParser';
import { tryParseBoolean } from './dotnetSemantics';
import type { AgentRun } from './types';

export type LeakPlace = 'stdout' | 'stderr' | 'issues' | 'log' | 'files';

export interface LeakHuntOptions {
  /** Forms shorter than this are not hunted (default 4). */
  minLength?: number;
  /**
   * Where to look (default: everywhere). Raw stdout is strict: task-lib itself debug-prints
   * endpoint auth parameters (`<id> auth param serviceprincipalkey = <value>`), which only the
   * agent's job-level masking hides; hunt such values in `['issues', 'log', 'files']`.
   */
  places?: readonly LeakPlace[];
  /**
   * Added: files (paths relative to the temp dir) the task wrote on purpose for later steps, such
   * as certificate files, which hold what they hold by design; every other file is still hunted.
   */
  deliveredFiles?: readonly string[];
}

interface Needle {
  text: string;
  description: string;
}

type FormName = 'raw' | 'JSON-escaped' | 'URL-encoded' | 'base64' | 'base64url';

function base64Variants(text: string, url: boolean): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const variants: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(
      url ? 'base64url' : 'base64',
    );
    // Characters carrying any bit of the filler bytes, and the last one if it also carries bits of
    // whatever follows the secret, depend on context: drop them.
    const skip = Math.ceil((offset * 8) / 6);
    const totalBits = (offset + bytes.length) * 8;
    const fullChars = Math.floor(totalBits / 6);
    const stable = encoded.replace(/=+$/, '').slice(skip, fullChars);
    variants.push(stable);
  }
  return variants;
}

function formsOf(text: string): Array<{ form: FormName; text: string }> {
  const forms: Array<{ form: FormName; text: string }> = [{ form: 'raw', text }];
  forms.push({ form: 'JSON-escaped', text: JSON.stringify(text).slice(1, -1) });
  try {
    forms.push({ form: 'URL-encoded', text: encodeURIComponent(text) });
  } catch {
    // Lone surrogate: no URL form.
  }
  for (const variant of base64Variants(text, false)) forms.push({ form: 'base64', text: variant });
  for (const variant of base64Variants(text, true))
    forms.push({ form: 'base64url', text: variant });
  return forms;
}

function buildNeedles(secrets: readonly string[], minLength: number): Needle[] {
  const needles: Needle[] = [];
  const seen = new Set<string>();
  secrets.forEach((secret, index) => {
    if (!secret) return;
    const units: Array<{ text: string; label: string }> = [
      { text: secret, label: `secret #${index + 1}` },
    ];
    const lines = secret.split(/\r\n|\r|\n/);
    if (lines.length > 1) {
      lines.forEach((line, lineIndex) => {
        if (line) units.push({ text: line, label: `secret #${index + 1} (line ${lineIndex + 1})` });
      });
    }
    for (const unit of units) {
      for (const { form, text } of formsOf(unit.text)) {
        if (form !== 'raw' && text === unit.text) continue;
        if (text.length < minLength) continue;
        const key = `${text}\u0000${unit.label}`;
        if (seen.has(key)) continue;
        seen.add(key);
        needles.push({ text, description: `the ${form} form of ${unit.label}` });
      }
    }
  });
  return needles;
}

/** The part of an output line to search: all of it, except the data of legitimate secret carriers. */
function searchableText(line: string): string {
  const command = parseCommandLine(line);
  if (!command) return line;
  const event = command.event.toLowerCase();
  const carriesSecret =
    command.area.toLowerCase() === 'task' &&
    (event === 'setsecret' ||
      (event === 'setvariable' && tryParseBoolean(getProperty(command, 'issecret')) === true));
  if (!carriesSecret) return line;
  const prefixIndex = line.indexOf('##vso[');
  return line.slice(0, line.indexOf(']', prefixIndex) + 1);
}

/** Unescaped data and property values of other commands, where `%`/newline escaping hides a raw match. */
function unescapedCommandText(line: string): string | undefined {
  const command = parseCommandLine(line);
  if (!command || searchableText(line) !== line) return undefined;
  return [...Object.values(command.properties), command.data].join('\n');
}

/**
 * Every place a secret (or a derived form) shows up in the run; empty when none.
 *
 * @param run a finished run (`fileContents` is used when present)
 * @param secrets secret values to hunt; empty strings are ignored
 */
export function findLeaks(
  run: AgentRun,
  secrets: readonly string[],
  options: LeakHuntOptions = {},
): string[] {
  const needles = buildNeedles(secrets, options.minLength ?? 4);
  if (needles.length === 0) return [];
  const leaks: string[] = [];
  const report = (place: string, haystack: string): void => {
    for (const needle of needles) {
      if (haystack.includes(needle.text)) leaks.push(`${place} contains ${needle.description}`);
    }
  };

  const places = new Set<LeakPlace>(
    options.places ?? ['stdout', 'stderr', 'issues', 'log', 'files'],
  );
  for (const [streamName, text] of [
    ['stdout', places.has('stdout') ? run.stdout : ''],
    ['stderr', places.has('stderr') ? run.stderr : ''],
  ] as const) {
    splitLines(text).forEach((line, index) => {
      const place = `line ${index + 1} of ${streamName}`;
      report(place, searchableText(line));
      const unescaped = unescapedCommandText(line);
      if (unescaped !== undefined && unescaped !== line) {
        // Only report what the raw line did not already show.
        for (const needle of needles) {
          if (unescaped.includes(needle.text) && !line.includes(needle.text)) {
            leaks.push(`${place} (command, unescaped) contains ${needle.description}`);
          }
        }
      }
    });
  }

  if (places.has('issues')) {
    run.issues.forEach((issue, index) =>
      report(`${issue.type} issue #${index + 1}`, issue.message),
    );
  }
  if (places.has('log'))
    run.log.forEach((line, index) => report(`line ${index + 1} of the job log`, line));

  const files = places.has('files')
    ? (run.fileContents ?? new Map<string, Buffer>())
    : new Map<string, Buffer>();
  const delivered = new Set(options.deliveredFiles ?? []);
  for (const [file, content] of files) {
    if (delivered.has(file)) continue;
    for (const needle of needles) {
      const at = content.indexOf(Buffer.from(needle.text, 'utf8'));
      if (at < 0) continue;
      const lineNumber = content
        .subarray(0, at)
        .toString('utf8')
        .split(/\r\n|\r|\n/).length;
      leaks.push(
        `line ${lineNumber} of file '${file}' in the temp dir contains ${needle.description}`,
      );
    }
  }
  return leaks;
}

/**
 * What a broken answer body carried that a task could echo: the (possibly cut) `value` or tokens
 * of each body, JSON-unescaped as far as it goes, and the body itself. A cut value is not the seeded
 * value, so hunting the seeded values alone would miss a parse error that quotes the body.
 */
export function valuesInBrokenBodies(bodies: readonly string[]): string[] {
  const found: string[] = [];
  for (const body of bodies) {
    found.push(body.replace(/^\uFEFF/, ''));
    // A secret's value, or a token answer's tokens, possibly cut short.
    const fields = /"(?:value|access_token|refresh_token|id_token)":"((?:[^"\\]|\\.)*)/g;
    for (const match of body.matchAll(fields)) {
      // A cut may end inside an escape (`\`, `\u00`): drop the partial escape, then unescape.
      const escaped = (match[1] ?? '').replace(/\\(u[0-9a-fA-F]{0,3})?$/, '');
      try {
        found.push(JSON.parse(`"${escaped}"`) as string);
      } catch {
        found.push(escaped);
      }
    }
  }
  return found.filter((text) => text.length > 0);
}
