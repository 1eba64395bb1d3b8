import { quote } from '../report/safeText';

/** An entry that names one secret: read without listing the vault. */
export interface ExactEntry {
  kind: 'exact';
  /** The entry as written, quoted in messages. */
  text: string;
  secretName: string;
  /** A version id, or undefined for the current version. */
  version: string | undefined;
  /** The path of a field of the JSON object the value holds (`a.b.c`). */
  field: string[] | undefined;
  /** An explicit variable name (`VAR=entry`), used as written. */
  variable: string | undefined;
  /** Missing or disabled is a warning, not a failure. */
  optional: boolean;
}

/** A glob over secret names (`app-*`), or its negation (`!app-legacy-*`): needs a listing. */
export interface PatternEntry {
  kind: 'pattern';
  text: string;
  glob: string;
  /** Removes what the glob matches from what the other patterns selected. */
  negated: boolean;
}

/** What SecretsFilter asks for, entries in the order written. */
export interface SecretSelection {
  exact: ExactEntry[];
  patterns: PatternEntry[];
}

/** Key Vault secret names: 1–127 letters, digits and hyphens (docs/azure-protocols.md §2). */
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** A version id is the last segment of a secret identifier: 32 hexadecimal digits. */
const VERSION_ID = /^[0-9a-fA-F]{32}$/;
/** A glob: what a secret name may hold, plus `*`. */
const GLOB = /^[0-9a-zA-Z*-]{1,127}$/;
/** One step of a JSON field path: a key without dots. */
const FIELD_KEY = /^[^.\s=?/*!]+$/;
/**
 * Pipeline variable names: letters, digits, `.`, `_` and `-` (Azure Pipelines "Variable naming
 * restrictions"; `-` works in `$(db-password)` and is what AzureKeyVault@2 has always set).
 */
export const VARIABLE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,255}$/;

/** Beyond this, a filter is a mistake (a pasted file, say), not a list of secrets. */
export const MAX_FILTER_ENTRIES = 5000;

export const ACCEPTED_FORMS =
  "Accepted forms: 'db-password', 'db-password/<version id>', 'DB_PASSWORD=db-password', 'db-config.password' (a JSON field), 'api-key?' (optional), 'app-*' (a pattern), '!app-legacy-*' (an exclusion).";

/**
 * Entries: commas or line breaks separate them. `#` at the start of a line or after a blank or a
 * comma starts a comment to the end of the line, as in YAML; elsewhere (`db#1`) it stays part of
 * the entry, which is then refused rather than silently cut short.
 */
export function filterEntries(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/\r\n|\r|\n/)
    .flatMap((line) => line.replace(/(^|[\s,])#.*$/, '$1').split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function invalid(entry: string, why: string): string {
  return `SecretsFilter entry ${quote(entry)} ${why} ${ACCEPTED_FORMS}`;
}

function secretNameError(entry: string, name: string): string {
  const what = name === entry ? 'is not' : `names ${quote(name)}, which is not`;
  return invalid(
    entry,
    `${what} a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.`,
  );
}

/** Parses one entry; `text` is trimmed and not empty. */
export function parseEntry(text: string): { entry: ExactEntry | PatternEntry } | { error: string } {
  if (text.startsWith('!') || text.includes('*')) {
    const negated = text.startsWith('!');
    const glob = negated ? text.slice(1) : text;
    if (GLOB.test(glob)) return { entry: { kind: 'pattern', text, glob, negated } };
    return {
      error: /[=/.?]/.test(glob)
        ? invalid(
            text,
            "is not valid: a pattern selects secrets by name only, so it takes no variable name, version, field or '?'.",
          )
        : invalid(
            text,
            'is not a valid pattern: patterns have letters, digits, hyphens and * (any run of characters).',
          ),
    };
  }
  const optional = text.endsWith('?');
  let rest = optional ? text.slice(0, -1) : text;
  let variable: string | undefined;
  const equals = rest.indexOf('=');
  if (equals >= 0) {
    variable = rest.slice(0, equals).trim();
    rest = rest.slice(equals + 1).trim();
    if (!VARIABLE_NAME.test(variable)) {
      return {
        error: invalid(
          text,
          variable === ''
            ? 'has no variable name before =.'
            : `sets ${quote(variable)}, which is not a valid variable name: use letters, digits, '_', '.' and '-', starting with a letter, digit or '_'.`,
        ),
      };
    }
  }
  const [path = '', ...fieldParts] = rest.split('.');
  const slash = path.indexOf('/');
  const secretName = slash >= 0 ? path.slice(0, slash) : path;
  const version = slash >= 0 ? path.slice(slash + 1) : undefined;
  if (!SECRET_NAME.test(secretName)) return { error: secretNameError(text, secretName) };
  if (version !== undefined && !VERSION_ID.test(version)) {
    return {
      error: invalid(
        text,
        `names version ${quote(version)}, which is not a Key Vault version id: 32 hexadecimal digits, the last part of the secret's identifier.`,
      ),
    };
  }
  if (fieldParts.some((key) => !FIELD_KEY.test(key))) {
    return {
      error: invalid(
        text,
        'has an empty or invalid JSON field: write fields as secret.field or secret.a.b, keys without spaces.',
      ),
    };
  }
  return {
    entry: {
      kind: 'exact',
      text,
      secretName,
      version,
      field: fieldParts.length > 0 ? fieldParts : undefined,
      variable,
      optional,
    },
  };
}

/**
 * Parses `SecretsFilter`. Every AzureKeyVault@2 filter keeps its meaning: comma-separated names,
 * `name/<version>`, `*`; empty entries are ignored as task-lib's getDelimitedInput does. Returns
 * every problem found, so a user fixes the input once, and the entries that parsed (so that
 * later checks can report on them in the same run); with any error, nothing may be requested.
 */
export function parseSecretsFilter(raw: string | undefined): {
  selection: SecretSelection;
  errors: string[];
} {
  const entries = filterEntries(raw);
  const none: SecretSelection = { exact: [], patterns: [] };
  if (entries.length === 0) {
    return {
      selection: none,
      errors: [
        "SecretsFilter is empty. Set it to '*' for every enabled secret of the vault, or to a list of secret names separated by commas or new lines.",
      ],
    };
  }
  if (entries.length > MAX_FILTER_ENTRIES) {
    return {
      selection: none,
      errors: [
        `SecretsFilter lists ${entries.length} entries; at most ${MAX_FILTER_ENTRIES} are accepted. Use patterns such as 'app-*' or '*' to fetch many secrets.`,
      ],
    };
  }
  const errors: string[] = [];
  const selection: SecretSelection = { exact: [], patterns: [] };
  for (const text of entries) {
    const parsed = parseEntry(text);
    if ('error' in parsed) errors.push(parsed.error);
    else if (parsed.entry.kind === 'exact') selection.exact.push(parsed.entry);
    else selection.patterns.push(parsed.entry);
  }
  const negations = selection.patterns.filter((p) => p.negated);
  if (negations.length > 0 && negations.length === selection.patterns.length) {
    errors.push(
      `SecretsFilter entry ${quote(negations[0]?.text ?? '')} removes secrets from what patterns select, but no pattern selects any. Add one, such as '*' or 'app-*'.`,
    );
  }
  return { selection, errors };
}
