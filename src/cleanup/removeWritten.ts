/**
 * Removes exactly what the record names, and only inside Agent.TempDirectory: a record is data
 * anyone with the job could have changed, so every path is checked after resolving symbolic links
 * of its parent, and a path outside the temp directory is refused, never followed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CleanupRecord } from './cleanupRecord';

export interface RemovalOutcome {
  removedFiles: number;
  removedDirectories: number;
  /** Paths outside Agent.TempDirectory (or not absolute): left alone. */
  refused: string[];
  /** Paths that could not be removed, with the Node error code. */
  failed: Array<{ path: string; code: string }>;
}

/** Where `candidate` really is, its parent's symbolic links resolved; undefined when gone. */
function realLocation(candidate: string): string | undefined {
  try {
    return path.join(fs.realpathSync(path.dirname(candidate)), path.basename(candidate));
  } catch {
    return undefined;
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

const codeOf = (error: unknown): string =>
  (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';

export function removeWritten(record: CleanupRecord, tempDirectory: string): RemovalOutcome {
  const outcome: RemovalOutcome = {
    removedFiles: 0,
    removedDirectories: 0,
    refused: [],
    failed: [],
  };
  let root: string;
  try {
    root = fs.realpathSync(tempDirectory);
  } catch {
    // No temp directory any more: nothing of ours can be left in it.
    return outcome;
  }
  const check = (candidate: string): string | undefined => {
    if (!path.isAbsolute(candidate)) {
      outcome.refused.push(candidate);
      return undefined;
    }
    const real = realLocation(path.resolve(candidate));
    if (real === undefined) {
      // Its directory is gone, so is the file; but never call a path outside "ours" gone.
      if (!isInside(path.resolve(tempDirectory), path.resolve(candidate)))
        outcome.refused.push(candidate);
      return undefined;
    }
    if (!isInside(root, real)) {
      outcome.refused.push(candidate);
      return undefined;
    }
    return real;
  };

  for (const file of record.files) {
    const real = check(file);
    if (real === undefined) continue;
    try {
      if (fs.lstatSync(real).isDirectory()) {
        outcome.failed.push({ path: file, code: 'EISDIR' });
        continue;
      }
      fs.unlinkSync(real); // a symbolic link is removed, not what it points to
      outcome.removedFiles++;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') outcome.failed.push({ path: file, code: codeOf(error) });
    }
  }
  // Deepest first, and never recursively: a directory still holding files the task did not
  // write is left with them.
  for (const directory of [...record.directories].sort((a, b) => b.length - a.length)) {
    const real = check(directory);
    if (real === undefined) continue;
    try {
      fs.rmdirSync(real);
      outcome.removedDirectories++;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') outcome.failed.push({ path: directory, code: codeOf(error) });
    }
  }
  return outcome;
}
