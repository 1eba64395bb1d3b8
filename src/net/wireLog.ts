import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { isJson } from './vaultAnswerPolicy';

/** What one host last answered that was not a usable answer, from the wire itself. */
export interface FailedAnswer {
  status: number;
  requestId: string | undefined;
  /** An error status, a success whose body is not JSON, or a redirect. */
  what: 'error' | 'not-json' | 'redirect';
}

function whatWentWrong(response: PipelineResponse): FailedAnswer['what'] | undefined {
  if (response.status >= 400) return 'error';
  if (response.status >= 300) return 'redirect';
  if (response.status === 204) return undefined;
  const body = response.bodyAsText;
  return typeof body === 'string' && !isJson(body) ? 'not-json' : undefined;
}

/**
 * What the run's requests are doing, per host, as the wire shows it: which requests are in
 * flight or went unanswered, and what each host last answered with an error status. Libraries
 * lose these facts when they wrap errors (identity turns a token request that hung, or an empty
 * 429 from Entra, into an error without host or status); the report takes them from here.
 */
export class WireLog {
  private seq = 0;
  /** Requests in flight: start number -> host. */
  private readonly inFlight = new Map<number, string>();
  /** Requests that ended without an answer (timed out, aborted, reset). */
  private readonly unanswered: Array<{ seq: number; host: string }> = [];
  private readonly failures = new Map<string, FailedAnswer>();

  /** A request to `host` starts; returns its start number. */
  started(host: string): number {
    this.seq += 1;
    this.inFlight.set(this.seq, host);
    return this.seq;
  }

  /** The request numbered `seq` ended, with an answer or without one. */
  ended(seq: number, answered: boolean): void {
    const host = this.inFlight.get(seq);
    this.inFlight.delete(seq);
    if (!answered && host !== undefined) this.unanswered.push({ seq, host });
  }

  /**
   * Other hosts that the request numbered `seq` (to `host`) was waiting on: requests started
   * after it that are still in flight or went unanswered. A vault request waits inside for its
   * token; the token request is aborted with it and ends first, so both kinds count.
   */
  stalledWithin(seq: number, host: string): string[] {
    const inner = [
      ...this.unanswered.filter((r) => r.seq > seq).map((r) => r.host),
      ...[...this.inFlight].filter(([s]) => s > seq).map(([, h]) => h),
    ];
    return [...new Set(inner)].filter((other) => other !== host);
  }

  lastFailure(host: string): FailedAnswer | undefined {
    return this.failures.get(host.toLowerCase());
  }

  /** Records every answer that is not usable (perRetry: each try as sent). */
  readonly policy: PipelinePolicy = {
    name: 'keyVaultSecretsTaskWireLog',
    sendRequest: async (request, next): Promise<PipelineResponse> => {
      const response = await next(request);
      const what = whatWentWrong(response);
      if (what !== undefined) {
        this.failures.set(new URL(request.url).hostname.toLowerCase(), {
          status: response.status,
          requestId: response.headers.get('x-ms-request-id') ?? undefined,
          what,
        });
      }
      return response;
    },
  };
}
