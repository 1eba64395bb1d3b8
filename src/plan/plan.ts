import type { FileContent } from './fileContent';
import type { Problem } from '../errors/classifyProblem';
import type { SummaryRow } from '../report/runSummary';
import type { SecretProperties } from '../vault/secretSource';

/** Where a variable's value comes from. */
export interface VariableSource {
  /** The SecretsFilter entry that asked for it, as written. */
  entry: string;
  /** The secret's name as the vault spells it. */
  secretName: string;
  /** The version read (the vault's answer names it). */
  version: string | undefined;
  /** The JSON field path (`a.b.c`), when the value is one field of the secret. */
  field: string | undefined;
}

export interface PlannedVariable {
  name: string;
  /** Byte-exact. */
  value: string;
  secret: boolean;
  /** Also set as an output variable (`<step>.<name>` for later jobs and stages). */
  output: boolean;
  source: VariableSource;
  /** The secret version's properties, for what reports on it (dates, tags, content type). */
  properties: SecretProperties;
}

/** A certificate file to write (CertificateFormat pfx or pem). */
export interface PlannedFile {
  /** Absolute, directly in the plan's `fileDirectory`. */
  path: string;
  /** The file's bytes: never printed, logged or set (they show as their size). */
  content: FileContent;
  format: 'pfx' | 'pem';
  secretName: string;
  version: string | undefined;
}

/**
 * What a run will do, as plain data: built by a pure function from what was asked and what was
 * read, then applied at the edge (or, in a dry run, printed instead).
 */
export interface Plan {
  /** In order: the exact entries as written, then the secrets patterns selected, as listed. */
  variables: PlannedVariable[];
  /**
   * Values to register with the masker before anything else, one line each: the values derived
   * from secrets (JSON fields, the base64 and PEM lines of certificate files). Whole values were
   * registered the moment they arrived.
   */
  masks: string[];
  /** Certificate files, written after the masks and before the variables. */
  files: PlannedFile[];
  /** The new directory (under Agent.TempDirectory) the files go in, when there are any. */
  fileDirectory: string | undefined;
  warnings: string[];
  infos: string[];
  /** Reads that failed (vault problems to render with the sign-in context). */
  problems: Problem[];
  /** Rule failures (naming, JSON fields, policies): the run fails and sets nothing. */
  errors: string[];
  /** The run summary's table: one row per read, set, skipped or failed, never a value. */
  rows: SummaryRow[];
}

/** A plan that does nothing yet: the planner fills it, tests start from it. */
export function emptyPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    variables: [],
    masks: [],
    warnings: [],
    infos: [],
    files: [],
    fileDirectory: undefined,
    problems: [],
    errors: [],
    rows: [],
    ...overrides,
  };
}

/** A plan that fails sets nothing. */
export function planFails(plan: Plan): boolean {
  return plan.problems.length > 0 || plan.errors.length > 0;
}
