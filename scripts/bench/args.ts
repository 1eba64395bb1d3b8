/** Command-line options of `npm run bench`, parsed before anything starts. */

export interface BenchArgs {
  /** Latency injected into every emulated HTTPS request, in ms (the cold-start case uses 0). */
  latencyMs: number;
  /** Runs per case instead of each case's default (5, 3 or 1), when given. */
  runs: number | undefined;
  /** Case ids to run (all when empty), e.g. for a quick look at one case. */
  only: string[];
}

export const DEFAULT_LATENCY_MS = 20;

const USAGE = 'Usage: npm run bench -- [--latency <ms>] [--runs <n>] [--only <case id,…>]';

/**
 * Parses `--latency N`, `--runs N` and `--only id,id` (also `--flag=value`); throws naming the bad
 * argument. `caseIds` are the valid `--only` values.
 */
export function parseBenchArgs(argv: readonly string[], caseIds: readonly string[]): BenchArgs {
  const args: BenchArgs = { latencyMs: DEFAULT_LATENCY_MS, runs: undefined, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value. ${USAGE}`);
      return next;
    };
    if (flag === '--latency') {
      args.latencyMs = wholeNumber('--latency', value(), 0, 10_000);
    } else if (flag === '--runs') {
      args.runs = wholeNumber('--runs', value(), 1, 100);
    } else if (flag === '--only') {
      const raw = value();
      args.only = raw
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      const unknown = args.only.filter((id) => !caseIds.includes(id));
      if (args.only.length === 0 || unknown.length > 0) {
        throw new Error(
          `--only got '${raw}'. Expected case ids separated by commas, of: ${caseIds.join(', ')}.`,
        );
      }
    } else {
      throw new Error(`Unknown argument '${arg}'. Expected --latency, --runs or --only. ${USAGE}`);
    }
  }
  return args;
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new Error(`${flag} expects a whole number from ${min} to ${max}, got '${raw}'.`);
  }
  return value;
}
