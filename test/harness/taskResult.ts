/**
 * Step results as the agent computes them (docs/agent-interface.md §5; `TaskResultUtil` in the agent).
 */
import type { TaskResult } from './types';

/** Numeric order of `Microsoft.TeamFoundation.DistributedTask.WebApi.TaskResult`. */
export const TASK_RESULTS: readonly TaskResult[] = [
  'Succeeded',
  'SucceededWithIssues',
  'Failed',
  'Canceled',
  'Skipped',
  'Abandoned',
];

function rank(result: TaskResult): number {
  return TASK_RESULTS.indexOf(result);
}

/**
 * `TaskResultUtil.MergeTaskResults`: the worse result wins, except that once the current result is
 * Canceled, Skipped or Abandoned it stays (so Canceled then Skipped stays Canceled).
 */
export function mergeTaskResults(current: TaskResult | undefined, coming: TaskResult): TaskResult {
  if (current === undefined) return coming;
  if (rank(current) > rank('Failed')) return current;
  return rank(coming) >= rank(current) ? coming : current;
}

/**
 * `Enum.TryParse<TaskResult>(text)` as `task.complete` uses it: member names case-sensitively, or
 * a defined number, white space around ignored. (.NET would also accept undefined numbers and
 * comma-separated lists; no writer emits those, and the harness rejects them.)
 * task-lib's `TaskResult.Cancelled` writes `Cancelled`, which is invalid.
 */
export function parseTaskResult(text: string | undefined): TaskResult | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return TASK_RESULTS[Number(trimmed)];
  return TASK_RESULTS.find((name) => name === trimmed);
}
