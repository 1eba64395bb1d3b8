import { CAUSE_LABELS } from '../report/causeLabels';
import type { RowFlag, RowStatus, SummaryRow } from '../report/runSummary';
import { listingJudge } from '../secrets/listingSelection';
import { expiryState, rotationDue } from '../secrets/validityWindows';
import { readKey, type FetchedSecret, type FetchOutcome } from '../vault/fetchSecrets';
import type { SecretProperties } from '../vault/secretSource';
import type { PlanRequest } from './buildPlan';
import { planFails, type Plan } from './plan';

function flagsOf(properties: SecretProperties, request: PlanRequest, now: Date): RowFlag[] {
  const flags: RowFlag[] = [];
  const expiry = expiryState(properties.expiresOn, now, request.expiryWarningDays);
  if (expiry) flags.push(expiry);
  const rotation = rotationDue(properties.createdOn, now, request.rotationWarningDays);
  if (rotation) flags.push({ kind: 'rotationDue', ageDays: rotation.ageDays });
  return flags;
}

function propertyCells(
  properties: SecretProperties,
): Pick<SummaryRow, 'version' | 'contentType' | 'updatedOn' | 'expiresOn'> {
  return {
    version: properties.version,
    contentType: properties.contentType,
    updatedOn: properties.updatedOn,
    expiresOn: properties.expiresOn,
  };
}

const NO_PROPERTIES = {
  version: undefined,
  contentType: undefined,
  updatedOn: undefined,
  expiresOn: undefined,
} as const;

/**
 * The run summary's rows, one per read: every exact entry's read in the order written, then what
 * the listing selected or skipped, in listing order. Pure; judges the listing with the same rules
 * as the fetch and the plan (listingJudge), so the rows never disagree with what was set.
 */
export function summaryRows(
  request: PlanRequest,
  fetched: FetchOutcome,
  plan: Plan,
  now: Date,
): SummaryRow[] {
  const secrets = new Map(fetched.secrets.map((s) => [readKey(s.read), s]));
  const failures = new Map(fetched.failures.map((f) => [readKey(f.read), f.problem]));
  const stopped = fetched.problems[0];
  const status: RowStatus = planFails(plan)
    ? { kind: 'notSet' }
    : request.dryRun
      ? { kind: 'wouldSet' }
      : { kind: 'set' };
  const rows: SummaryRow[] = [];
  const done = new Set<string>();

  // Variables by the secret version they come from (a listing of thousands: no scan per row).
  const variablesByVersion = new Map<string, string[]>();
  for (const v of plan.variables) {
    const key = readKey({ name: v.properties.name, version: v.properties.version });
    variablesByVersion.set(key, [...(variablesByVersion.get(key) ?? []), v.name]);
  }

  const readRow = (secret: FetchedSecret): SummaryRow => {
    const key = readKey({ name: secret.properties.name, version: secret.properties.version });
    const variables = variablesByVersion.get(key) ?? [];
    return {
      secretName: secret.properties.name,
      variables,
      ...propertyCells(secret.properties),
      status:
        variables.length > 0 || status.kind === 'notSet'
          ? status
          : { kind: 'skipped', reason: 'no variable planned' },
      flags: flagsOf(secret.properties, request, now),
      read: secret.answer,
    };
  };

  /** A read that gave no secret: failed for a reason of its own, or never made. */
  const unreadRow = (
    name: string,
    version: string | undefined,
    key: string,
    optional: boolean,
  ): SummaryRow => {
    const problem = failures.get(key);
    const base = { secretName: name, variables: [], ...NO_PROPERTIES, version, flags: [] };
    if (!problem) {
      const why = stopped ? CAUSE_LABELS[stopped.cause] : 'the run stopped';
      return { ...base, status: { kind: 'failed', reason: `not read: ${why}` }, read: undefined };
    }
    const label = CAUSE_LABELS[problem.cause];
    const optionalMiss =
      optional && (problem.cause === 'not-found' || problem.cause === 'disabled');
    return {
      ...base,
      status: optionalMiss
        ? { kind: 'skipped', reason: `optional, ${label}` }
        : { kind: 'failed', reason: label },
      read: problem.facts.answer,
    };
  };

  for (const entry of request.selection.exact) {
    const key = readKey({ name: entry.secretName, version: entry.version });
    if (done.has(key)) continue;
    done.add(key);
    const secret = secrets.get(key);
    rows.push(
      secret ? readRow(secret) : unreadRow(entry.secretName, entry.version, key, entry.optional),
    );
  }

  if (fetched.listed) {
    const judge = listingJudge({ patterns: request.selection.patterns, tags: request.tags }, now);
    for (const listed of fetched.listed) {
      const verdict = judge(listed);
      if (verdict.kind === 'unmatched') continue;
      const key = readKey({ name: listed.name, version: undefined });
      if (done.has(key)) continue;
      done.add(key);
      if (verdict.kind === 'skipped') {
        rows.push({
          secretName: listed.name,
          variables: [],
          ...propertyCells(listed),
          status: { kind: 'skipped', reason: verdict.reason },
          flags: flagsOf(listed, request, now),
          read: undefined,
        });
        continue;
      }
      const secret = secrets.get(key);
      rows.push(secret ? readRow(secret) : unreadRow(listed.name, undefined, key, false));
    }
  }
  return rows;
}
