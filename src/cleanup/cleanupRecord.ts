/**
 * What the stage that writes files tells the post-job stage to remove. It travels in a task
 * variable (`task.settaskvariable`), which only the stages of the same task instance see: the
 * agent hands it to them as `VSTS_TASKVARIABLE_<NAME>`, the name with `.` and spaces as `_`, in
 * upper case (Azure Pipelines logging commands, "SetTaskVariable"). Read straight from the
 * environment, before task-lib loads and moves it away, so a post-job with nothing to remove
 * loads nothing.
 */

export const CLEANUP_VARIABLE = 'KeyVaultSecrets.WrittenFiles';
export const CLEANUP_ENV = 'VSTS_TASKVARIABLE_KEYVAULTSECRETS_WRITTENFILES';

export interface CleanupRecord {
  /** Absolute paths of files the task wrote (or was about to write). */
  files: string[];
  /** Absolute paths of directories the task made, removed after their files. */
  directories: string[];
}

export function serialiseRecord(record: CleanupRecord): string {
  return JSON.stringify({ files: record.files, directories: record.directories });
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Parses a record; throws when the text is not one (it was changed by someone else). */
export function parseRecord(text: string): CleanupRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`The task variable ${CLEANUP_VARIABLE} is not the record the task wrote.`, {
      cause: error,
    });
  }
  const { files, directories } = (parsed ?? {}) as Record<string, unknown>;
  if (!isStringArray(files) || !isStringArray(directories)) {
    throw new Error(`The task variable ${CLEANUP_VARIABLE} is not the record the task wrote.`);
  }
  return { files, directories };
}

/** The record as the post-job stage finds it, or undefined when the main stage wrote nothing. */
export function rawCleanupRecord(env: NodeJS.ProcessEnv): string | undefined {
  return env[CLEANUP_ENV] || undefined;
}
