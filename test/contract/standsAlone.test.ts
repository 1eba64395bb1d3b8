// The repository stands alone: every document it cites is inside it (docs/…) or public, and every
// "docs/<file>.md §N" reference names a section that exists.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo';

const TEXT_FILE = /\.(ts|mts|mjs|js|json|md|yml|yaml|sh)$|(^|\/)\.ci\/run$/;

function trackedTextFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter((file) => TEXT_FILE.test(file) && file !== 'package-lock.json')
    .filter((file) => !file.startsWith('test/fixtures/recordings/') || file.endsWith('.md'))
    .filter((file) => fs.existsSync(path.join(repoRoot, file)));
}

/** Section numbers ("## 7. Title") of a document in docs/. */
function sectionsOf(doc: string): Set<string> {
  const text = fs.readFileSync(path.join(repoRoot, 'docs', doc), 'utf8');
  return new Set([...text.matchAll(/^## (\d+)\. /gm)].map((m) => m[1] ?? ''));
}

describe('contract: the repository stands alone', () => {
  const files = trackedTextFiles();
  // Built from parts, so this file does not match itself.
  const outside = new RegExp(
    [
      ...['agent-contract', 'azure-wire'].map((n) => `${n}\\.md`),
      '\\.\\./shared/',
      ['', 'work', ''].join('/'),
    ].join('|'),
  );

  it('cites no document outside the repository', () => {
    const offenders = files.flatMap((file) =>
      fs
        .readFileSync(path.join(repoRoot, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (outside.test(line) ? [`${file}:${i + 1}`] : [])),
    );
    assert.deepEqual(offenders, []);
  });

  it('every docs/<file>.md §N reference names an existing document and section', () => {
    const sections = new Map<string, Set<string>>();
    const broken: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      for (const m of text.matchAll(/docs\/([\w-]+\.md) ?§ ?(\d+)/g)) {
        const [, doc = '', section = ''] = m;
        if (!fs.existsSync(path.join(repoRoot, 'docs', doc))) {
          broken.push(`${file}: docs/${doc} does not exist`);
          continue;
        }
        if (!sections.has(doc)) sections.set(doc, sectionsOf(doc));
        if (!sections.get(doc)?.has(section))
          broken.push(`${file}: docs/${doc} has no §${section}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
