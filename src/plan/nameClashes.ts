import type { SecretSelection } from '../config/secretsFilter';
import { quote } from '../report/safeText';
import { reservedPrefixOf, variableNameOf, type NamingOptions } from './variableNames';

/** One variable a run would set, as far as names go. */
export interface NameCandidate {
  name: string;
  /**
   * How the entry is quoted in a message, e.g. `'db-password'` or `'app-*' (secret 'app-db')`;
   * made only for a message (a `*` over thousands of secrets needs none).
   */
  label: () => string;
  /** What the value is (read and field): equal sources give equal values. */
  sourceKey: string;
  /** From a pattern: may coincide with an exact entry or another pattern for the same value. */
  fromPattern: boolean;
}

/**
 * Two candidates with one variable name (names ignore case, as the agent's do) are an error that
 * quotes both, unless a pattern is involved and both give the same value (`*` and `db-password`
 * both selecting `db-password`): that is one variable, kept at its first place. Returns the
 * candidates kept and the messages.
 */
export function resolveNameClashes<T extends NameCandidate>(
  candidates: T[],
): { kept: T[]; errors: string[] } {
  const byName = new Map<string, T>();
  const kept: T[] = [];
  const errors: string[] = [];
  for (const candidate of candidates) {
    const key = candidate.name.toUpperCase();
    const first = byName.get(key);
    if (first === undefined) {
      byName.set(key, candidate);
      kept.push(candidate);
      continue;
    }
    const same = first.sourceKey === candidate.sourceKey;
    if (same && (first.fromPattern || candidate.fromPattern)) continue;
    errors.push(
      `SecretsFilter entries ${first.label()} and ${candidate.label()} both set the variable ${quote(candidate.name)}${first.name === candidate.name ? '' : ` (as ${quote(first.name)}; variable names ignore case)`}. Remove one, or give one another name with NAME=entry.`,
    );
  }
  return { kept, errors };
}

/**
 * The name checks that need no listing, made on the inputs before any request: clashes between
 * exact entries and names the agent reserves. Patterns are checked again with the listing.
 */
export function exactNameErrors(selection: SecretSelection, naming: NamingOptions): string[] {
  const { kept, errors } = resolveNameClashes(
    selection.exact.map((entry) => ({
      name: variableNameOf(entry, naming),
      label: (): string => quote(entry.text),
      sourceKey: entry.text,
      fromPattern: false,
    })),
  );
  for (const candidate of kept) {
    const reserved = reservedPrefixOf(candidate.name);
    if (reserved !== undefined)
      errors.push(reservedNameError(candidate.name, candidate.label(), reserved));
  }
  return errors;
}

export function reservedNameError(name: string, label: string, prefix: string): string {
  return `SecretsFilter entry ${label} would set the variable ${quote(name)}, but names starting with '${prefix}.' or '${prefix}_' belong to the agent. Give it another name with NAME=entry, or set VariablePrefix.`;
}
