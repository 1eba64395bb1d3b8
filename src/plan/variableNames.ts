import type { ExactEntry } from '../config/secretsFilter';

/** How variable names are derived from secret names (VariablePrefix, VariableNameFormat). */
export interface NamingOptions {
  prefix: string;
  format: 'asIs' | 'upperSnake';
}

export const AS_IS: NamingOptions = { prefix: '', format: 'asIs' };

/**
 * `db-password` → `DB_PASSWORD`, `db-config.password` → `DB_CONFIG_PASSWORD`, `dbPassword` →
 * `DB_PASSWORD`: word boundaries (hyphens, dots, a lower-case letter or digit before an upper-case
 * one) become underscores, then everything is upper-cased.
 */
export function upperSnake(base: string): string {
  return base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toUpperCase();
}

/** The variable name for a secret name, or `secret.field.path`; the prefix is added as written. */
export function derivedName(base: string, naming: NamingOptions): string {
  return naming.prefix + (naming.format === 'upperSnake' ? upperSnake(base) : base);
}

/** The variable an exact entry sets: its explicit name, or one derived from `secret[.field]`. */
export function variableNameOf(entry: ExactEntry, naming: NamingOptions): string {
  return (
    entry.variable ?? derivedName([entry.secretName, ...(entry.field ?? [])].join('.'), naming)
  );
}

/**
 * Prefixes the agent keeps for itself. Its own variables (System., Agent., Build., Release.,
 * Pipeline., Environment., Resources., Common., Task.) are read-only or overwritten by the agent;
 * and the environment form of a variable (`.` becomes `_`, upper case) starting with ENDPOINT_,
 * INPUT_, SECRET_, PATH_ or SECUREFILE_ is what the next task reads as its own inputs, endpoints
 * and secrets ("Variable naming restrictions",
 * https://learn.microsoft.com/azure/devops/pipelines/process/variables#variable-naming-restrictions).
 * A name is refused when its environment form starts with one of these followed by `_`; a
 * secret named `build-number` (env `BUILD-NUMBER`) stays allowed, as with AzureKeyVault@2.
 */
const RESERVED_PREFIXES = [
  'SYSTEM',
  'AGENT',
  'BUILD',
  'RELEASE',
  'PIPELINE',
  'ENVIRONMENT',
  'RESOURCES',
  'COMMON',
  'TASK',
  'ENDPOINT',
  'INPUT',
  'SECRET',
  'SECUREFILE',
  'PATH',
];

const RESERVED = new RegExp(`^(${RESERVED_PREFIXES.join('|')})[._ ]`, 'i');

/** The reserved prefix a variable name starts with (as `System.` or `SYSTEM_`), if any. */
export function reservedPrefixOf(name: string): string | undefined {
  return RESERVED.exec(name)?.[1]?.toUpperCase();
}
