import { strict as assert } from 'node:assert';
import { renderAuditQuery } from '../../src/report/auditQuery';

describe('report/auditQuery', () => {
  it('lists the run’s requests to the vault from either audit table, around the run’s start', () => {
    assert.equal(
      renderAuditQuery({
        marker:
          '(org=a6c1f3d2-1c84-4625-995a-f7f143a1e43d; project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; definition=12; build=345; attempt=1)',
        vaultName: 'contoso-kv',
        now: new Date('2026-12-01T19:46:37.120Z'),
      }),
      [
        '// Key Vault requests of this run to vault contoso-kv, by the run marker in the User-Agent.',
        'union isfuzzy=true',
        '  (AZKVAuditLogs',
        '    | where TimeGenerated between (datetime(2026-12-01T19:36:37.120Z) .. datetime(2026-12-01T21:46:37.120Z))',
        '    | where _ResourceId endswith "/vaults/contoso-kv" and ClientInfo contains "(org=a6c1f3d2-1c84-4625-995a-f7f143a1e43d; project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; definition=12; build=345; attempt=1)"',
        '    | project TimeGenerated, OperationName, ResultSignature, HttpStatusCode = toint(HttpStatusCode),',
        '        RequestUri, CallerIpAddress, CorrelationId, AppliedAssignmentId, ClientInfo),',
        '  (AzureDiagnostics',
        '    | where TimeGenerated between (datetime(2026-12-01T19:36:37.120Z) .. datetime(2026-12-01T21:46:37.120Z))',
        '    | where ResourceProvider == "MICROSOFT.KEYVAULT" and Category == "AuditEvent" and Resource =~ "contoso-kv"',
        '    | where clientInfo_s contains "(org=a6c1f3d2-1c84-4625-995a-f7f143a1e43d; project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; definition=12; build=345; attempt=1)"',
        '    | project TimeGenerated, OperationName, ResultSignature, HttpStatusCode = toint(httpStatusCode_d),',
        '        RequestUri = requestUri_s, CallerIpAddress = CallerIPAddress, CorrelationId, ClientInfo = clientInfo_s)',
        '| order by TimeGenerated asc',
      ].join('\n'),
    );
  });

  it('quotes its strings as Kusto literals', () => {
    const query = renderAuditQuery({ marker: 'a"b\\c', vaultName: 'kv', now: new Date(0) });
    assert.ok(query.includes('ClientInfo contains "a\\"b\\\\c"'));
  });
});
