import type { ExactEntry, SecretSelection } from '../config/secretsFilter';
import type { Problem } from '../errors/classifyProblem';
import { masksFor } from '../publish/maskValues';
import { quote } from '../report/safeText';
import { globMatcher } from '../secrets/glob';
import { listingJudge } from '../secrets/listingSelection';
import type { TagCondition } from '../secrets/tags';
import { skipReason } from '../secrets/validity';
import { readKey, type FetchedSecret, type FetchOutcome } from '../vault/fetchSecrets';
import type { SecretProperties } from '../vault/secretSource';
import { storedCertificateFormat } from '../certificates/certificateFormat';
import {
  certificateVariableNames,
  NO_CERTIFICATE_FILES,
  planCertificate,
  type CertificatePlanning,
} from './certificateRule';
import { extractField, type FieldResult } from './jsonField';
import { reservedNameError, resolveNameClashes, type NameCandidate } from './nameClashes';
import { emptyPlan, planFails, type Plan, type PlannedVariable } from './plan';
import { summaryRows } from './summaryRows';
import { validityWarnings } from './validityWarnings';
import { derivedName, reservedPrefixOf, variableNameOf, type NamingOptions } from './variableNames';

/** Everything the plan needs besides what was read; all from validated inputs. */
export interface PlanRequest {
  vaultName: string;
  selection: SecretSelection;
  naming: NamingOptions;
  tags: TagCondition[];
  outputVariables: boolean;
  /** What an exact entry whose secret expired or is not yet valid does. */
  expiredSecrets: 'warn' | 'fail';
  /** CertificateFormat and what the certificate rule needs (default: values as they are). */
  certificates?: CertificatePlanning;
  /** ExpiryWarningDays: secrets set that expire within this many days are warned about (0: off). */
  expiryWarningDays: number;
  /** RotationWarningDays: secrets set whose current version is older are warned about (0: off). */
  rotationWarningDays: number;
  /**
   * DryRun: the reads carry properties, not values, so values are not looked into (JSON fields
   * and certificates are named, not extracted or converted); the plan is printed, never applied.
   */
  dryRun: boolean;
}

type Candidate = NameCandidate & { variable: PlannedVariable };

/** Causes an optional entry (`name?`) turns into a warning. */
const OPTIONAL_CAUSES = new Set(['not-found', 'disabled']);

/**
 * Turns what SecretsFilter asked for and what the vault returned into the plan. Pure: no I/O, no
 * clock (`now` is the run's one reading). Every problem is collected, so one run reports them all;
 * a plan with any problem or error sets nothing.
 */
