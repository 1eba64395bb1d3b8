/**
 * The one line the failure funnel sets as the step's result. Our own errors (RunFailure,
 * InputError) carry sentences we wrote; anything else is a library's or Node's error, whose text
 * is data (it may quote a response body, so a secret): only its class name and code are shown.
 */
export function failureMessage(
  error: unknown,
  ours: (error: unknown) => string | undefined,
): string {
  const own = ours(error);
  if (own !== undefined) return own;
  const e = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const name = typeof e.name === 'string' && e.name ? e.name : typeof error;
  const code =
    typeof e.code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(e.code) ? `, code ${e.code}` : '';
  return `The task failed unexpectedly (${name}${code}); no secret variables were set, or only some if it failed while setting them. Re-run the job; if it persists, report it with this message.`;
}
