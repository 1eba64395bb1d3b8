/**
 * Injected latency and the vault's in-flight count. `RecordedRequest` has a sequence number but
 * no start or end time, so the request log alone cannot say how many requests overlapped. The
 * emulator's fault rules can: dispatch.ts runs a request's fault actions in rule order after it
 * has been read and before it is answered, and answers synchronously after the last one. So the
 * latency goes in as a `delay` fault (the same `await sleep(ms)` that `latencyMs` does, one step
 * later in the same function) between two `hook`s that count vault requests in and out.
 * The count is what the emulator sees: requests that have arrived and are not yet answered.
 */
import type { AzureEmulator } from '../../test/emulator';

/** Every emulated vault host ends with this (the hooks match by host suffix). */
const VAULT_HOST_SUFFIX = '.vault.azure.net';

export class InFlightMeter {
  private inFlight = 0;
  private max = 0;
  private removers: Array<() => void> = [];

  constructor(private readonly azure: AzureEmulator) {}

  /** Replaces the rules for a new latency (0: no delay at all). */
  setLatency(latencyMs: number): void {
    for (const remove of this.removers) remove();
    this.removers = [
      this.azure.addFault({
        host: VAULT_HOST_SUFFIX,
        action: {
          type: 'hook',
          run: () => {
            this.inFlight += 1;
            this.max = Math.max(this.max, this.inFlight);
          },
        },
      }),
      ...(latencyMs > 0 ? [this.azure.addFault({ action: { type: 'delay', ms: latencyMs } })] : []),
      this.azure.addFault({
        host: VAULT_HOST_SUFFIX,
        action: {
          type: 'hook',
          run: () => {
            this.inFlight -= 1;
          },
        },
      }),
    ];
  }

  /** Starts a new run's count. */
  reset(): void {
    this.inFlight = 0;
    this.max = 0;
  }

  /** Most vault requests in flight at once since `reset`. */
  get peak(): number {
    return this.max;
  }

  dispose(): void {
    for (const remove of this.removers) remove();
    this.removers = [];
  }
}
