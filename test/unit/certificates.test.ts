import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { CertificateContentError } from '../../src/certificates/certificateBundle';
import { certificateFacts } from '../../src/certificates/certificateFacts';
import { storedCertificateFormat } from '../../src/certificates/certificateFormat';
import { parseCertificateOptions } from '../../src/config/certificateOptions';
import {
  convertCertificate,
  readStoredCertificate,
} from '../../src/certificates/convertCertificate';
import { loadPkcs12 } from '../../src/certificates/loadPkcs12';
import { prepareCertificates } from '../../src/certificates/prepareCertificates';
import { readPem, writePem } from '../../src/certificates/pemCertificate';
import { readPfx, writePfx } from '../../src/certificates/pkcs12';
import {
  createVaultCertificate,
  pfxOf,
  type VaultCertificate,
} from '../emulator/vaultCertificates';

const RECORDING = join(
  __dirname,
  '../fixtures/recordings/certificates.recording_can_get_a_certificates_secret_in_pem_format.json',
);
/** The PEM certificate secret Key Vault served in the recording (a real Key Vault certificate). */
const recordedPem = (): string => {
  const entries = (
    JSON.parse(readFileSync(RECORDING, 'utf8')) as {
      Entries: Array<{ StatusCode: number; RequestUri: string; ResponseBody: { value?: string } }>;
    }
  ).Entries;
  const entry = entries.find((e) => e.StatusCode === 200 && e.RequestUri.includes('/secrets/'));
  return entry?.ResponseBody.value ?? '';
};

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const options = { password: '', pkcs12: loadPkcs12 };

async function rejectsWith(promise: Promise<unknown> | (() => unknown), reason: string) {
  await assert.rejects(
    () => (typeof promise === 'function' ? Promise.resolve().then(promise) : promise),
    (error: unknown) => error instanceof CertificateContentError && error.reason === reason,
  );
}