export function buildPlan(request: PlanRequest, fetched: FetchOutcome, now: Date): Plan {
  const vault = `vault '${request.vaultName}'`;
  const secrets = new Map(fetched.secrets.map((s) => [readKey(s.read), s]));
  const failures = new Map(fetched.failures.map((f) => [readKey(f.read), f.problem]));
  const plan = emptyPlan({ problems: [...fetched.problems] });
  if (request.tags.length > 0 && !request.selection.patterns.some((p) => !p.negated)) {
    plan.warnings.push(
      'TagFilter is set, but SecretsFilter has no pattern: secrets named exactly are not filtered by tags, so TagFilter changes nothing.',
    );
  }
  const certificates = request.certificates ?? NO_CERTIFICATE_FILES;
  const reported = new Set<Problem>();
  const failWith = (problem: Problem): void => {
    if (!reported.has(problem)) plan.problems.push(problem);
    reported.add(problem);
  };
  const candidates: Candidate[] = [];

  /**
   * The variables for one selected secret: its value (or a JSON field of it), or, for a
   * certificate written to a file, the file's path, thumbprint and expiry. Empty on an error.
   */
  const planVariables = (
    name: string,
    entry: string,
    secret: FetchedSecret,
    field: string[] | undefined,
  ): PlannedVariable[] => {
    const variable = (variableName: string, value: string, isSecret: boolean): PlannedVariable => ({
      name: variableName,
      value,
      secret: isSecret,
      output: request.outputVariables,
      source: {
        entry,
        secretName: secret.properties.name,
        version: secret.properties.version,
        field: field?.join('.'),
      },
      properties: secret.properties,
    });
    if (request.dryRun) {
      // No value was read: the variables a real run would set, named, with nothing in them.
      const certificateFile =
        field === undefined &&
        certificates.format !== 'asSecretValue' &&
        storedCertificateFormat(secret.properties.contentType) !== undefined;
      if (!certificateFile) return [variable(name, '', true)];
      const names = certificateVariableNames(name, request.naming);
      return [
        variable(name, '', false),
        variable(names.thumbprint, '', false),
        variable(names.notAfter, '', false),
      ];
    }
    if (field) {
      const result = extractField(secret.value, field);
      if (!result.ok) {
        plan.errors.push(fieldError(entry, secret.properties.name, field, result, vault));
        return [];
      }
      plan.masks.push(...masksFor(result.value));
      return [variable(name, result.value, true)];
    }
    const certificate = planCertificate(secret, readKey(secret.read), certificates, vault, now);
    if (certificate.kind === 'error') {
      if (!plan.errors.includes(certificate.message)) plan.errors.push(certificate.message);
      return [];
    }
    if (certificate.kind === 'value') return [variable(name, secret.value, true)];
    plan.masks.push(...certificate.masks);
    if (!plan.files.some((f) => f.path === certificate.file.path)) {
      plan.files.push(certificate.file);
      if (certificate.warning) plan.warnings.push(certificate.warning);
    }
    plan.fileDirectory = certificates.directory;
    const names = certificateVariableNames(name, request.naming);
    // A path, a thumbprint and a date are not secret, and masking them would garble the log.
    return [
      variable(name, certificate.file.path, false),
      variable(names.thumbprint, certificate.thumbprint, false),
      variable(names.notAfter, certificate.notAfter, false),
    ];
  };

  for (const entry of request.selection.exact) {
    const key = readKey({ name: entry.secretName, version: entry.version });
    const secret = secrets.get(key);
    if (!secret) {
      const problem = failures.get(key);
      if (problem === undefined) continue; // not read: the run stopped on a vault-wide problem
      if (entry.optional && OPTIONAL_CAUSES.has(problem.cause)) {
        plan.warnings.push(
          problem.cause === 'disabled'
            ? `Optional secret ${quote(entry.text)} in ${vault} is disabled; no variable was set for it.`
            : `Optional secret ${quote(entry.text)} was not found in ${vault}; no variable was set for it.`,
        );
      } else failWith(problem);
      continue;
    }
    if (!validForExact(entry, secret.properties, request, now, vault, plan)) continue;
    const name = variableNameOf(entry, request.naming);
    for (const variable of planVariables(name, entry.text, secret, entry.field)) {
      candidates.push({
        name: variable.name,
        label: () => quote(entry.text),
        sourceKey: `${key}#${entry.field?.join('.') ?? ''}#${variable.name === name ? '' : variable.name}`,
        fromPattern: false,
        variable,
      });
    }
  }

  const exactKeys = new Set(
    request.selection.exact.map((e) => readKey({ name: e.secretName, version: e.version })),
  );
  if (fetched.listed) {
    const judge = listingJudge({ patterns: request.selection.patterns, tags: request.tags }, now);
    const pattern = firstIncludingPattern(request.selection);
    for (const listed of fetched.listed) {
      const verdict = judge(listed);
      const key = readKey({ name: listed.name, version: undefined });
      // A secret also named exactly follows the exact entry's rules (ExpiredSecrets): not a skip.
      if (verdict.kind === 'skipped' && !exactKeys.has(key)) {
        plan.infos.push(`Skipped secret ${quote(listed.name)}: ${verdict.reason}.`);
        continue;
      }
      if (verdict.kind !== 'selected') continue;
      const secret = secrets.get(key);
      if (!secret) {
        const problem = failures.get(key);
        if (problem !== undefined) failWith(problem);
        continue;
      }
      const name = derivedName(listed.name, request.naming);
      const entry = pattern(listed.name);
      for (const variable of planVariables(name, entry, secret, undefined)) {
        candidates.push({
          name: variable.name,
          label: () => `${quote(entry)} (secret ${quote(listed.name)})`,
          sourceKey: `${key}##${variable.name === name ? '' : variable.name}`,
          fromPattern: true,
          variable,
        });
      }
    }
  }

  const { kept, errors } = resolveNameClashes(candidates);
  plan.errors.push(...errors);
  for (const candidate of kept) {
    const reserved = reservedPrefixOf(candidate.name);
    if (reserved !== undefined) {
      plan.errors.push(reservedNameError(candidate.name, candidate.label(), reserved));
      continue;
    }
    plan.variables.push(candidate.variable);
  }
  plan.masks = [...new Set(plan.masks)];
  if (!planFails(plan)) {
    // A certificate written to a file got its own expiry warning from the certificate rule.
    const inFiles = new Set(
      plan.files.map((f) => readKey({ name: f.secretName, version: f.version })),
    );
    const isFile = (v: PlannedVariable): boolean =>
      inFiles.has(readKey({ name: v.properties.name, version: v.properties.version }));
    const windows = {
      expiryDays: request.expiryWarningDays,
      rotationDays: request.rotationWarningDays,
    };
    plan.warnings.push(
      ...validityWarnings(
        request.vaultName,
        plan.variables.filter((v) => !isFile(v)),
        windows,
        now,
      ),
      ...validityWarnings(
        request.vaultName,
        plan.variables.filter(isFile),
        { ...windows, expiryDays: 0 },
        now,
      ),
    );
  }
  plan.rows = summaryRows(request, fetched, plan, now);
  return plan;
}

