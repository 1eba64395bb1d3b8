import { INPUT_NAMES } from './config/inputNames';

/** The two moments a task instance can run in (docs/agent-interface.md §8). */
export type Stage = 'execution' | 'prejob';

/** The raw RunAsPreJob input, as the agent hands it (INPUT_<NAME>), read before task-lib loads. */
export function rawRunAsPreJob(env: NodeJS.ProcessEnv): string | undefined {
  return env[`INPUT_${INPUT_NAMES.runAsPreJob.toUpperCase()}`];
}

/**
 * Inputs that hold secrets (CertificatePassword), as the agent hands them, read before task-lib
 * loads. task-lib's getInput debug-prints every input's value, so these must be registered with
 * the masker before the first getInput; a password from a secret variable is masked by the agent
 * already, one typed into the pipeline is not.
 */
export function rawSecretInputs(env: NodeJS.ProcessEnv): string[] {
  const value = env[`INPUT_${INPUT_NAMES.certificatePassword.toUpperCase()}`]?.trim();
  return value ? [value] : [];
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
