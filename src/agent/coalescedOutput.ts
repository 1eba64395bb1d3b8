/** Where coalesced output finally goes: process.stdout in the task. */
export interface OutputSink {
  write(text: string): unknown;
}

/** A stream-like writer task-lib accepts (tl.setStdStream) that keeps lines in order. */
export interface CoalescedOutput {
  write: (text: string) => boolean;
  /** Writes what is pending now. */
  flush: () => void;
}

/**
 * Joins the lines written in one turn of the event loop into one write. Writes to a pipe are
 * synchronous on Linux (Node, "A note on process I/O"), and a run writes two to three logging
 * commands per secret: a thousand secrets cost thousands of system calls in a hot loop. Every line
 * of the task goes through this one writer, so their order, which the masker depends on (masks
 * before values), is kept. `schedule` runs the flush after the current turn (setImmediate).
 */
export function coalescedOutput(
  sink: OutputSink,
  schedule: (flush: () => void) => void,
): CoalescedOutput {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    sink.write(text);
  };
  return {
    write(text: string): boolean {
      pending.push(text);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
      return true;
    },
    flush,
  };
}