/** Applies ExpiredSecrets to an exact entry; returns whether its variable is set. */
function validForExact(
  entry: ExactEntry,
  properties: SecretProperties,
  request: PlanRequest,
  now: Date,
  vault: string,
  plan: Plan,
): boolean {
  const reason = skipReason(properties, now);
  if (reason === undefined || reason === 'disabled') return true;
  const when =
    reason === 'expired'
      ? `expired on ${properties.expiresOn?.toISOString() ?? '?'}`
      : `is not valid before ${properties.notBefore?.toISOString() ?? '?'}`;
  if (request.expiredSecrets === 'fail') {
    plan.errors.push(
      `Secret ${quote(entry.text)} in ${vault} ${when}, and ExpiredSecrets is 'fail'. Set a new version of the secret, correct its dates, or set ExpiredSecrets to 'warn'.`,
    );
    return false;
  }
  plan.warnings.push(
    `Secret ${quote(entry.text)} in ${vault} ${when}; it was set anyway because SecretsFilter names it.`,
  );
  return true;
}

/** The text of the first pattern that selects a name: what a variable is credited to. */
function firstIncludingPattern(selection: SecretSelection): (name: string) => string {
  const includes = selection.patterns
    .filter((p) => !p.negated)
    .map((p) => ({ text: p.text, matches: globMatcher(p.glob) }));
  const only = includes.length === 1 ? includes[0]?.text : undefined;
  if (only !== undefined) return () => only;
  return (name) => includes.find((i) => i.matches(name))?.text ?? '*';
}

function fieldError(
  entry: string,
  secretName: string,
  field: string[],
  result: Extract<FieldResult, { ok: false }>,
  vault: string,
): string {
  const path = field.join('.');
  const secret = `secret ${quote(secretName)} in ${vault}`;
  const fix = `Check the field in ${quote(entry)}, or name the whole secret instead.`;
  switch (result.reason) {
    case 'not-json':
      return `SecretsFilter entry ${quote(entry)} reads field ${quote(path)}, but ${secret} does not hold JSON. ${fix}`;
    case 'not-object':
      return result.at.length === 0
        ? `SecretsFilter entry ${quote(entry)} reads field ${quote(path)}, but ${secret} does not hold a JSON object. ${fix}`
        : `SecretsFilter entry ${quote(entry)} reads field ${quote(path)}, but ${quote(result.at.join('.'))} in ${secret} is not a JSON object. ${fix}`;
    case 'missing':
      return `SecretsFilter entry ${quote(entry)} reads field ${quote(path)}, but the JSON object in ${secret} has no field ${quote(result.at.join('.'))}. ${fix}`;
  }
}
