// The pictures: every one vss-extension.json, overview.md or README.md names exists, is a PNG of a
// size the listing shows well, and the manifest's are the ones `npm run screenshots` writes.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { PICTURES } from '../../scripts/screenshots';
import { pngSize, readExtensionJson, repoRoot } from './repo';

function picturesIn(markdownFile: string): string[] {
  const markdown = fs.readFileSync(path.join(repoRoot, markdownFile), 'utf8');
  return [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}
const overviewPictures = picturesIn('overview.md');
const readmePictures = picturesIn('README.md');
const manifestPictures = readExtensionJson().screenshots.map((s) => s.path);

describe('screenshots (images/, npm run screenshots)', () => {
  it('vss-extension.json lists exactly the pictures the script writes, and overview.md shows them', () => {
    assert.deepEqual([...manifestPictures].sort(), Object.values(PICTURES).sort());
    assert.deepEqual(
      manifestPictures.filter((p) => !overviewPictures.includes(p)),
      [],
    );
  });

  for (const rel of new Set([...manifestPictures, ...overviewPictures, ...readmePictures])) {
    it(`${rel} is a PNG of a sane size`, () => {
      assert.match(rel, /^images\/[a-z0-9-]+\.png$/, 'a relative path under images/');
      const file = path.join(repoRoot, rel);
      assert.ok(fs.existsSync(file), `${rel} is missing: run \`npm run screenshots\``);
      const { width, height } = pngSize(file);
      assert.ok(width >= 1000 && width <= 1600, `${rel} is ${width} pixels wide`);
      assert.ok(height >= 400 && height <= 1400, `${rel} is ${height} pixels high`);
      const kilobytes = fs.statSync(file).size / 1024;
      assert.ok(kilobytes <= 250, `${rel} is ${Math.round(kilobytes)} KB`);
    });
  }
});
