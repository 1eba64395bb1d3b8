import type { Cause } from '../errors/classifyProblem';

/** A few words for a table cell: why one secret was not read. The full message (problemReport)
 *  says what to do; this only names the cause. */
export const CAUSE_LABELS: Record<Cause, string> = {
  'not-found': 'not found',
  disabled: 'disabled',
  'denied-by-rbac': 'denied by Azure RBAC',
  'denied-by-access-policy': 'not allowed by the access policies',
  'denied-by-firewall': 'refused by the vault firewall',
  'public-access-disabled': 'public network access is disabled',
  forbidden: 'refused (403)',
  'token-rejected': 'access token rejected (401)',
  'sign-in-failed': 'sign-in failed',
  unreachable: 'vault not reachable',
  'proxy-refused': 'refused by the proxy (407)',
  throttled: 'throttled (429)',
  'service-error': 'server errors (5xx)',
  'bad-request': 'bad request (400)',
  'timed-out': 'timed out',
  deadline: 'the task ran out of time',
  cancelled: 'the job was cancelled',
  'invalid-answer': 'the vault answered something that is not Key Vault',
  redirected: 'the vault answered with a redirect',
  'foreign-link': 'a list page pointed away from the vault',
  'paging-loop': 'the listing did not end',
  'tenant-mismatch': "the vault is in another tenant than the connection's",
  unexpected: 'unexpected error',
};
