import type { FailedAnswer } from '../net/wireLog';
import type { Problem } from './classifyProblem';

/** What signInAdvice reads for an answer identity could not use. */
const WIRE_CODES = { 'not-json': 'ENTRA_NOT_JSON', redirect: 'ENTRA_REDIRECT' } as const;

/**
 * Fills in what a library's error dropped, from what the wire showed: identity reports a sign-in
 * that Entra refused with an empty body (a bare 429, say) without its status or host. When the
 * error names no status, the authority's last error answer is the fact to report.
 */
export function withWireFacts(
  problem: Problem,
  authorityHost: string,
  lastFailure: (host: string) => FailedAnswer | undefined,
): Problem {
  if (problem.cause !== 'sign-in-failed' || problem.facts.status !== undefined) return problem;
  const host = new URL(authorityHost).hostname.toLowerCase();
  const answer = lastFailure(host);
  if (!answer) return problem;
  return {
    ...problem,
    facts: {
      ...problem.facts,
      status: answer.status,
      requestId: answer.requestId,
      host,
      ...(answer.what !== 'error' && { code: WIRE_CODES[answer.what] }),
    },
  };
}
