/**
 * Measures the task process itself, not the runner around it: wall time from spawn to exit and
 * peak resident memory. The agent's environment must reach the task intact, and it holds names a
 * POSIX shell may drop (dash drops `ENDPOINT_URL_<guid>`: a dash is no shell name character), so:
 *
 * - `gnu-time`: GNU time and a bash that passes such names on (checked at start). The runner gets
 *   a bash wrapper as `nodePath` that `exec`s `/usr/bin/time -f '%e %M %U %S' node <target>`: the task
 *   keeps the agent's argv and environment, plus the PWD, SHLVL and _ that bash exports. `%e` is
 *   node's elapsed wall time (10 ms steps), `%M` its maximum RSS in KiB, `%U %S` its CPU seconds (getrusage).
 * - `proc-poll` (Linux otherwise): no wrapper; the meter finds the runner's child in /proc and polls
 *   its VmHWM (the RSS high-water mark, so the last reading before exit is the peak; a peak in the
 *   last 10 ms can be missed). Wall is then the runner's `durationMs`.
 * - `runner-only` (elsewhere): wall = `durationMs`, memory unknown.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type MeterMode = 'gnu-time' | 'proc-poll' | 'runner-only';

const GNU_TIME = '/usr/bin/time';
const BASH = '/bin/bash';
const POLL_MS = 10;

export interface ProcessMeasure {
  /** Spawn to exit of the task process in ms; undefined when only the runner's time is known. */
  wallMs: number | undefined;
  /** Peak resident set size in bytes; undefined when it could not be read. */
  peakRssBytes: number | undefined;
  /** User + system CPU time of the task process in ms (10 ms steps); gnu-time only. */
  cpuMs: number | undefined;
}

const UNKNOWN: ProcessMeasure = { wallMs: undefined, peakRssBytes: undefined, cpuMs: undefined };

export interface MeteredRun {
  /** Give this to `runAgentTask` as `nodePath` (undefined: the runner's default node). */
  nodePath: string | undefined;
  /** Call after the run has ended. */
  collect(): ProcessMeasure;
}

export function detectMeterMode(): MeterMode {
  if (process.platform !== 'linux') return 'runner-only';
  const probe = spawnSync(GNU_TIME, ['--version'], { encoding: 'utf8' });
  const gnuTime = probe.status === 0 && /GNU/.test(`${probe.stdout}${probe.stderr}`);
  if (gnuTime && bashKeepsAgentNames()) return 'gnu-time';
  return fs.existsSync('/proc/self/status') ? 'proc-poll' : 'runner-only';
}

/** True when bash hands an environment name with `-` and `.` on to what it execs. */
function bashKeepsAgentNames(): boolean {
  const name = 'ENDPOINT_URL_5F1C2D3E-4B5A.CHECK';
  const probe = spawnSync(BASH, ['-c', 'exec env'], { env: { [name]: '1' }, encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.split('\n').includes(`${name}=1`);
}

export class ProcessMeter {
  private count = 0;

  constructor(
    readonly mode: MeterMode,
    /** Scratch folder for wrapper scripts and their output (the caller removes it). */
    private readonly dir: string,
    private readonly nodeBinary: string = process.execPath,
  ) {}

  /** Prepares one run; `nodeArgs` go before the target (e.g. `--require x.js` for a diagnostic;
   *  `gnu-time` only). */
  prepare(nodeArgs: readonly string[] = []): MeteredRun {
    if (this.mode !== 'gnu-time' && nodeArgs.length > 0) {
      throw new Error(
        `Node arguments need the gnu-time wrapper; the meter is in ${this.mode} mode.`,
      );
    }
    if (this.mode === 'runner-only') {
      return {
        nodePath: undefined,
        collect: () => UNKNOWN,
      };
    }
    if (this.mode === 'proc-poll') {
      const poller = new ChildHighWaterPoller();
      return {
        nodePath: undefined,
        collect: () => ({ ...UNKNOWN, peakRssBytes: poller.stop() }),
      };
    }
    const id = ++this.count;
    const outFile = path.join(this.dir, `measure-${id}.txt`);
    const wrapper = path.join(this.dir, `node-${id}.sh`);
    const node = [this.nodeBinary, ...nodeArgs].map(shellQuote).join(' ');
    fs.writeFileSync(
      wrapper,
      `#!${BASH}\nexec ${GNU_TIME} -o ${shellQuote(outFile)} -f '%e %M %U %S' ${node} "$@"\n`,
      { mode: 0o755 },
    );
    return { nodePath: wrapper, collect: () => readGnuTime(outFile) };
  }
}

/** GNU time writes "Command exited with non-zero status N" first when node failed; the numbers
 *  are on the last line. */
export function parseGnuTime(text: string): ProcessMeasure {
  const last = text.trim().split('\n').at(-1) ?? '';
  const match = /^(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(last.trim());
  if (!match) return UNKNOWN;
  return {
    wallMs: Math.round(Number(match[1]) * 1000),
    peakRssBytes: Number(match[2]) * 1024,
    cpuMs: Math.round((Number(match[3]) + Number(match[4])) * 1000),
  };
}

function readGnuTime(file: string): ProcessMeasure {
  try {
    return parseGnuTime(fs.readFileSync(file, 'utf8'));
  } catch {
    return UNKNOWN;
  }
}

/** Polls VmHWM of this process's child processes (the runner starts one task at a time). */
class ChildHighWaterPoller {
  private peak: number | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => {
      for (const pid of childPids(process.pid)) {
        try {
          const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
          const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
          if (kib !== undefined) this.peak = Math.max(this.peak ?? 0, Number(kib) * 1024);
        } catch {
          // Gone between listing and reading.
        }
      }
    }, POLL_MS);
  }

  stop(): number | undefined {
    clearInterval(this.timer);
    return this.peak;
  }
}

function childPids(parent: number): string[] {
  const pids: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; field 2 (comm) is in parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (ppid === String(parent)) pids.push(entry);
    } catch {
      // Gone.
    }
  }
  return pids;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
