/**
 * Writes a placeholder for each screenshot vss-extension.json lists that does not exist yet: a
 * 1280x720 grey PNG with the extension icon in the middle. tfx refuses to package a manifest
 * whose screenshots are missing; the real pictures are rendered from the task's own output by a
 * later script and replace these. Existing files are never touched.
 * Usage: tsx scripts/screenshotPlaceholders.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodePng, encodePng, SOURCE_ICON } from './taskIcon';

const repoRoot = path.resolve(__dirname, '..');
const WIDTH = 1280;
const HEIGHT = 720;
const GREY = [0xf3, 0xf2, 0xf1];

/** The placeholder's bytes: deterministic, so a rerun produces the same file. */
export function renderPlaceholder(): Buffer {
  const icon = decodePng(fs.readFileSync(SOURCE_ICON));
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 4);
  const left = (WIDTH - icon.width) >> 1;
  const top = (HEIGHT - icon.height) >> 1;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const o = (y * WIDTH + x) * 4;
      const inIcon = x >= left && x < left + icon.width && y >= top && y < top + icon.height;
      const i = inIcon ? ((y - top) * icon.width + (x - left)) * 4 : -1;
      const alpha = inIcon ? icon.pixels[i + 3]! / 255 : 0;
      for (let c = 0; c < 3; c++) {
        const under = GREY[c]!;
        pixels[o + c] = Math.round(
          inIcon ? icon.pixels[i + c]! * alpha + under * (1 - alpha) : under,
        );
      }
      pixels[o + 3] = 0xff;
    }
  }
  return encodePng({ width: WIDTH, height: HEIGHT, pixels });
}

if (require.main === module) {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'vss-extension.json'), 'utf8'),
  ) as { screenshots?: { path: string }[] };
  for (const { path: rel } of manifest.screenshots ?? []) {
    const file = path.join(repoRoot, rel);
    if (fs.existsSync(file)) continue;
    fs.writeFileSync(file, renderPlaceholder());
    console.log(`${rel}  placeholder`);
  }
}
