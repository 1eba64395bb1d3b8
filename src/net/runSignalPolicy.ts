import { setMaxListeners } from 'node:events';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import type { WireLog } from './wireLog';

/**
 * Ties every request of a run to the run's signal (job cancelled, TimeoutSeconds reached), whether
 * or not the caller passed one: the SDK's pager does not hand the caller's abort signal to
 * follow-up page requests, so a listing would otherwise outlive the deadline and a SIGTERM.
 * Position perCall, first: the retry policy's waits and per-request timeouts then listen to it too.
 */
export function runSignalPolicy(runSignal: AbortSignal, wire?: WireLog): PipelinePolicy {
  return {
    name: 'keyVaultSecretsTaskRunSignal',
    async sendRequest(request, next): Promise<PipelineResponse> {
      runSignal.throwIfAborted();
      const outer = request.abortSignal;
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const abort = (): void => controller.abort(runSignal.aborted ? runSignal.reason : undefined);
      runSignal.addEventListener('abort', abort, { once: true });
      if (outer?.aborted) controller.abort();
      else outer?.addEventListener('abort', abort, { once: true });
      request.abortSignal = controller.signal;
      const host = new URL(request.url).hostname.toLowerCase();
      const seq = wire?.started(host) ?? 0;
      let answered = false;
      try {
        const response = await next(request);
        answered = true;
        return response;
      } catch (error) {
        // A request that stopped while a request to another host was in flight (a vault request
        // waiting for its token) was waiting on that host: the message must name the service
        // that hung, not the one that waited.
        const waitingOn = wire?.stalledWithin(seq, host) ?? [];
        // Once the run is stopped, the stop is the reason, whatever the request threw.
        const thrown: unknown = runSignal.aborted ? runSignal.reason : error;
        if (waitingOn.length > 0 && typeof thrown === 'object' && thrown !== null) {
          const stalled = thrown as { stalledOn?: string[] };
          stalled.stalledOn ??= waitingOn;
        }
        throw thrown;
      } finally {
        wire?.ended(seq, answered);
        runSignal.removeEventListener('abort', abort);
        outer?.removeEventListener('abort', abort);
        request.abortSignal = outer;
      }
    },
  };
}
