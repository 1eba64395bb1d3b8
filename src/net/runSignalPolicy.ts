import { setMaxListeners } from 'node:events';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/**
 * Ties every request of a run to the run's signal (job cancelled, TimeoutSeconds reached), whether
 * or not the caller passed one: the SDK's pager does not hand the caller's abort signal to
 * follow-up page requests, so a listing would otherwise outlive the deadline and a SIGTERM.
 * Position perCall, first: the retry policy's waits and per-request timeouts then listen to it too.
 */
export function runSignalPolicy(runSignal: AbortSignal): PipelinePolicy {
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
      try {
        return await next(request);
      } catch (error) {
        // Once the run is stopped, the stop is the reason, whatever the request threw.
        if (runSignal.aborted) throw runSignal.reason;
        throw error;
      } finally {
        runSignal.removeEventListener('abort', abort);
        outer?.removeEventListener('abort', abort);
        request.abortSignal = outer;
      }
    },
  };
}
