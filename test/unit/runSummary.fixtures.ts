import type { RunSummary, SummaryRow } from '../../src/report/runSummary';

export const MARKER =
  '(org=a6c1f3d2-1c84-4625-995a-f7f143a1e43d; project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; definition=12; build=345; attempt=1)';

const read = (n: number): SummaryRow['read'] => ({
  requestId: `1b2c3d4e-0000-4000-8000-00000000000${n}`,
  clientRequestId: `9a8b7c6d-0000-4000-8000-00000000000${n}`,
  rbacAssignmentId: '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a',
  networkInfo: 'conn_type=Ipv4;addr=203.0.113.7;act_addr_fam=InterNetwork;',
});

/** A run of `*` that set three secrets (one expiring, one due for rotation) and skipped two. */
export function typicalRun(): RunSummary {
  return {
    vaultName: 'contoso-kv',
    vaultUrl: 'https://contoso-kv.vault.azure.net',
    identity: {
      objectId: 'c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f',
      applicationId: '***',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      method: 'service principal with a client secret',
    },
    connection: { id: '5f1c2d3e-4b5a-4968-8776-a1b2c3d4e5f6', environment: 'AzureCloud' },
    dryRun: false,
    outcome: { kind: 'succeeded' },
    rows: [
      {
        secretName: 'api-key',
        variables: ['api-key'],
        version: '8f1c4e2a9b7d4c3e8a6f5b1d2c3e4f5a',
        contentType: undefined,
        updatedOn: new Date('2026-11-02T08:15:00Z'),
        expiresOn: new Date('2026-12-20T10:00:00Z'),
        status: { kind: 'set' },
        flags: [{ kind: 'expiring', daysLeft: 18 }],
        read: read(1),
      },
      {
        secretName: 'db-password',
        variables: ['db-password'],
        version: '0a1b2c3d4e5f40718293a4b5c6d7e8f9',
        contentType: 'text/plain',
        updatedOn: new Date('2025-10-27T09:00:00Z'),
        expiresOn: undefined,
        status: { kind: 'set' },
        flags: [{ kind: 'rotationDue', ageDays: 400 }],
        read: read(2),
      },
      {
        secretName: 'tls-cert',
        variables: ['tls-cert'],
        version: 'f0e1d2c3b4a5469788796a5b4c3d2e1f',
        contentType: 'application/x-pkcs12',
        updatedOn: new Date('2026-09-01T00:00:00Z'),
        expiresOn: new Date('2027-09-01T00:00:00Z'),
        status: { kind: 'set' },
        flags: [],
        read: read(3),
      },
      {
        secretName: 'old-token',
        variables: [],
        version: undefined,
        contentType: undefined,
        updatedOn: new Date('2025-01-01T00:00:00Z'),
        expiresOn: new Date('2026-01-01T00:00:00Z'),
        status: { kind: 'skipped', reason: 'expired' },
        flags: [{ kind: 'expired' }],
        read: undefined,
      },
      {
        secretName: 'retired',
        variables: [],
        version: undefined,
        contentType: undefined,
        updatedOn: new Date('2026-03-01T00:00:00Z'),
        expiresOn: undefined,
        status: { kind: 'skipped', reason: 'disabled' },
        flags: [],
        read: undefined,
      },
    ],
    dryRunNotes: [],
    marker: MARKER,
    taskVersion: '1.0.0',
    now: new Date('2026-12-01T19:46:37.120Z'),
  };
}

/** A named run where one secret was denied and one is missing: nothing was set. */
export function failedRun(): RunSummary {
  const typical = typicalRun();
  return {
    ...typical,
    identity: { ...typical.identity, method: 'workload identity federation' },
    outcome: {
      kind: 'failed',
      problems: [
        "secret 'missing-one' not found in vault 'contoso-kv'. Check the names in SecretsFilter.",
        "service principal *** (workload identity federation) may not read secret 'payments-key' in vault 'contoso-kv': Azure RBAC denied it. Assign the role \"Key Vault Secrets User\" | see <https://aka.ms/x> ##vso[task.complete result=Succeeded]",
      ],
    },
    rows: [
      {
        ...(typical.rows[0] as SummaryRow),
        status: { kind: 'notSet' },
      },
      {
        secretName: 'missing-one',
        variables: [],
        version: undefined,
        contentType: undefined,
        updatedOn: undefined,
        expiresOn: undefined,
        status: { kind: 'failed', reason: 'not found' },
        flags: [],
        read: {
          requestId: '1b2c3d4e-0000-4000-8000-000000000009',
          clientRequestId: '9a8b7c6d-0000-4000-8000-000000000009',
          rbacAssignmentId: '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a',
          networkInfo: 'conn_type=Ipv4;addr=203.0.113.7;act_addr_fam=InterNetwork;',
        },
      },
      {
        secretName: 'payments-key',
        variables: [],
        version: undefined,
        contentType: undefined,
        updatedOn: undefined,
        expiresOn: undefined,
        status: { kind: 'failed', reason: 'denied by Azure RBAC' },
        flags: [],
        read: {
          requestId: '1b2c3d4e-0000-4000-8000-00000000000a',
          clientRequestId: '9a8b7c6d-0000-4000-8000-00000000000a',
          rbacAssignmentId: undefined,
          networkInfo: 'conn_type=Ipv4;addr=203.0.113.7;act_addr_fam=InterNetwork;',
        },
      },
    ],
  };
}
