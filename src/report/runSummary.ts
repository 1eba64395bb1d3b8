/**
 * The run summary: the Markdown file the task attaches to the run (Extensions tab). It says what
 * the run read, as whom, and what Key Vault answered, never a value or a token. Every text that
 * did not come from this module is escaped (markdown.ts).
 */
import { renderAuditQuery } from './auditQuery';
import { code, escapeMarkdown, formatDate, table } from './markdown';
import { timeLeft } from './validityMessages';
import type { ReadFacts } from '../vault/readFacts';

export type RowStatus =
  | { kind: 'set' }
  /** Dry run: the variables this secret would set. */
  | { kind: 'wouldSet' }
  /** Read, but not set: another secret failed and the run sets all or nothing. */
  | { kind: 'notSet' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string };

export type RowFlag =
  | { kind: 'expired' }
  | { kind: 'expiring'; daysLeft: number }
  | { kind: 'rotationDue'; ageDays: number };

export interface SummaryRow {
  secretName: string;
  /** Variables set (or that would be set) from it; none when skipped or failed. */
  variables: string[];
  version: string | undefined;
  contentType: string | undefined;
  updatedOn: Date | undefined;
  expiresOn: Date | undefined;
  status: RowStatus;
  flags: RowFlag[];
  /** Undefined when the secret's value was not read (listed only, skipped, dry run). */
  read: ReadFacts | undefined;
}

export interface RunSummary {
  vaultName: string;
  vaultUrl: string;
  identity: {
    /** From the access token; undefined before a sign-in. */
    objectId: string | undefined;
    /** As the agent shows it: `***` when it is a masked service connection parameter. */
    applicationId: string | undefined;
    tenantId: string | undefined;
    /** How it signs in, e.g. "service principal with a client secret". */
    method: string;
  };
  connection: { id: string; environment: string };
  dryRun: boolean;
  /** Failed runs list our own messages (problemReport.ts); they may quote service text. */
  outcome: { kind: 'succeeded' } | { kind: 'failed'; problems: string[] };
  rows: SummaryRow[];
  /** What a dry run checked and what it could not (empty for a real run). */
  dryRunNotes: string[];
  /** The run marker in the User-Agent (audit/userAgent.ts), when the agent gave the run's ids. */
  marker: string | undefined;
  taskVersion: string;
  /** The run's one `now`. */
  now: Date;
}

const NONE = '–';
const WARN = '⚠️';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function headline(summary: RunSummary): string {
  const count = (kind: RowStatus['kind']): number =>
    summary.rows.filter((row) => row.status.kind === kind).length;
  const variables = summary.rows.reduce(
    (sum, row) =>
      sum +
      (row.status.kind === 'set' || row.status.kind === 'wouldSet' ? row.variables.length : 0),
    0,
  );
  const skipped = count('skipped');
  const tail = skipped > 0 ? `; ${plural(skipped, 'secret')} skipped` : '';
  if (summary.outcome.kind === 'failed') {
    const failed = count('failed');
    const problems = summary.outcome.problems.length;
    return `**Failed${summary.dryRun ? ' (dry run)' : ''}**: ${failed > 0 ? `${plural(failed, 'secret')} could not be read` : plural(problems, 'problem')}${tail}. No variables were set.`;
  }
  if (summary.dryRun) {
    return `**Dry run**: ${plural(variables, 'variable')} would be set from ${plural(count('wouldSet'), 'secret')}${tail}. No value was read and no variable was set.`;
  }
  return `**Succeeded**: ${plural(variables, 'secret variable')} set from ${plural(count('set'), 'secret')}${tail}.`;
}

function identityCell(identity: RunSummary['identity']): string {
  const parts = [
    `object id ${identity.objectId ? code(identity.objectId) : '(not signed in)'}`,
    `application id ${identity.applicationId ? code(identity.applicationId) : NONE}`,
    `tenant ${identity.tenantId ? code(identity.tenantId) : NONE}`,
  ];
  return `${parts.join(', ')} (${escapeMarkdown(identity.method)})`;
}

function statusCell(status: RowStatus): string {
  switch (status.kind) {
    case 'set':
      return 'set';
    case 'wouldSet':
      return 'would be set';
    case 'notSet':
      return 'read, not set (the run failed)';
    case 'skipped':
      return `skipped: ${escapeMarkdown(status.reason)}`;
    case 'failed':
      return `**failed**: ${escapeMarkdown(status.reason)}`;
  }
}

function expiresCell(row: SummaryRow): string {
  const date = row.expiresOn ? formatDate(row.expiresOn) : NONE;
  const notes = row.flags.flatMap((flag) =>
    flag.kind === 'expired'
      ? [`${WARN} expired`]
      : flag.kind === 'expiring'
        ? [`${WARN} expires ${timeLeft(flag.daysLeft)}`]
        : [],
  );
  return [date, ...notes].join(' ');
}

