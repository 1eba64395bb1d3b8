import { INPUT_NAMES } from './config/inputNames';

/** The two moments a task instance can run in (agent-contract.md §8). */
export type Stage = 'execution' | 'prejob';

/** The raw RunAsPreJob input, as the agent hands it (INPUT_<NAME>), read before task-lib loads. */
export function rawRunAsPreJob(env: NodeJS.ProcessEnv): string | undefined {
  return env[`INPUT_${INPUT_NAMES.runAsPreJob.toUpperCase()}`];
}

/**
 * Both stages start the task; only one of them does the work. Decided from the raw input, before
 * task-lib or the Azure SDKs load, so the stage that does nothing costs a bare Node start.
 * The agent passes boolean inputs as text; task-lib's getBoolInput treats only "true" as true.
 */
export function runsInStage(stage: Stage, rawRunAsPreJob: string | undefined): boolean {
  const preJob = rawRunAsPreJob?.trim().toLowerCase() === 'true';
  return stage === 'prejob' ? preJob : !preJob;
}

/** What the stage that does nothing says. */
export function skipMessage(stage: Stage): string {
  return stage === 'prejob'
    ? 'RunAsPreJob is false: the secrets are read when the step itself runs.'
    : 'RunAsPreJob is true: the secrets were read before the job started.';
}
