/**
 * The Log Analytics (Kusto) query that lists one run's requests to one vault from Key Vault's own
 * audit log. Key Vault writes the `AuditEvent` category through a diagnostic setting, either to the
 * resource-specific table `AZKVAuditLogs` or to the legacy `AzureDiagnostics` table (columns with
 * type suffixes); the User-Agent is `ClientInfo` / `clientInfo_s` and the client request id
 * `CorrelationId` (docs/azure-protocols.md §7; learn.microsoft.com: "AZKVAuditLogs" table
 * reference, "Azure Key Vault logging").
 */

export interface AuditQueryInput {
  /** The run marker from the User-Agent, parentheses included (audit/userAgent.ts). */
  marker: string;
  vaultName: string;
  /** The run's start. */
  now: Date;
}

/** Before the start: clocks differ. After it: the longest run (TimeoutSeconds is at most 3600). */
const WINDOW_BEFORE_MS = 10 * 60_000;
const WINDOW_AFTER_MS = 2 * 3600_000;

/** A Kusto string literal; the marker and vault names hold no quote or backslash, but be exact. */
function kustoString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The query. `union isfuzzy=true` lets it run in a workspace that has only one of the two tables;
 * the time filter keeps it cheap and makes it work whatever time range the portal has selected.
 */
export function renderAuditQuery(input: AuditQueryInput): string {
  const from = new Date(input.now.getTime() - WINDOW_BEFORE_MS).toISOString();
  const to = new Date(input.now.getTime() + WINDOW_AFTER_MS).toISOString();
  const marker = kustoString(input.marker);
  const vault = kustoString(input.vaultName);
  const vaultPath = kustoString(`/vaults/${input.vaultName}`);
  return [
    `// Key Vault requests of this run to vault ${input.vaultName}, by the run marker in the User-Agent.`,
    'union isfuzzy=true',
    '  (AZKVAuditLogs',
    `    | where TimeGenerated between (datetime(${from}) .. datetime(${to}))`,
    `    | where _ResourceId endswith ${vaultPath} and ClientInfo contains ${marker}`,
    '    | project TimeGenerated, OperationName, ResultSignature, HttpStatusCode = toint(HttpStatusCode),',
    '        RequestUri, CallerIpAddress, CorrelationId, AppliedAssignmentId, ClientInfo),',
    '  (AzureDiagnostics',
    `    | where TimeGenerated between (datetime(${from}) .. datetime(${to}))`,
    `    | where ResourceProvider == "MICROSOFT.KEYVAULT" and Category == "AuditEvent" and Resource =~ ${vault}`,
    `    | where clientInfo_s contains ${marker}`,
    '    | project TimeGenerated, OperationName, ResultSignature, HttpStatusCode = toint(httpStatusCode_d),',
    '        RequestUri = requestUri_s, CallerIpAddress = CallerIPAddress, CorrelationId, ClientInfo = clientInfo_s)',
    '| order by TimeGenerated asc',
  ].join('\n');
}
