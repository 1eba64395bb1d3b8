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

/** Key Vault secret names: 1–127 letters, digits and hyphens (azure-wire.md §2). */
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Beyond this, a filter is a mistake (a pasted file, say), not a list of secrets. */
export const MAX_FILTER_ENTRIES = 5000;

/**
 * Parses `SecretsFilter`: comma-separated names or `*`. Empty entries between commas are ignored,
 * as AzureKeyVault@2 does (task-lib's getDelimitedInput). Returns every problem found, so a user
 * fixes the input once.
 */
export function parseSecretsFilter(
  raw: string | undefined,
): { selection: SecretSelection } | { errors: string[] } {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) {
    return {
      errors: [
        "SecretsFilter is empty. Set it to '*' for every enabled secret of the vault, or to a comma-separated list of secret names.",
      ],
    };
  }
  if (entries.length > MAX_FILTER_ENTRIES) {
    return {
      errors: [
        `SecretsFilter lists ${entries.length} entries; at most ${MAX_FILTER_ENTRIES} are accepted. Use '*' to fetch every enabled secret.`,
      ],
    };
  }
  if (entries.includes('*')) {
    return entries.length === 1
      ? {
          selection: {
            exact: [],
            patterns: [{ kind: 'pattern', text: '*', glob: '*', negated: false }],
          },
        }
      : {
          errors: [
            "SecretsFilter mixes '*' with secret names. '*' already selects every enabled secret: use either '*' alone or names alone.",
          ],
        };
  }
  const errors: string[] = [];
  const seen = new Map<string, string>();
  for (const name of entries) {
    if (!SECRET_NAME.test(name)) {
      errors.push(
        `SecretsFilter entry ${quote(name)} is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.`,
      );
      continue;
    }
    // Key Vault secret names are case-insensitive: 'Db' and 'db' are one secret.
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push(
        `SecretsFilter names the secret ${quote(name)} more than once${first === name ? '' : ` (as ${quote(first)}; Key Vault names ignore case)`}. Remove the duplicate.`,
      );
      continue;
    }
    seen.set(key, name);
  }
  return errors.length > 0
    ? { errors }
    : {
        selection: {
          exact: [...seen.values()].map((name) => ({
            kind: 'exact',
            text: name,
            secretName: name,
            version: undefined,
            field: undefined,
            variable: undefined,
            optional: false,
          })),
          patterns: [],
        },
      };
}