/** Asserts that `content` (a PFX) opens with `password` in OpenSSL (Node's own, and the CLI). */
function assertOpensslReadsPfx(content: Buffer, password: string, cert: VaultCertificate) {
  createSecureContext({ pfx: content, passphrase: password }); // Node's OpenSSL 3 PKCS12_parse
  if (!hasOpenssl) return;
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cert-'));
  try {
    writeFileSync(join(dir, 'c.pfx'), content);
    const out = execFileSync(
      'openssl',
      ['pkcs12', '-in', join(dir, 'c.pfx'), '-passin', `pass:${password}`, '-nodes'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const key = createPrivateKey(out);
    assert.ok(key.export({ type: 'pkcs8', format: 'der' }).equals(cert.privateKeyDer));
    const leaf = out.slice(out.indexOf('-----BEGIN CERTIFICATE-----'));
    assert.ok(new X509Certificate(leaf).raw.equals(cert.leafDer));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('certificates', () => {
  let rsa: VaultCertificate;
  let ec: VaultCertificate;
  before(async () => {
    [rsa, ec] = await Promise.all([
      createVaultCertificate({ key: 'RSA' }),
      createVaultCertificate({ key: 'ECDSA' }),
    ]);
  });

  describe('storedCertificateFormat', () => {
    it('knows Key Vault’s two certificate content types, ignoring case and parameters', () => {
      assert.equal(storedCertificateFormat('application/x-pkcs12'), 'pfx');
      assert.equal(storedCertificateFormat('Application/X-PKCS12; charset=binary'), 'pfx');
      assert.equal(storedCertificateFormat(' application/x-pem-file '), 'pem');
      assert.equal(storedCertificateFormat('text/plain'), undefined);
      assert.equal(storedCertificateFormat(''), undefined);
      assert.equal(storedCertificateFormat(undefined), undefined);
    });
  });

  describe('PEM', () => {
    it('reads the PEM Key Vault served in the recording: thumbprint and NotAfter of its leaf', () => {
      const pem = recordedPem();
      const bundle = readPem(pem);
      const leaf = new X509Certificate(pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
      const facts = certificateFacts(bundle);
      assert.equal(facts.thumbprint, leaf.fingerprint.replace(/:/g, ''));
      assert.match(facts.thumbprint, /^[0-9A-F]{40}$/);
      // The recorded attributes: exp 1806982561 (the certificate's NotAfter).
      assert.equal(facts.notAfter.toISOString(), '2027-04-06T03:36:01.000Z');
      assert.equal(facts.subject, 'CN=MyCert');
      assert.equal(writePem(bundle), pem, 'Key Vault’s own PEM is already in the written form');
    });

    it('puts the certificate that matches the key first, whatever the order given', () => {
      const [key, leaf, issuer] = rsa.pem.split(/(?=-----BEGIN )/);
      const bundle = readPem(`${issuer}${leaf}${key}`);
      assert.ok(bundle.certificatesDer[0]?.equals(rsa.leafDer));
      assert.ok(bundle.certificatesDer[1]?.equals(rsa.issuerDer));
      assert.equal(writePem(bundle), rsa.pem);
    });

    it('says what is wrong with PEM content, never quoting it', async () => {
      const [key, leaf, issuer] = rsa.pem.split(/(?=-----BEGIN )/);
      await rejectsWith(() => readPem(`${leaf}${issuer}`), 'it holds no private key');
      await rejectsWith(() => readPem(key as string), 'it holds no certificate');
      await rejectsWith(() => readPem('hello'), 'it is not PEM: it holds no PEM block');
      await rejectsWith(
        () => readPem(`${ec.pem.split(/(?=-----BEGIN )/)[0]}${leaf}`),
        'its private key belongs to none of its certificates',
      );
      await rejectsWith(() => readPem(`${key}${key}${leaf}`), 'it holds more than one private key');
      await rejectsWith(
        () => readPem(`${key}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`),
        'a certificate in it is not a valid X.509 certificate',
      );
      await rejectsWith(
        () => readPem(`-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n${leaf}`),
        'its private key could not be read',
      );
      await rejectsWith(
        () =>
          readPem(
            `-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n${leaf}`,
          ),
        'its private key is encrypted (Key Vault stores certificate keys unencrypted)',
      );
    });
  });

  describe('PKCS#12', () => {
    for (const password of ['', 'p@ss wörd;%']) {
      it(`writes a PFX OpenSSL 3 reads without -legacy${password ? ', with a password' : ''}`, async () => {
        for (const cert of [rsa, ec]) {
          const pfx = await writePfx(readPem(cert.pem), password);
          assertOpensslReadsPfx(pfx, password, cert);
          const back = await readPfx(pfx, password);
          assert.ok(back.privateKeyDer.equals(cert.privateKeyDer));
          assert.deepEqual(back.certificatesDer, [cert.leafDer, cert.issuerDer]);
        }
      });
    }

    it('uses PBES2 with AES-256-CBC and HMAC-SHA-256 and a SHA-256 MAC', async function () {
      if (!hasOpenssl) this.skip();
      const dir = mkdtempSync(join(tmpdir(), 'kvs-cert-'));
      try {
        writeFileSync(join(dir, 'c.pfx'), await writePfx(readPem(rsa.pem), ''));
        const info = spawnSync(
          'openssl',
          ['pkcs12', '-in', join(dir, 'c.pfx'), '-passin', 'pass:', '-info', '-noout'],
          { encoding: 'utf8' },
        ).stderr;
        assert.match(info, /^MAC: sha256, Iteration 2048$/m);
        assert.match(
          info,
          /^PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256$/m,
        );
        assert.match(
          info,
          /^Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256$/m,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reads PFX files written by others: plain bags, SHA-1 MAC, OpenSSL 3 defaults', async () => {
      const other = await pfxOf(ec.privateKeyDer, [ec.issuerDer, ec.leafDer], '');
      const bundle = await readPfx(other, '');
      assert.deepEqual(bundle.certificatesDer, [ec.leafDer, ec.issuerDer]);
      if (!hasOpenssl) return;
      const dir = mkdtempSync(join(tmpdir(), 'kvs-cert-'));
      try {
        writeFileSync(join(dir, 'in.pem'), rsa.pem);
        execFileSync('openssl', [
          'pkcs12',
          '-export',
          '-in',
          join(dir, 'in.pem'),
          '-passout',
          'pass:',
          '-out',
          join(dir, 'o.pfx'),
        ]);
        const fromOpenssl = await readPfx(readFileSync(join(dir, 'o.pfx')), '');
        assert.ok(fromOpenssl.privateKeyDer.equals(rsa.privateKeyDer));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says what is wrong with PFX content, never quoting it', async () => {
      const protectedPfx = await pfxOf(rsa.privateKeyDer, [rsa.leafDer], 'secret');
      await rejectsWith(
        readPfx(protectedPfx, ''),
        'its integrity check failed: the PFX is damaged or protected by a password',
      );
      await rejectsWith(readPfx(Buffer.from('not asn.1'), ''), 'it is not a PFX (PKCS#12) file');
      const keyless = await writePfx(readPem(rsa.pem), '');
      assert.ok(keyless.length > 0);
      await rejectsWith(
        () => readStoredCertificate('@@not base64@@', 'pfx', loadPkcs12),
        'it is not base64 text, as Key Vault stores a PFX',
      );
      await rejectsWith(() => readStoredCertificate('  ', 'pfx', loadPkcs12), 'it is empty');
      await rejectsWith(
        readStoredCertificate(
          Buffer.from('hello world').toString('base64'),
          'pfx',
          loadPkcs12,
        ) as Promise<unknown>,
        'it is not a PFX (PKCS#12) file',
      );
    });

    it('names legacy RC2/3DES encryption as the reason, when OpenSSL can write it', async function () {
      if (!hasOpenssl) this.skip();
      const dir = mkdtempSync(join(tmpdir(), 'kvs-cert-'));
      try {
        writeFileSync(join(dir, 'in.pem'), rsa.pem);
        const made = spawnSync('openssl', [
          'pkcs12',
          '-export',
          '-legacy',
          '-in',
          join(dir, 'in.pem'),
          '-passout',
          'pass:',
          '-out',
          join(dir, 'l.pfx'),
        ]);
        if (made.status !== 0) this.skip(); // no legacy provider on this machine
        await rejectsWith(
          readPfx(readFileSync(join(dir, 'l.pfx')), ''),
          'it is encrypted with a legacy algorithm (RC2 or 3DES) that the task does not read; import it again as a PFX with AES encryption, or as PEM',
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('convertCertificate', () => {
    it('PFX to PEM: key and chain, the facts of the leaf, every base64 line masked', async () => {
      const converted = await convertCertificate(rsa.pfxBase64, 'pfx', 'pem', options);
      const text = converted.content.toString('utf8');
      assert.equal(text, rsa.pem);
      assert.equal(converted.facts.thumbprint, rsa.thumbprint);
      assert.equal(converted.facts.notAfter.toISOString(), rsa.notAfter.toISOString());
      const lines = text.split('\n').filter((l) => l && !l.startsWith('-----'));
      assert.deepEqual(converted.masks, lines);
    });

    it('PEM to PFX, with a password: the file’s base64 forms are masked', async () => {
      const converted = await convertCertificate(ec.pem, 'pem', 'pfx', {
        ...options,
        password: 'pw',
      });
      assertOpensslReadsPfx(converted.content, 'pw', ec);
      const base64 = converted.content.toString('base64');
      assert.equal(converted.masks[0], base64);
      assert.ok(converted.masks.includes(base64.slice(0, 64)));
      assert.ok(converted.masks.includes(base64.slice(0, 76)));
      assert.equal(converted.facts.thumbprint, ec.thumbprint);
    });

    it('PFX to PFX and PEM to PEM are rewritten in the same modern form', async () => {
      const pfx = await convertCertificate(rsa.pfxBase64, 'pfx', 'pfx', options);
      assertOpensslReadsPfx(pfx.content, '', rsa);
      const pem = await convertCertificate(rsa.pem, 'pem', 'pem', options);
      assert.equal(pem.content.toString('utf8'), rsa.pem);
    });

    it('reads a PFX secret the service already converted to PEM as PEM', async () => {
      const converted = await convertCertificate(rsa.pem, 'pfx', 'pem', options);
      assert.equal(converted.content.toString('utf8'), rsa.pem);
    });
  });
});

describe('parseCertificateOptions', () => {
  it('defaults to asSecretValue with no password, and reads the formats in any case', () => {
    assert.deepEqual(parseCertificateOptions(undefined, undefined), {
      options: { format: 'asSecretValue', password: '' },
    });
    assert.deepEqual(parseCertificateOptions(' PFX ', 'pw'), {
      options: { format: 'pfx', password: 'pw' },
    });
    assert.deepEqual(parseCertificateOptions('Pem', undefined), {
      options: { format: 'pem', password: '' },
    });
  });

  it('lists the allowed values for an unknown format', () => {
    assert.deepEqual(parseCertificateOptions('p12', undefined), {
      errors: ["CertificateFormat is 'p12'. Expected one of: asSecretValue, pfx, pem."],
    });
  });

  it('refuses a password that would protect nothing, without quoting it', () => {
    for (const format of ['pem', 'asSecretValue']) {
      const parsed = parseCertificateOptions(format, 'hunter2');
      assert.deepEqual(parsed, {
        errors: [
          `CertificatePassword is set, but CertificateFormat is '${format}': only PFX files can be protected by a password. Set CertificateFormat to pfx, or leave CertificatePassword empty.`,
        ],
      });
    }
  });
});

describe('prepareCertificates', () => {
  let cert: VaultCertificate;
  before(async () => {
    cert = await createVaultCertificate();
  });
  const secret = (name: string, value: string, contentType?: string, managed = true) => ({
    key: `${name}/`,
    name,
    value,
    contentType,
    managed,
    version: '0123456789abcdef0123456789abcdef',
  });

  it('converts only certificate-backed secrets, in order, naming what is wrong per secret', async () => {
    const prepared = await prepareCertificates(
      [
        secret('plain', 'hello'),
        secret('as-pem', cert.pem, 'application/x-pem-file'),
        secret('broken', 'not base64!', 'application/x-pkcs12'),
        secret('as-pfx', cert.pfxBase64, 'application/x-pkcs12', false),
      ],
      { format: 'pem', password: '', pkcs12: loadPkcs12 },
    );
    assert.deepEqual(
      prepared.map((p) => [p.name, 'reason' in p ? p.reason : p.converted.facts.thumbprint]),
      [
        ['as-pem', cert.thumbprint],
        ['broken', 'it is not base64 text, as Key Vault stores a PFX'],
        ['as-pfx', cert.thumbprint],
      ],
    );
  });

  it('prefers the vault’s PEM form of a certificate’s PFX, and falls back to the PFX', async () => {
    const asked: string[] = [];
    const prepared = await prepareCertificates(
      [secret('kv-cert', 'not a pfx at all', 'application/x-pkcs12')],
      {
        format: 'pfx',
        password: '',
        pkcs12: loadPkcs12,
        readPemForm: (name, version) => {
          asked.push(`${name}/${version}`);
          return Promise.resolve(cert.pem);
        },
      },
    );
    assert.deepEqual(asked, ['kv-cert/0123456789abcdef0123456789abcdef']);
    assert.equal(
      'converted' in prepared[0]! && prepared[0].converted.facts.thumbprint,
      cert.thumbprint,
    );

    const fallback = await prepareCertificates(
      [secret('kv-cert', cert.pfxBase64, 'application/x-pkcs12')],
      {
        format: 'pem',
        password: '',
        pkcs12: loadPkcs12,
        readPemForm: () => Promise.reject(new Error('400 BadParameter')),
      },
    );
    assert.equal('converted' in fallback[0]! && fallback[0].converted.content.toString(), cert.pem);
  });
});
