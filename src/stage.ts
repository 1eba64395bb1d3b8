/** The two moments a task instance can run in (agent-contract.md §8). */
export type Stage = 'execution' | 'prejob';

/**
 * Both stages start the task; only one of them does the work. Decided from the raw input, before
 * task-lib or the Azure SDKs load, so the stage that does nothing costs a bare Node start.
 * The agent passes boolean inputs as text; task-lib's getBoolInput treats only "true" as true.
 */
export function runsInStage(stage: Stage, rawRunAsPreJob: string | undefined): boolean {
  const preJob = rawRunAsPreJob?.trim().toLowerCase() === 'true';
  return stage === 'prejob' ? preJob : !preJob;
}
