import fs from 'node:fs';
import path from 'node:path';

/**
 * The version of the installed task, from the task.json beside the bundle's folder (dist/..): the
 * packaging script stamps the released version there, so this is the version that actually ran.
 */
export function readTaskVersion(bundleDir: string): string {
  try {
    const task = JSON.parse(fs.readFileSync(path.join(bundleDir, '..', 'task.json'), 'utf8')) as {
      version?: { Major?: unknown; Minor?: unknown; Patch?: unknown };
    };
    const { Major, Minor, Patch } = task.version ?? {};
    return [Major, Minor, Patch].every((n) => Number.isInteger(n))
      ? `${String(Major)}.${String(Minor)}.${String(Patch)}`
      : 'unknown';
  } catch {
    return 'unknown';
  }
}
