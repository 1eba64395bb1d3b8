/**
 * npm's `version` lifecycle script: `npm version 1.2.3` (or `patch`, `minor`, `major`) writes the
 * new version into package.json and package-lock.json, then runs this, which writes it into
 * vss-extension.json and task.json (Major/Minor/Patch) and stages both, so npm's version commit
 * and its tag `v1.2.3` hold all four files (docs.npmjs.com, "npm-version"). Works on the package
 * in the current directory, which is where npm runs lifecycle scripts.
 *
 * Only the version is changed in each file: the rest keeps its bytes. A version the Marketplace
 * cannot take (a pre-release such as 1.2.3-beta.1) is refused before anything is written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const EXTENSION_MANIFEST = 'vss-extension.json';
export const TASK_MANIFEST = path.join('tasks', 'KeyVaultSecrets', 'task.json');

/** 1.2.3 -> { Major: 1, Minor: 2, Patch: 3 }; throws for anything else. */
export function parseVersion(version: string): { Major: number; Minor: number; Patch: number } {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  // Task versions are three integers, and the Marketplace takes no pre-release suffix.
  if (!match) throw new Error(`Version '${version}' must be MAJOR.MINOR.PATCH, e.g. 1.2.3.`);
  return { Major: Number(match[1]), Minor: Number(match[2]), Patch: Number(match[3]) };
}

/** Replaces exactly one match of `pattern` in `text`, or throws naming `file`. */
function replaceOnce(text: string, pattern: RegExp, replacement: string, file: string): string {
  const matches = text.match(new RegExp(pattern.source, 'g')) ?? [];
  if (matches.length !== 1) {
    throw new Error(`Expected one version in ${file}, found ${matches.length}.`);
  }
  return text.replace(pattern, replacement);
}

/**
 * Writes package.json's version into both manifests under `root`; returns the files changed
 * (relative to `root`). Checks the result parses and carries the version before writing anything.
 */
export function setVersion(root: string): { version: string; changed: string[] } {
  const read = (rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');
  const { version } = JSON.parse(read('package.json')) as { version: string };
  const parts = parseVersion(version);

  const extension = replaceOnce(
    read(EXTENSION_MANIFEST),
    /("version":\s*)"[^"]*"/,
    `$1"${version}"`,
    EXTENSION_MANIFEST,
  );
  const task = replaceOnce(
    read(TASK_MANIFEST),
    /("version":\s*\{\s*"Major":\s*)\d+(,\s*"Minor":\s*)\d+(,\s*"Patch":\s*)\d+/,
    `$1${parts.Major}$2${parts.Minor}$3${parts.Patch}`,
    TASK_MANIFEST,
  );
  const parsedExtension = JSON.parse(extension) as { version: string };
  const parsedTask = JSON.parse(task) as { version: typeof parts };
  if (
    parsedExtension.version !== version ||
    JSON.stringify(parsedTask.version) !== JSON.stringify(parts)
  ) {
    throw new Error(`The manifests did not take version ${version}; nothing was written.`);
  }

  const changed: string[] = [];
  for (const [rel, text] of [
    [EXTENSION_MANIFEST, extension],
    [TASK_MANIFEST, task],
  ] as const) {
    if (read(rel) === text) continue;
    fs.writeFileSync(path.join(root, rel), text);
    changed.push(rel);
  }
  return { version, changed };
}

if (require.main === module) {
  try {
    const root = process.cwd();
    const { version, changed } = setVersion(root);
    // npm commits what is staged when the script ends (unless --no-git-tag-version); outside a
    // git work tree there is nothing to stage.
    const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root });
    if (inGit.status === 0) {
      const git = spawnSync('git', ['add', '--', EXTENSION_MANIFEST, TASK_MANIFEST], {
        cwd: root,
        stdio: 'inherit',
      });
      if (git.status !== 0)
        throw new Error('git add failed: the manifests changed but are not staged.');
    }
    console.log(`Version ${version}: ${changed.length > 0 ? changed.join(', ') : 'already set'}.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error('package.json may already hold the new version: `git checkout -- .` undoes it.');
    process.exitCode = 1;
  }
}
