/** Results as plain data, their medians, and the Markdown rendering. Pure. */
import type { Floor } from './floor';
import type { RequestStats } from './requestStats';

export interface RunRecord {
  /** Task process wall time, spawn to exit (see `wallSource`). */
  wallMs: number;
  /** `process`: measured on the task process; `runner`: `HarnessRun.durationMs`. */
  wallSource: 'process' | 'runner';
  /** `runAgentTask`'s `durationMs`: directories and environment, spawn, output parsing, exit. */
  runnerMs: number;
  peakRssBytes: number | undefined;
  /** CPU time (user + system) of the task process. */
  taskCpuMs: number | undefined;
  /** CPU time of the benchmark's own process during the run: the emulator, its proxy and the
   *  runner (output parsing, masking). On a small machine it competes with the task. */
  hostCpuMs: number;
  result: string;
  exitCode: number | null;
  timedOut: boolean;
  /** Lines the task wrote to stdout and stderr, and how many of them were `task.debug` commands
   *  (the runner masks and parses every one; the agent shows debug lines only with System.Debug). */
  outputLines: number;
  debugLines: number;
  /** Secret variables the agent recorded. */
  secretVariables: number;
  issues: string[];
  requests: RequestStats;
  /** Most vault requests in flight at once; null when no latency was injected (the emulator
   *  answers synchronously then, so it never sees two at once). */
  peakInFlight: number | null;
}

export interface CaseResult {
  id: string;
  title: string;
  latencyMs: number;
  secrets: number;
  /** The vault's limit, for throttled cases. */
  throttle: { limit: number; windowMs: number; retryAfter: boolean } | undefined;
  runs: RunRecord[];
  medianWallMs: number;
  medianRunnerMs: number;
  medianPeakRssBytes: number | undefined;
  /** The run whose wall time is the median (lower middle for an even count): its counts are shown. */
  medianRun: RunRecord;
  floor: Floor | undefined;
  /** medianWallMs / floor; undefined when the floor is 0. */
  wallOverFloor: number | undefined;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarizeCase(
  identity: Pick<CaseResult, 'id' | 'title' | 'latencyMs' | 'secrets' | 'throttle'>,
  runs: RunRecord[],
  floor: Floor | undefined,
): CaseResult {
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const medianRun = byWall[Math.floor((byWall.length - 1) / 2)];
  if (!medianRun) throw new Error(`Case '${identity.id}' has no runs.`);
  const medianWallMs = median(runs.map((r) => r.wallMs));
  const rss = runs.flatMap((r) => (r.peakRssBytes === undefined ? [] : [r.peakRssBytes]));
  return {
    ...identity,
    runs,
    medianWallMs,
    medianRunnerMs: median(runs.map((r) => r.runnerMs)),
    medianPeakRssBytes: rss.length > 0 ? median(rss) : undefined,
    medianRun,
    floor,
    wallOverFloor: floor && floor.floorMs > 0 ? medianWallMs / floor.floorMs : undefined,
  };
}

const COLUMNS = [
  'Case',
  'Latency',
  'Runs',
  'Wall ms',
  'Runner ms',
  'Task CPU ms',
  'Host CPU ms',
  'Tokens',
  'Challenges',
  'List pages',
  'Value GETs',
  '429s',
  'Other',
  'Connections',
  'Tunnels',
  'Peak in flight',
  'Peak RSS MiB',
  'Output lines (debug)',
  'Floor ms',
  'Wall/floor',
  'Result',
] as const;

export function renderTable(results: readonly CaseResult[]): string {
  const rows = results.map((c) => {
    const r = c.medianRun;
    const q = r.requests;
    const other = Object.values(q.other).reduce((sum, n) => sum + n, 0);
    const results = [...new Set(c.runs.map((run) => run.result))].join('/');
    const allVariables = c.runs.every((run) => run.secretVariables === c.secrets);
    return [
      c.title,
      q.total === 0 ? 'n/a' : `${c.latencyMs} ms`,
      String(c.runs.length),
      String(Math.round(c.medianWallMs)),
      String(Math.round(c.medianRunnerMs)),
      r.taskCpuMs === undefined ? 'n/a' : String(r.taskCpuMs),
      String(r.hostCpuMs),
      String(q.tokens),
      String(q.challenges),
      String(q.listPages),
      String(q.valueGets),
      String(q.throttled),
      String(other),
      String(q.connections),
      String(q.tunnels),
      r.peakInFlight === null ? 'n/a' : String(r.peakInFlight),
      c.medianPeakRssBytes === undefined ? 'n/a' : (c.medianPeakRssBytes / 2 ** 20).toFixed(1),
      `${r.outputLines} (${r.debugLines})`,
      c.floor ? String(c.floor.floorMs) : 'n/a',
      c.wallOverFloor === undefined ? 'n/a' : `${c.wallOverFloor.toFixed(2)}×`,
      `${results}, ${c.medianRun.secretVariables} vars${allVariables ? '' : ' (!)'}` +
        (c.throttle && c.runs.every((run) => run.requests.throttled === 0)
          ? ', limit never reached'
          : ''),
    ];
  });
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const separator = COLUMNS.map((_, i) => (i === 0 || i === COLUMNS.length - 1 ? '---' : '---:'));
  return [line(COLUMNS), line(separator), ...rows.map(line)].join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
