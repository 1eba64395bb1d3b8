import { strict as assert } from 'node:assert';
import { emptyPlan } from '../../src/plan/plan';
import type { ReportContext } from '../../src/report/problemReport';
import type { SummaryRow } from '../../src/report/runSummary';
import { runSummaryOf, type SummaryInput } from '../../src/report/summaryOf';

const CLIENT_ID = '0b5c7a8e-3e2f-4c1d-9a6b-7f8e9d0c1b2a';

const context = (authKind: ReportContext['authKind']): ReportContext => ({
  vaultName: 'contoso-kv',
  vaultUrl: 'https://contoso-kv.vault.azure.net',
  identity: `service principal ${CLIENT_ID} (client secret)`,
  clientId: CLIENT_ID,
  connectionId: '5f1c2d3e-4b5a-4968-8776-a1b2c3d4e5f6',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  authKind,
  authorityHost: 'login.microsoftonline.com',
});

const row: SummaryRow = {
  secretName: 'db-password',
  variables: ['db-password'],
  version: 'a'.repeat(32),
  contentType: undefined,
  updatedOn: undefined,
  expiresOn: undefined,
  status: { kind: 'set' },
  flags: [],
  read: undefined,
};

function input(overrides: Partial<SummaryInput>): SummaryInput {
  const plan = emptyPlan({ rows: [row] });
  return {
    context: context('servicePrincipalSecret'),
    environment: 'AzureCloud',
    who: { appId: CLIENT_ID, objectId: 'c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f', tenantId: 't' },
    plan,
    problems: [],
    dryRun: false,
    dryRunNotes: [],
    marker: undefined,
    taskVersion: '1.0.0',
    now: new Date(0),
    ...overrides,
  };
}

describe('report/summaryOf', () => {
  it('shows a service principal’s application id as the agent does, in the problems too', () => {
    const summary = runSummaryOf(
      input({ problems: [`Service principal ${CLIENT_ID} (client secret) may not read …`] }),
    );
    assert.equal(summary.identity.applicationId, '***');
    assert.deepEqual(summary.outcome, {
      kind: 'failed',
      problems: ['Service principal *** (client secret) may not read …'],
    });
  });

  it('shows a managed identity’s application id as it is: the agent masks no endpoint data', () => {
    const summary = runSummaryOf(input({ context: context('managedIdentity') }));
    assert.equal(summary.identity.applicationId, CLIENT_ID);
  });

  it('turns "set" rows into "read, not set" when the run failed after planning', () => {
    const failed = runSummaryOf(input({ problems: ['Variable … would be refused.'] }));
    assert.deepEqual(failed.rows[0]?.status, { kind: 'notSet' });
    assert.deepEqual(runSummaryOf(input({})).rows[0]?.status, { kind: 'set' });
  });
});
