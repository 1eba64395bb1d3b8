/** What the emulator answered, for tests to assert on (requests and proxy tunnels). */
import type { RecordedRequest, RecordedTunnel } from './types';

export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  readonly tunnels: RecordedTunnel[] = [];
  /** Bodies `malformed` faults sent; kept across `reset()` so a leak hunt at the end sees all. */
  readonly brokenBodies: string[] = [];
  private seq = 0;
  private connections = 0;

  record(request: Omit<RecordedRequest, 'seq'>): void {
    this.requests.push({ seq: ++this.seq, ...request });
  }

  recordTunnel(tunnel: RecordedTunnel): void {
    this.tunnels.push(tunnel);
  }

  /** A connection id unique across every listener (TLS front door, managed identity endpoints);
   *  not reset by `reset()`, so a reused connection keeps its id. */
  newConnectionId(): number {
    return ++this.connections;
  }

  /** Empties both lists in place, so references tests hold stay live. */
  reset(): void {
    this.requests.length = 0;
    this.tunnels.length = 0;
    this.seq = 0;
  }
}
