import { setMaxListeners } from 'node:events';

/** Why a run stopped early: the job was cancelled, or TimeoutSeconds ran out. */
export class RunStoppedError extends Error {
  /** What classifyProblem reads: RUN_CANCELLED or RUN_DEADLINE. */
  readonly code: string;
  constructor(
    readonly reason: 'cancelled' | 'deadline',
    readonly afterMs: number,
  ) {
    super(
      reason === 'cancelled'
        ? 'The job was cancelled.'
        : `The task ran out of time after ${afterMs / 1000} s.`,
    );
    this.name = 'RunStoppedError';
    this.code = reason === 'cancelled' ? 'RUN_CANCELLED' : 'RUN_DEADLINE';
  }
}

/**
 * One signal for everything a run does, aborted by job cancellation or when the deadline
 * passes, with a {@link RunStoppedError} as its reason.
 */
export interface RunDeadline {
  signal: AbortSignal;
  dispose: () => void;
}

export function runDeadline(deadlineMs: number, cancel: AbortSignal | undefined): RunDeadline {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onCancel = (): void => controller.abort(new RunStoppedError('cancelled', 0));
  const timer = setTimeout(
    () => controller.abort(new RunStoppedError('deadline', deadlineMs)),
    deadlineMs,
  );
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    dispose: (): void => {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
}
