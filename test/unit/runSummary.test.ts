import { strict as assert } from 'node:assert';
import { renderRunSummary, type SummaryRow } from '../../src/report/runSummary';
import { failedRun, MARKER, typicalRun } from './runSummary.fixtures';
import { renderAuditQuery } from '../../src/report/auditQuery';

/** The facts every summary of the fixtures opens with; `method` is how the identity signs in. */
const facts = (method: string): string[] => [
  '- **Vault**: https://contoso-kv.vault.azure.net',
  `- **Identity**: object id \`c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f\`, application id \`***\`, tenant \`72f988bf-86f1-41af-91ab-2d7cd011db47\` (${method})`,
  '- **Service connection**: `5f1c2d3e-4b5a-4968-8776-a1b2c3d4e5f6` (AzureCloud)',
  '- **Run started**: 2026-12-01 19:46 UTC',
  '- **Run marker**: `(org=a6c1f3d2-1c84-4625-995a-f7f143a1e43d; project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; definition=12; build=345; attempt=1)`',
  '- **Task version**: 1.0.0',
];

/** The reads table's heading. */
const READS = [
  '### What Key Vault answered',
  '',
  'Per read: the role assignment that let it through (RBAC vaults name it on the reads they allow), the client address the vault saw, and the ids to find the read by.',
  '',
  '| Secret | Role assignment | Client address | Request id | Client request id |',
  '| --- | --- | --- | --- | --- |',
];

/** The closing section; the query itself is pinned in auditQuery.test.ts. */
const LOGS = [
  "### This run in Key Vault's logs",
  '',
  'With a diagnostic setting on the vault that sends the `AuditEvent` category to a Log Analytics workspace, this query lists the requests of this run:',
  '',
  '```kusto',
  ...renderAuditQuery({
    marker: MARKER,
    vaultName: 'contoso-kv',
    now: new Date('2026-12-01T19:46:37.120Z'),
  }).split('\n'),
  '```',
  '',
];

