import type { AuthMethod } from '../config/connection';
import type { Cause, Problem } from '../errors/classifyProblem';
import { signInAdvice } from './signInAdvice';
import { neutraliseCommands, quote } from './safeText';

/** Who asked, and where: every message names the vault, the identity and the connection. */
export interface ReportContext {
  vaultName: string;
  vaultUrl: string;
  /** e.g. "service principal 1111… (client secret)". */
  identity: string;
  /** Application (client) id when the identity has one, for Azure CLI commands. */
  clientId: string | undefined;
  connectionId: string;
  tenantId: string | undefined;
  authKind: AuthMethod['kind'];
  /** Entra authority of the connection's cloud, e.g. https://login.microsoftonline.com. */
  authorityHost?: string;
  /** Object id of the identity, once a token named it. The agent masks the client id (an
   * endpoint parameter) in every log line, so commands the user is to copy use this id. */
  objectId?: string;
}

/** Which service a host is, in the words a user knows. */
export function serviceAt(host: string | undefined, ctx: ReportContext): string {
  if (host === undefined) return `vault '${ctx.vaultName}'`;
  const lower = host.toLowerCase();
  if (lower === hostnameOf(ctx.vaultUrl)) return `vault '${ctx.vaultName}'`;
  if (ctx.authorityHost !== undefined && lower === hostnameOf(ctx.authorityHost))
    return `Microsoft Entra ID (${lower})`;
  if (/(^|\.)(dev\.azure\.com|visualstudio\.com)$/.test(lower)) return `Azure DevOps (${lower})`;
  if (lower === '127.0.0.1' || lower === '169.254.169.254' || lower === 'localhost')
    return `the managed identity endpoint (${lower})`;
  return lower;
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Status and request id of a failed answer, for a message: " (HTTP 200, request id …)". */
function answerFacts(problem: Problem): string {
  const { status, requestId } = problem.facts;
  const parts = [
    ...(status !== undefined ? [`HTTP ${status}`] : []),
    ...(requestId !== undefined ? [`request id ${requestId}`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The object id to put in a command: from the denial, from the token, or where to find it. */
function objectIdFor(ctx: ReportContext, fromDenial: string | undefined): string {
  return fromDenial ?? ctx.objectId ?? '<object id of the identity>';
}

/** Fields Key Vault puts in its 403 messages (docs/azure-protocols.md §2): caller, resource, client address. */
function serviceField(message: string, pattern: RegExp): string | undefined {
  return pattern.exec(message)?.[1];
}

function names(problems: Problem[]): string {
  const listed = problems.map((p) => quote(p.secretName ?? '?'));
  const shown = listed.slice(0, 20).join(', ');
  return listed.length > 20 ? `${shown} and ${listed.length - 20} more` : shown;
}

function which(problems: Problem[]): string {
  const named = problems.filter((p) => p.secretName !== undefined);
  if (named.length === 0) return '';
  return named.length === 1
    ? `secret ${names(named)}`
    : `${named.length} secrets (${names(named)})`;
}

/** The first line of what the service wrote in its error body, defused: it is untrusted. */
function serviceSays(problem: Problem): string {
  const first = problem.facts.serviceMessage?.split(/\r?\n/)[0]?.trim() ?? '';
  return first ? ` The service said: ${neutraliseCommands(first.slice(0, 400))}` : '';
}

/** The RBAC data action that lists secrets (Key Vault Secrets User, "Azure built-in roles"). */
const LIST_ACTION = 'Microsoft.KeyVault/vaults/secrets/readMetadata/action';

/** A denial of the listing itself: Key Vault names the action, and no secret was asked for. */
function isListingDenied(group: Problem[], message: string): boolean {
  const action = serviceField(message, /Action: '([^']+)'/);
  return action
    ? action.toLowerCase() === LIST_ACTION.toLowerCase()
    : group.every((p) => p.secretName === undefined);
}

/** Key Vault secret names are letters, digits and dashes; anything else is quoted for a shell. */
function shellWord(name: string): string {
  return /^[0-9A-Za-z-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

/** The real command for each secret of the group (the first 20; then a note for the rest). */
function perSecret(group: Problem[], command: (name: string) => string): string {
  const named = [
    ...new Set(group.flatMap((p) => (p.secretName === undefined ? [] : [p.secretName]))),
  ];
  const shown = named.slice(0, 20).map((name) => command(shellWord(name)));
  const rest = named.length - shown.length;
  return `${shown.join('; ')}${rest > 0 ? `; and the same for the other ${rest}` : ''}`;
}

function render(cause: Cause, group: Problem[], ctx: ReportContext): string {
  const first = group[0] as Problem;
  const vault = `vault '${ctx.vaultName}'`;
  const who = ctx.identity;
  // Key Vault's own 403 texts carry the caller's object id, resource and client address.
  const message = first.facts.serviceMessage ?? '';
  const oid = serviceField(message, /oid=([0-9a-fA-F-]{36})/);
  switch (cause) {
    case 'not-found':
      return `${which(group)} not found in ${vault}. Check the names in SecretsFilter (Key Vault names ignore case), or create the secret${group.length > 1 ? 's' : ''}. A secret deleted recently can be recovered: ${perSecret(group, (name) => `az keyvault secret recover --vault-name ${ctx.vaultName} --name ${name}`)}.`;
    case 'disabled':
      return `${which(group)} in ${vault} ${group.length > 1 ? 'are' : 'is'} disabled. Enable ${group.length > 1 ? 'them' : 'it'} (${perSecret(group, (name) => `az keyvault secret set-attributes --vault-name ${ctx.vaultName} --name ${name} --enabled true`)}), or remove ${group.length > 1 ? 'them' : 'it'} from SecretsFilter.`;
    case 'denied-by-rbac': {
      const resource = serviceField(message, /Resource: '([^']+)'/);
      const scope =
        resource?.replace(/\/secrets\/[^/]+$/i, '') ??
        `$(az keyvault show --name ${ctx.vaultName} --query id -o tsv)`;
      if (isListingDenied(group, message)) {
        return `${who}${oid ? ` (object id ${oid})` : ''} may not list the secrets of ${vault}: Azure RBAC denied the listing. SecretsFilter '*' (and any pattern) needs the list right at vault scope, ${LIST_ACTION}, which "Key Vault Secrets User" includes when it is assigned on the vault, not on single secrets: az role assignment create --role "Key Vault Secrets User" --assignee ${objectIdFor(ctx, oid)} --scope "${scope}". Naming the secrets in SecretsFilter needs no list right at all.`;
      }
      return `${who}${oid ? ` (object id ${oid})` : ''} may not read ${which(group)} in ${vault}: Azure RBAC denied it. Assign the role "Key Vault Secrets User" on the vault (or on each secret): az role assignment create --role "Key Vault Secrets User" --assignee ${objectIdFor(ctx, oid)} --scope "${scope}". Role assignments can take a few minutes to apply.`;
    }
    case 'denied-by-access-policy': {
      const permission = /secrets list permission/.test(message) ? 'list' : 'get';
      const needed = permission === 'list' ? 'get list' : 'get';
      return `${who}${oid ? ` (object id ${oid})` : ''} lacks the secrets '${permission}' permission in the access policies of ${vault}${which(group) ? ` (${which(group)})` : ''}. Grant it: az keyvault set-policy --name ${ctx.vaultName} --object-id ${objectIdFor(ctx, oid)} --secret-permissions ${needed}${permission === 'get' ? " (add 'list' only when SecretsFilter is '*')" : ''}.`;
    }
    case 'denied-by-firewall': {
      const address = serviceField(message, /Client address: ([0-9a-fA-F.:]+)/);
      return `The firewall of ${vault} refused this agent${address ? ` (address ${address})` : ''}. Allow the agent's address (az keyvault network-rule add --name ${ctx.vaultName} --ip-address ${address ?? '<agent address>'}), reach the vault through a private endpoint from a self-hosted agent in the vault's network, or use an agent whose address is allowed.`;
    }
    case 'public-access-disabled':
      return `${vault} has public network access disabled, so this agent cannot reach it. Run the job on a self-hosted agent that reaches the vault's private endpoint, or allow public access from selected networks including the agent's address.`;
    case 'forbidden':
      return `Key Vault refused ${which(group) || 'the request'} in ${vault} for ${who} (403).${serviceSays(first)}`;
    case 'token-rejected':
      return `${vault} rejected the access token of ${who} (401).${serviceSays(first)} Check that the connection's tenant is the vault's tenant and that the connection's cloud matches the vault's (${ctx.vaultUrl}).`;
    case 'sign-in-failed':
      return signInAdvice(first.facts, ctx);
    case 'unreachable': {
      if (first.facts.code && TLS_TRUST_CODES.has(first.facts.code)) {
        return `This agent does not trust the certificate presented for ${ctx.vaultUrl} or Microsoft Entra ID (${first.facts.code}). Behind a TLS-inspecting proxy, configure the agent with the proxy's CA (./config.sh --sslcacert, which sets Agent.CAInfo); the task trusts it.`;
      }
      const via = first.facts.status
        ? ` (a proxy or gateway answered HTTP ${first.facts.status})`
        : first.facts.code
          ? ` (${first.facts.code})`
          : '';
      return `Could not reach ${vault} at ${ctx.vaultUrl}${via}. Check that KeyVaultName is right and that the vault exists in the connection's cloud, and that this agent (and its proxy) can reach the host.`;
    }
    case 'proxy-refused':
      return `The agent's proxy refused to connect to ${ctx.vaultUrl} or to Microsoft Entra ID: it requires credentials (HTTP 407). Set the proxy user name and password in the agent's proxy configuration (./config.sh --proxyurl … --proxyusername … --proxypassword …), or ask for the agent to be allowed through the proxy.`;
    case 'throttled':
      return `${vault} kept throttling requests (429) after retries. Key Vault allows 4,000 reads per 10 seconds per vault: spread jobs that read this vault over time, or name fewer secrets.`;
    case 'service-error':
      return `${vault} answered with server errors (HTTP ${first.facts.status ?? '5xx'}) after retries. This is usually transient: re-run the job; check Azure status if it persists.`;
    case 'bad-request':
      return `Key Vault rejected the request for ${which(group) || 'secrets'} in ${vault} (400).${serviceSays(first)}`;
    case 'timed-out': {
      const service = serviceAt(first.facts.host, ctx);
      return `${service} did not answer in time${first.facts.host ? ` (no answer from ${first.facts.host} within RequestTimeoutSeconds, after retries)` : ''}. Check the agent's network path to ${first.facts.host ?? ctx.vaultUrl} and that service's status, or raise RequestTimeoutSeconds.`;
    }
    case 'deadline':
      // RunStoppedError's message is ours; the host is the one the run was waiting on.
      return `The task stopped: ${first.facts.message} Raise TimeoutSeconds, or check why ${serviceAt(first.facts.host, ctx)} answers slowly.`;
    case 'cancelled':
      return `The job was cancelled while reading ${vault}; no variables were set.`;
    case 'invalid-answer':
      return `${vault} answered the read of ${which(group) || 'the secret list'} with a body that is not valid JSON${answerFacts(first)}; the answer was discarded and is not shown, as it may hold a secret value. A proxy or gateway between the agent and ${ctx.vaultUrl} may have cut or altered it: re-run the job, and report the request id to Azure support if it persists.`;
    case 'redirected':
      return `${vault} answered with a redirect (HTTP ${first.facts.status ?? '3xx'})${first.facts.requestId ? `, request id ${first.facts.requestId}` : ''}; Key Vault never redirects, so something between the agent and ${ctx.vaultUrl} (a proxy, a captive portal, a DNS entry pointing elsewhere) answered in its place. No request followed it. Check the agent's proxy and the name ${ctx.vaultUrl} resolves to.`;
    case 'foreign-link':
      return `${vault} sent a list page whose next-page link points at ${first.facts.host ?? 'another host'}, not at ${ctx.vaultUrl}; it was not followed, so the vault's access token went nowhere else. Key Vault's links stay on the vault: check what answers for ${ctx.vaultUrl} on this agent's network.`;
    case 'paging-loop':
      return `${vault} sent a listing that does not end (${first.facts.code === 'PAGING_LOOP' ? 'a next-page link repeated an earlier page' : 'more pages than any vault holds'}); listing was stopped and no variables were set. Re-run the job; if it persists, name the secrets in SecretsFilter instead of '*', and report it to Azure support.`;
    case 'tenant-mismatch': {
      const vaultTenant = /tenant ([0-9a-fA-F-]{36})/.exec(first.facts.message)?.[1];
      return `${vault} belongs to tenant ${vaultTenant ?? '(another tenant)'}, but service connection '${ctx.connectionId}' signs in to tenant ${ctx.tenantId ?? '(unknown)'}; a token of one tenant is not valid for the other. Use a service connection whose tenant is the vault's tenant, or check that KeyVaultName names the vault you meant.`;
    }
    case 'unexpected': {
      const { name, code } = first.facts;
      return `Reading ${which(group) || 'secrets'} from ${serviceAt(first.facts.host, ctx)} failed unexpectedly (${[name, ...(code ? [`code ${code}`] : [])].join(', ')})${answerFacts(first)}. Re-run the job; if it persists, report it with these details.`;
    }
  }
}

/** Node's codes for a certificate chain it does not trust. */
const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
]);

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One message per cause, naming every secret it concerns, in the order causes first appeared. */
export function renderProblems(problems: Problem[], ctx: ReportContext): string[] {
  const groups = new Map<Cause, Problem[]>();
  for (const problem of problems) {
    const group = groups.get(problem.cause) ?? [];
    group.push(problem);
    groups.set(problem.cause, group);
  }
  return [...groups].map(([cause, group]) => capitalise(render(cause, group, ctx)));
}
