/**
 * `npm test`: makes the test CA, then runs mocha with it trusted. Node reads NODE_EXTRA_CA_CERTS
 * only at process start, so the CA must exist before the test process does; the emulator picks
 * the same CA up from KVS_TEST_CA_CERT / KVS_TEST_CA_KEY. Extra arguments go to mocha.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCaFiles } from '../test/emulator/testCa';

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-test-ca-'));
  try {
    const { env } = await createTestCaFiles(dir);
    const mocha = require.resolve('mocha/bin/mocha.js');
    const child = spawn(process.execPath, [mocha, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    return await new Promise<number>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