describe('report/runSummary', () => {
  it("renders a typical run: header, every secret with its flags, Key Vault's answers, the query", () => {
    assert.equal(
      renderRunSummary(typicalRun()),
      [
        '## Key Vault secrets: contoso-kv',
        '',
        '**Succeeded**: 3 secret variables set from 3 secrets; 2 secrets skipped.',
        '',
        ...facts('service principal with a client secret'),
        '',
        '### Secrets',
        '',
        '| Secret | Variables | Version | Content type | Last updated | Expires | Status |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        '| api-key | `api-key` | `8f1c4e2a9b7d4c3e8a6f5b1d2c3e4f5a` | – | 2026-11-02 08:15 UTC | 2026-12-20 10:00 UTC ⚠️ expires in 18 days | set |',
        '| db-password | `db-password` | `0a1b2c3d4e5f40718293a4b5c6d7e8f9` | text/plain | 2025-10-27 09:00 UTC ⚠️ value 400 days old | – | set |',
        '| tls-cert | `tls-cert` | `f0e1d2c3b4a5469788796a5b4c3d2e1f` | application/x-pkcs12 | 2026-09-01 00:00 UTC | 2027-09-01 00:00 UTC | set |',
        '| old-token | – | – | – | 2025-01-01 00:00 UTC | 2026-01-01 00:00 UTC ⚠️ expired | skipped: expired |',
        '| retired | – | – | – | 2026-03-01 00:00 UTC | – | skipped: disabled |',
        '',
        ...READS,
        '| api-key | `0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a` | `203.0.113.7` (Ipv4) | `1b2c3d4e-0000-4000-8000-000000000001` | `9a8b7c6d-0000-4000-8000-000000000001` |',
        '| db-password | `0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a` | `203.0.113.7` (Ipv4) | `1b2c3d4e-0000-4000-8000-000000000002` | `9a8b7c6d-0000-4000-8000-000000000002` |',
        '| tls-cert | `0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a` | `203.0.113.7` (Ipv4) | `1b2c3d4e-0000-4000-8000-000000000003` | `9a8b7c6d-0000-4000-8000-000000000003` |',
        '',
        ...LOGS,
      ].join('\n'),
    );
  });

  it('renders a failed run: the problems, the failed rows and why, nothing set', () => {
    assert.equal(
      renderRunSummary(failedRun()),
      [
        '## Key Vault secrets: contoso-kv',
        '',
        '**Failed**: 2 secrets could not be read. No variables were set.',
        '',
        ...facts('workload identity federation'),
        '',
        '### Problems',
        '',
        "- secret 'missing-one' not found in vault 'contoso-kv'. Check the names in SecretsFilter.",
        "- service principal \\*\\*\\* (workload identity federation) may not read secret 'payments-key' in vault 'contoso-kv': Azure RBAC denied it. Assign the role \"Key Vault Secrets User\" \\| see &lt;https://aka.ms/x&gt; ##\\_vso\\[task.complete result=Succeeded\\]",
        '',
        '### Secrets',
        '',
        '| Secret | Variables | Version | Content type | Last updated | Expires | Status |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        '| api-key | `api-key` | `8f1c4e2a9b7d4c3e8a6f5b1d2c3e4f5a` | – | 2026-11-02 08:15 UTC | 2026-12-20 10:00 UTC ⚠️ expires in 18 days | read, not set (the run failed) |',
        '| missing-one | – | – | – | – | – | **failed**: not found |',
        '| payments-key | – | – | – | – | – | **failed**: denied by Azure RBAC |',
        '',
        ...READS,
        '| api-key | `0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a` | `203.0.113.7` (Ipv4) | `1b2c3d4e-0000-4000-8000-000000000001` | `9a8b7c6d-0000-4000-8000-000000000001` |',
        '| missing-one | `0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a` | `203.0.113.7` (Ipv4) | `1b2c3d4e-0000-4000-8000-000000000009` | `9a8b7c6d-0000-4000-8000-000000000009` |',
        '| payments-key | – | `203.0.113.7` (Ipv4) | `1b2c3d4e-0000-4000-8000-00000000000a` | `9a8b7c6d-0000-4000-8000-00000000000a` |',
        '',
        ...LOGS,
      ].join('\n'),
    );
  });

  it('keeps untrusted text inside its cell, as the characters it holds', () => {
    const summary = typicalRun();
    summary.rows = [
      {
        ...(summary.rows[0] as SummaryRow),
        variables: ['odd`name', 'app.API_KEY'],
        contentType: 'text/plain | <img src=x> [x](y)\r\n##vso[task.setvariable variable=a]b *c*',
      },
    ];
    const row = renderRunSummary(summary)
      .split('\n')
      .find((line) => line.startsWith('| api-key |'));
    assert.equal(
      row,
      '| api-key | odd\\`name, `app.API_KEY` | `8f1c4e2a9b7d4c3e8a6f5b1d2c3e4f5a` | text/plain \\| &lt;img src=x&gt; \\[x\\](y) ##\\_vso\\[task.setvariable variable=a\\]b \\*c\\* | 2026-11-02 08:15 UTC | 2026-12-20 10:00 UTC ⚠️ expires in 18 days | set |',
    );
    // Seven cells: only the table's own pipes are unescaped.
    assert.equal(row?.match(/(?<!\\)\|/g)?.length, 8);
  });

  it('says why there is no query when the agent gave no run ids', () => {
    const text = renderRunSummary({ ...typicalRun(), marker: undefined });
    assert.ok(text.includes('- **Run marker**: none (the agent gave no run ids)\n'));
    assert.ok(!text.includes('```kusto'));
    assert.ok(
      text.endsWith(
        'The agent set none of the run ids (System.CollectionId, System.TeamProjectId, System.DefinitionId, Build.BuildId or Release.ReleaseId, System.JobAttempt), so the requests carry no run marker to search for.\n',
      ),
    );
  });

  it('renders a dry run: what would be set, what was checked, no reads', () => {
    const typical = typicalRun();
    const text = renderRunSummary({
      ...typical,
      dryRun: true,
      rows: typical.rows.map((row) =>
        row.status.kind === 'set' ? { ...row, status: { kind: 'wouldSet' }, read: undefined } : row,
      ),
      dryRunNotes: ['Listing secrets is allowed.', 'A dry run cannot prove the Get permission.'],
    });
    const lines = text.split('\n');
    assert.equal(
      lines[2],
      '**Dry run**: 3 variables would be set from 3 secrets; 2 secrets skipped. No value was read and no variable was set.',
    );
    assert.deepEqual(
      lines.slice(
        lines.indexOf('### What this dry run checked'),
        lines.indexOf('### What this dry run checked') + 4,
      ),
      [
        '### What this dry run checked',
        '',
        '- Listing secrets is allowed.',
        '- A dry run cannot prove the Get permission.',
      ],
    );
    assert.ok(
      lines.includes(
        '| api-key | `api-key` | `8f1c4e2a9b7d4c3e8a6f5b1d2c3e4f5a` | – | 2026-11-02 08:15 UTC | 2026-12-20 10:00 UTC ⚠️ expires in 18 days | would be set |',
      ),
    );
    assert.ok(!text.includes('### What Key Vault answered'));
    assert.ok(text.includes(MARKER));
  });
});
