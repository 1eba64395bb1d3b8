/**
 * Writes the task icon (tasks/KeyVaultSecrets/icon.png, 32x32: the size the task picker and the
 * classic editor show) from the extension icon (images/extension-icon.png, 128x128), so the two
 * never drift apart. Usage: tsx scripts/taskIcon.ts. The contract tests compare the committed
 * icon with what this produces.
 *
 * Only what the source needs is implemented: 8-bit RGBA, not interlaced (PNG spec, ISO/IEC 15948:
 * IHDR colour type 6, filter types 0-4).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const repoRoot = path.resolve(__dirname, '..');
export const SOURCE_ICON = path.join(repoRoot, 'images', 'extension-icon.png');
export const TASK_ICON = path.join(repoRoot, 'tasks', 'KeyVaultSecrets', 'icon.png');
export const TASK_ICON_SIZE = 32;

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Rgba {
  width: number;
  height: number;
  /** width * height * 4 bytes, row by row. */
  pixels: Buffer;
}

export function decodePng(bytes: Buffer): Rgba {
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG file.');
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[9] !== 6 || body[12] !== 0) {
        throw new Error('Only 8-bit RGBA, non-interlaced PNG files are supported.');
      }
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? pixels[y * stride + x - 4]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`Unknown PNG filter type ${filter}.`);
      pixels[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** Averages each factor x factor block, weighting colour by alpha so edges do not darken. */
export function shrink(image: Rgba, size: number): Rgba {
  const factor = image.width / size;
  if (!Number.isInteger(factor) || image.height / size !== factor) {
    throw new Error(`Cannot shrink ${image.width}x${image.height} to ${size}x${size} evenly.`);
  }
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let alpha = 0;
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const i = ((y * factor + dy) * image.width + x * factor + dx) * 4;
          const weight = image.pixels[i + 3]!;
          r += image.pixels[i]! * weight;
          g += image.pixels[i + 1]! * weight;
          b += image.pixels[i + 2]! * weight;
          alpha += weight;
        }
      }
      const o = (y * size + x) * 4;
      if (alpha > 0) {
        pixels[o] = Math.round(r / alpha);
        pixels[o + 1] = Math.round(g / alpha);
        pixels[o + 2] = Math.round(b / alpha);
      }
      pixels[o + 3] = Math.round(alpha / (factor * factor));
    }
  }
  return { width: size, height: size, pixels };
}

export function encodePng(image: Rgba): Buffer {
  const stride = image.width * 4;
  const raw = Buffer.alloc((stride + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    raw[y * (stride + 1)] = 0; // filter type 0: none
    image.pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** The task icon's bytes, made from the extension icon. */
export function renderTaskIcon(): Buffer {
  return encodePng(shrink(decodePng(fs.readFileSync(SOURCE_ICON)), TASK_ICON_SIZE));
}

if (require.main === module) {
  fs.writeFileSync(TASK_ICON, renderTaskIcon());
  console.log(`${path.relative(process.cwd(), TASK_ICON)}  ${TASK_ICON_SIZE}x${TASK_ICON_SIZE}`);
}
