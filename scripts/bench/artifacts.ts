/** Sizes of what ships: the bundle and the VSIX that `scripts/package.ts` builds. */
import fs from 'node:fs';
import path from 'node:path';
import { packageExtension } from '../package';

export interface ArtifactSizes {
  bundleBytes: number;
  vsixBytes: number;
  /** Files in the VSIX (directory entries not counted). */
  vsixFiles: number;
}

/** Packages into `outputDir` (tfx output captured) and measures the result. Needs a build. */
export function measureArtifacts(bundlePath: string, outputDir: string): ArtifactSizes {
  const vsix = packageExtension({ outputDir, quiet: true });
  return {
    bundleBytes: fs.statSync(bundlePath).size,
    vsixBytes: vsix.bytes,
    vsixFiles: zipEntryNames(fs.readFileSync(path.resolve(vsix.vsixPath))).filter(
      (name) => !name.endsWith('/'),
    ).length,
  };
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const EOCD_MIN = 22;

/** Names of the entries in a zip (a VSIX is one), read from its central directory. Throws for
 *  data that is not a zip. No zip64: a VSIX is far below its limits. */
export function zipEntryNames(zip: Buffer): string[] {
  const lowest = Math.max(0, zip.length - EOCD_MIN - 0xffff);
  let end = -1;
  for (let at = zip.length - EOCD_MIN; at >= lowest && end < 0; at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) end = at;
  }
  if (end < 0) throw new Error('No end-of-central-directory record: not a zip file.');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`Zip central directory entry ${i} is damaged.`);
    }
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
