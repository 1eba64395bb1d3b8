/**
 * Writes the plan's files: into one directory of the task's own under Agent.TempDirectory, that
 * only the agent's user may open (0700), each file readable by that user only (0600). On Windows
 * the modes are not enforced; the directory inherits the temp directory's access list.
 *
 * Every path is recorded for the post-job stage before anything is created, so a run that stops
 * half-way still has all it wrote removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AgentPort } from '../agent/agentPort';
import { CLEANUP_VARIABLE, serialiseRecord } from '../cleanup/cleanupRecord';
import type { FileContent } from '../plan/fileContent';

export interface FileToWrite {
  /** Absolute path inside `directory`. */
  path: string;
  content: FileContent;
}

export class FileWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FileWriteError';
  }
}

const codeOf = (error: unknown): string =>
  (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';

/** Writes `files` into `directory`, which must not exist yet. Throws FileWriteError. */
export function writeFiles(
  agent: Pick<AgentPort, 'setTaskVariable'>,
  directory: string,
  files: FileToWrite[],
): void {
  if (files.length === 0) return;
  for (const file of files) {
    if (path.dirname(file.path) !== directory) {
      throw new Error(`Planned file ${file.path} is not directly in ${directory}.`);
    }
  }
  agent.setTaskVariable(
    CLEANUP_VARIABLE,
    serialiseRecord({ files: files.map((f) => f.path), directories: [directory] }),
  );
  try {
    // Not recursive: the directory must be new, so nobody else can have placed anything in it.
    fs.mkdirSync(directory, { mode: 0o700 });
  } catch (error) {
    throw new FileWriteError(
      `Could not create the directory ${directory} for certificate files (${codeOf(error)}): check that Agent.TempDirectory exists and the agent's user may write to it.`,
      { cause: error },
    );
  }
  for (const file of files) {
    try {
      // 'wx' fails if the name exists: never follows a planted link or overwrites a file.
      fs.writeFileSync(file.path, file.content.bytes(), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new FileWriteError(
        `Could not write ${file.path} (${codeOf(error)}): check the free space and permissions of Agent.TempDirectory.`,
        { cause: error },
      );
    }
  }
}