function updatedCell(row: SummaryRow): string {
  const date = row.updatedOn ? formatDate(row.updatedOn) : NONE;
  const rotation = row.flags.find((flag) => flag.kind === 'rotationDue');
  return rotation?.kind === 'rotationDue'
    ? `${date} ${WARN} value ${plural(rotation.ageDays, 'day')} old`
    : date;
}

function secretsTable(rows: SummaryRow[]): string[] {
  return table(
    ['Secret', 'Variables', 'Version', 'Content type', 'Last updated', 'Expires', 'Status'],
    rows.map((row) => [
      escapeMarkdown(row.secretName),
      row.variables.length > 0 ? row.variables.map(code).join(', ') : NONE,
      row.version ? code(row.version) : NONE,
      row.contentType ? escapeMarkdown(row.contentType) : NONE,
      updatedCell(row),
      expiresCell(row),
      statusCell(row.status),
    ]),
  );
}

/** `conn_type=Ipv4;addr=10.1.2.3;act_addr_fam=InterNetwork;` → `10.1.2.3` (Ipv4). */
function networkCell(networkInfo: string | undefined): string {
  if (!networkInfo) return NONE;
  const fields = new Map(
    networkInfo
      .split(';')
      .map((pair) => pair.split('='))
      .filter((pair): pair is [string, string] => pair.length === 2)
      .map(([key, value]) => [key.trim(), value.trim()]),
  );
  const address = fields.get('addr');
  if (!address) return code(networkInfo);
  const kind = fields.get('conn_type');
  return `${code(address)}${kind ? ` (${escapeMarkdown(kind)})` : ''}`;
}

function readsTable(rows: SummaryRow[]): string[] {
  return table(
    ['Secret', 'Role assignment', 'Client address', 'Request id', 'Client request id'],
    rows.flatMap((row) => {
      const read = row.read;
      if (!read) return [];
      return [
        [
          escapeMarkdown(row.secretName),
          read.rbacAssignmentId ? code(read.rbacAssignmentId) : NONE,
          networkCell(read.networkInfo),
          read.requestId ? code(read.requestId) : NONE,
          read.clientRequestId ? code(read.clientRequestId) : NONE,
        ],
      ];
    }),
  );
}

/** The summary's Markdown, ending with a newline. */
export function renderRunSummary(summary: RunSummary): string {
  const lines: string[] = [
    `## Key Vault secrets: ${escapeMarkdown(summary.vaultName)}`,
    '',
    headline(summary),
    '',
    `- **Vault**: ${escapeMarkdown(summary.vaultUrl)}`,
    `- **Identity**: ${identityCell(summary.identity)}`,
    `- **Service connection**: ${code(summary.connection.id)} (${escapeMarkdown(summary.connection.environment)})`,
    `- **Run started**: ${formatDate(summary.now)}`,
    `- **Run marker**: ${summary.marker ? code(summary.marker) : 'none (the agent gave no run ids)'}`,
    `- **Task version**: ${escapeMarkdown(summary.taskVersion)}`,
  ];

  if (summary.outcome.kind === 'failed') {
    lines.push(
      '',
      '### Problems',
      '',
      ...summary.outcome.problems.map((p) => `- ${escapeMarkdown(p)}`),
    );
  }
  if (summary.dryRunNotes.length > 0) {
    lines.push(
      '',
      '### What this dry run checked',
      '',
      ...summary.dryRunNotes.map((n) => `- ${escapeMarkdown(n)}`),
    );
  }
  if (summary.rows.length > 0) lines.push('', '### Secrets', '', ...secretsTable(summary.rows));
  if (summary.rows.some((row) => row.read)) {
    lines.push(
      '',
      '### What Key Vault answered',
      '',
      summary.dryRun
        ? 'Per secret, for the request that read its version list: the role assignment that let it through (RBAC vaults name it on the requests they allow), the client address the vault saw, and the ids to find the request by.'
        : 'Per read: the role assignment that let it through (RBAC vaults name it on the reads they allow), the client address the vault saw, and the ids to find the read by.',
      '',
      ...readsTable(summary.rows),
    );
  }

  lines.push('', "### This run in Key Vault's logs", '');
  if (summary.marker) {
    lines.push(
      'With a diagnostic setting on the vault that sends the `AuditEvent` category to a Log Analytics workspace, this query lists the requests of this run:',
      '',
      '```kusto',
      renderAuditQuery({ marker: summary.marker, vaultName: summary.vaultName, now: summary.now }),
      '```',
    );
  } else {
    lines.push(
      'The agent set none of the run ids (System.CollectionId, System.TeamProjectId, System.DefinitionId, Build.BuildId or Release.ReleaseId, System.JobAttempt), so the requests carry no run marker to search for.',
    );
  }
  return `${lines.join('\n')}\n`;
}
