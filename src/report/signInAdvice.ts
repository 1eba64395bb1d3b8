import type { ErrorFacts } from '../errors/errorFacts';
import type { ReportContext } from './problemReport';
import { neutraliseCommands } from './safeText';

/** Entra's AADSTS code in a sign-in error, e.g. 7000215 (docs/azure-protocols.md §3). */
export function aadstsCode(message: string): number | undefined {
  const match = /AADSTS(\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

function quoted(message: string, label: RegExp): string | undefined {
  return label.exec(message)?.[1];
}

/**
 * The agent masks every endpoint parameter, the client id included, in every log line: a command
 * with the client id in it would show `--id ***`. Say where the user finds it instead.
 */
export const APPLICATION_ID_HINT =
  '<application id: the service connection\'s "Service Principal Id" (Project settings > Service connections)>';

/** What Entra said, or what it did when it said nothing (a 429 with an empty body, say). */
function entraSaid(facts: ErrorFacts): string {
  // Entra's own description, as identity keeps it, or as MSAL's message carries it: Entra's
  // descriptions start with their AADSTS code (nothing else of the library's text is quoted).
  // From a library message, the description ends at the first double quote or backslash: past
  // it lies the JSON the library may have embedded (AzurePipelinesCredential quotes the whole
  // OIDC exchange, request headers included), never Entra's words.
  const said = (facts.serviceMessage ?? /AADSTS\d+:[^\r\n"\\]*/.exec(facts.message)?.[0])
    ?.split(/\r?\n/)[0]
    ?.trim();
  if (said) return `Entra said: ${neutraliseCommands(said.slice(0, 400))}`;
  const request = facts.requestId ? `, request id ${facts.requestId}` : '';
  if (facts.code === 'ENTRA_NOT_JSON')
    return `Microsoft Entra ID answered the token request with HTTP ${facts.status ?? 200}${request}, but its body is not valid JSON (not shown: it may hold a token). A proxy or gateway between the agent and Entra may have altered it: re-run the job; check the agent's proxy if it persists.`;
  if (facts.code === 'ENTRA_REDIRECT')
    return `Microsoft Entra ID answered the token request with a redirect (HTTP ${facts.status ?? '3xx'}${request}); Entra's token endpoint never redirects, so something between the agent and Entra (a proxy, a captive portal) answered in its place. Check the agent's proxy.`;
  if (facts.status === 429)
    return `Microsoft Entra ID kept throttling sign-in requests (HTTP 429${request}) after retries, with no explanation: wait a few minutes and re-run the job; spread jobs that sign in with this connection over time.`;
  return facts.status !== undefined
    ? `Microsoft Entra ID answered HTTP ${facts.status}${request} with no explanation.`
    : 'Microsoft Entra ID gave no explanation.';
}

function federatedCredentialCommand(ctx: ReportContext, issuer: string, subject: string): string {
  const parameters = JSON.stringify({
    name: 'azure-devops',
    issuer,
    subject,
    audiences: ['api://AzureADTokenExchange'],
  });
  return `az ad app federated-credential create --id '${APPLICATION_ID_HINT}' --parameters '${parameters}'`;
}

/** What went wrong signing in, and what to change, per Entra code or credential failure. */
export function signInAdvice(facts: ErrorFacts, ctx: ReportContext): string {
  const m = facts.message;
  const app = `application ${ctx.clientId ?? '(unknown)'}`;
  const connection = `service connection '${ctx.connectionId}'`;
  switch (aadstsCode(m)) {
    case 7000222:
      return `The client secret of ${app} in ${connection} has expired (AADSTS7000222). Create a new secret (az ad app credential reset --id '${APPLICATION_ID_HINT}' --append) and update the connection with it, or better, convert the connection to workload identity federation, which has no secret to expire.`;
    case 7000215:
      return `The client secret in ${connection} is not valid for ${app} (AADSTS7000215). It may be the secret's ID instead of its value, or a secret that was deleted. Update the connection with the secret value, or convert it to workload identity federation.`;
    case 700016:
      return `${app} was not found in tenant ${ctx.tenantId ?? '(unknown)'} (AADSTS700016). Check the application (client) id and tenant id of ${connection}; the app registration may have been deleted or may live in another tenant.`;
    case 70021:
    case 700213: {
      const issuer = quoted(m, /Assertion Issuer: '([^']+)'/);
      const subject =
        quoted(m, /Assertion Subject: '([^']+)'/) ?? quoted(m, /assertion subject '([^']+)'/);
      const register =
        issuer && subject
          ? ` Register it with issuer '${issuer}' and subject '${subject}': ${federatedCredentialCommand(ctx, issuer, subject)}`
          : subject
            ? ` Register it with subject '${subject}' (the issuer is https://vstoken.dev.azure.com/<organization id>).`
            : '';
      return `${app} has no federated credential matching ${connection} (AADSTS${aadstsCode(m)}). The subject is sc://<organization>/<project>/<connection name> and changes when the organization, project or connection is renamed.${register}`;
    }
    case 700027:
      return `The certificate in ${connection} is not accepted for ${app} (AADSTS700027): it is not registered on the app registration, or its private key does not match. Upload the certificate's public part to the app (az ad app credential reset --id '${APPLICATION_ID_HINT}' --cert @certificate.pem --append), or update the connection with the certificate the app has.`;
    case 700024:
      return `Entra refused the client assertion as outside its valid time range (AADSTS700024). Check the agent's clock, then re-run the job.`;
    case undefined:
      break;
    default:
      return `Signing in as ${ctx.identity} with ${connection} failed (AADSTS${aadstsCode(m)}). ${entraSaid(facts)}`;
  }
  if (/AzurePipelinesCredential/.test(m)) {
    // Never quote the OIDC failure: identity's message embeds the whole HTTP exchange.
    const status = facts.status;
    if (status === 401 || status === 403) {
      return `Azure DevOps refused to issue an OIDC token for ${connection} (HTTP ${status}). The job's access token may not use this connection: check the connection's pipeline permissions (Project settings > Service connections > Security) and that the job's authorization scope includes it.`;
    }
    if (status === 404 || status === 400) {
      return `Azure DevOps found no service connection '${ctx.connectionId}' to issue an OIDC token for (HTTP ${status}). Check that the connection still exists and uses workload identity federation.`;
    }
    return `Requesting an OIDC token from Azure DevOps for ${connection} failed${status ? ` (HTTP ${status})` : ''}. Re-run the job; if it persists, check the agent's access to the Azure DevOps organization.`;
  }
  if (ctx.authKind === 'managedIdentity') {
    if (
      /Identity not found|not found|invalid_request/i.test(m) &&
      facts.name !== 'CredentialUnavailableError'
    ) {
      return `The user-assigned managed identity ${ctx.clientId ?? ''} is not attached to this agent's machine. Attach it to the VM or scale set that runs the agent, or fix the client id in ${connection}.`.replace(
        '  ',
        ' ',
      );
    }
    return `No managed identity is available on this agent. Microsoft-hosted agents have none: run the job on a self-hosted agent on an Azure VM or scale set with a managed identity, or use a connection with workload identity federation.`;
  }
  // What the wire showed is the whole story: the connection's settings are not in question.
  if ((facts.status === 429 && !facts.serviceMessage) || facts.code?.startsWith('ENTRA_')) {
    return `Signing in to Microsoft Entra ID as ${ctx.identity} with ${connection} failed. ${entraSaid(facts)}`;
  }
  return `Signing in to Microsoft Entra ID as ${ctx.identity} with ${connection} failed. ${entraSaid(facts)} Check the service connection (Project settings > Service connections > Verify).`;
}
