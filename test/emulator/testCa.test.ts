/** The test CA, its hand-over through the environment, and the leaf certificates per host. */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { createTestCa, createTestCaFiles, loadTestCaFromEnv, startAzure } from './index';
import type { AzureEmulator } from './types';

/** The certificate the emulator presents for `servername` (none: connect by IP), verified against its CA. */
function peerCertificate(
  emulator: AzureEmulator,
  servername?: string,
): Promise<{ subjectaltname?: string; authorized: boolean }> {
  const direct = new URL(emulator.directUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: direct.hostname,
      port: Number(direct.port),
      ...(servername && { servername }),
      ca: emulator.caCertPem,
    });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      resolve({
        ...(cert.subjectaltname !== undefined && { subjectaltname: cert.subjectaltname }),
        authorized: socket.authorized,
      });
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('emulator test CA', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kvs-ca-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a CA certificate with its matching private key', async () => {
    const ca = await createTestCa();
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.checkPrivateKey(createPrivateKey(ca.keyPem)), true);
  });

  it('reads the CA the runner created from KVS_TEST_CA_CERT / KVS_TEST_CA_KEY', async () => {
    const files = await createTestCaFiles(dir);
    assert.deepEqual(Object.keys(files.env).sort(), [
      'KVS_TEST_CA_CERT',
      'KVS_TEST_CA_KEY',
      'NODE_EXTRA_CA_CERTS',
    ]);
    assert.equal(files.env.NODE_EXTRA_CA_CERTS, files.certFile);
    const loaded = loadTestCaFromEnv(files.env);
    assert.equal(loaded?.certPem, readFileSync(files.certFile, 'utf8'));
    assert.equal(loaded?.certFile, files.certFile);
    assert.equal(loadTestCaFromEnv({}), undefined);
    assert.throws(
      () =>
        loadTestCaFromEnv({
          KVS_TEST_CA_CERT: join(dir, 'missing.pem'),
          KVS_TEST_CA_KEY: files.keyFile,
        }),
      /Cannot read the test CA named by KVS_TEST_CA_CERT=.*missing\.pem/,
    );
  });

  it('starts with the runner’s CA when the variables are set', async () => {
    const files = await createTestCaFiles(dir);
    const saved = { cert: process.env.KVS_TEST_CA_CERT, key: process.env.KVS_TEST_CA_KEY };
    process.env.KVS_TEST_CA_CERT = files.certFile;
    process.env.KVS_TEST_CA_KEY = files.keyFile;
    let emulator: AzureEmulator | undefined;
    try {
      emulator = await startAzure();
    } finally {
      restore('KVS_TEST_CA_CERT', saved.cert);
      restore('KVS_TEST_CA_KEY', saved.key);
    }
    try {
      assert.equal(emulator.caCertFile, files.certFile);
      assert.equal(emulator.caCertPem, readFileSync(files.certFile, 'utf8'));
      assert.equal((await peerCertificate(emulator, 'login.microsoftonline.com')).authorized, true);
    } finally {
      await emulator.close();
    }
    assert.ok(existsSync(files.certFile), 'the runner’s CA file outlives the emulator');
  });

  it('presents a leaf per SNI name, an IP leaf without SNI, and writes a readable CA file', async () => {
    const saved = { cert: process.env.KVS_TEST_CA_CERT, key: process.env.KVS_TEST_CA_KEY };
    delete process.env.KVS_TEST_CA_CERT;
    delete process.env.KVS_TEST_CA_KEY;
    let emulator: AzureEmulator | undefined;
    try {
      emulator = await startAzure();
    } finally {
      restore('KVS_TEST_CA_CERT', saved.cert);
      restore('KVS_TEST_CA_KEY', saved.key);
    }
    try {
      assert.equal(readFileSync(emulator.caCertFile, 'utf8'), emulator.caCertPem);
      emulator.addVault({ name: 'Leaf-KV', tenantId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' });
      const vault = await peerCertificate(emulator, 'leaf-kv.vault.azure.net');
      assert.deepEqual(vault, { subjectaltname: 'DNS:leaf-kv.vault.azure.net', authorized: true });
      const byIp = await peerCertificate(emulator);
      assert.deepEqual(byIp, { subjectaltname: 'IP Address:127.0.0.1', authorized: true });
    } finally {
      await emulator.close();
    }
    assert.equal(
      existsSync(emulator.caCertFile),
      false,
      'a CA file the emulator created is removed on close',
    );
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
