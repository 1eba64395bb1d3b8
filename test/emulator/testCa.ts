/**
 * The test certificate authority and the per-host leaf certificates the emulator presents.
 *
 * Clients reach the emulator under the real Azure host names (docs/azure-protocols.md §1), so every TLS
 * handshake must end in a certificate for that name that the client trusts. Node reads
 * NODE_EXTRA_CA_CERTS only at process start, which is why the test runner creates the CA before
 * mocha starts and hands it over in KVS_TEST_CA_CERT / KVS_TEST_CA_KEY (see loadTestCaFromEnv).
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import './reflectPolyfill'; // before @peculiar/x509: its tsyringe dependency needs Reflect metadata
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

/** A CA as PEM text: the certificate and its PKCS#8 private key. */
export interface TestCa {
  certPem: string;
  keyPem: string;
}

/** Environment variables through which the test runner hands its CA to the emulator. */
export const TEST_CA_CERT_ENV = 'KVS_TEST_CA_CERT';
export const TEST_CA_KEY_ENV = 'KVS_TEST_CA_KEY';

// ECDSA P-256: key generation and signing take well under a millisecond, unlike RSA.
const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const RSA_KEY = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Creates a fresh CA (ECDSA P-256, ten years, pathLen 0). */
export async function createTestCa(): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=Key Vault Secrets task test CA, O=Local Azure emulator',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys,
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: toPem(pkcs8, 'PRIVATE KEY') };
}

/**
 * Creates a CA and writes it to `dir` as `test-ca.pem` and `test-ca.key`. Returns the paths and the
 * environment a test process needs (KVS_TEST_CA_CERT, KVS_TEST_CA_KEY, NODE_EXTRA_CA_CERTS): a
 * convenience for the test runner, which must do this before it starts mocha.
 */
export async function createTestCaFiles(
  dir: string,
): Promise<{ certFile: string; keyFile: string; env: Record<string, string> }> {
  const ca = await createTestCa();
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, 'test-ca.pem');
  const keyFile = join(dir, 'test-ca.key');
  writeFileSync(certFile, ca.certPem);
  writeFileSync(keyFile, ca.keyPem, { mode: 0o600 });
  return {
    certFile,
    keyFile,
    env: {
      [TEST_CA_CERT_ENV]: certFile,
      [TEST_CA_KEY_ENV]: keyFile,
      NODE_EXTRA_CA_CERTS: certFile,
    },
  };
}

/**
 * The CA the test runner created, when KVS_TEST_CA_CERT and KVS_TEST_CA_KEY name its PEM files;
 * undefined when either is unset. Throws when they are set but unreadable, since silently creating
 * another CA would make every TLS handshake fail later with a less helpful message.
 */
export function loadTestCaFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): (TestCa & { certFile: string }) | undefined {
  const certFile = env[TEST_CA_CERT_ENV];
  const keyFile = env[TEST_CA_KEY_ENV];
  if (!certFile || !keyFile) return undefined;
  try {
    return {
      certPem: readFileSync(certFile, 'utf8'),
      keyPem: readFileSync(keyFile, 'utf8'),
      certFile,
    };
  } catch (error) {
    throw new Error(
      `Cannot read the test CA named by ${TEST_CA_CERT_ENV}='${certFile}' and ${TEST_CA_KEY_ENV}='${keyFile}': ` +
        'create it with createTestCaFiles() before starting the test process, or unset both variables.',
      { cause: error },
    );
  }
}

/** Mints and caches one leaf certificate per host name, signed by the CA. */
export class LeafCertificates {
  private readonly contexts = new Map<string, Promise<SecureContext>>();

  private constructor(
    private readonly caCert: x509.X509Certificate,
    private readonly caKey: CryptoKey,
    private readonly caSigning: typeof EC_SIGN | typeof RSA_KEY,
    // One key pair serves every leaf: only the name differs, and it saves a key generation per host.
    private readonly leafKeys: CryptoKeyPair,
    private readonly leafKeyPem: string,
  ) {}

  static async create(ca: TestCa): Promise<LeafCertificates> {
    const caCert = new x509.X509Certificate(ca.certPem);
    // x509 types `algorithm` with the DOM's Algorithm, which this project's lib does not declare.
    const caAlgorithm = caCert.publicKey.algorithm as unknown as webcrypto.EcKeyImportParams;
    const isEc = caAlgorithm.name === 'ECDSA';
    const importAlgorithm = isEc ? caAlgorithm : RSA_KEY;
    const caKey = await webcrypto.subtle.importKey(
      'pkcs8',
      fromPem(ca.keyPem),
      importAlgorithm,
      false,
      ['sign'],
    );
    const leafKeys = await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
    const leafKeyPem = toPem(
      await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey),
      'PRIVATE KEY',
    );
    return new LeafCertificates(caCert, caKey, isEc ? EC_SIGN : RSA_KEY, leafKeys, leafKeyPem);
  }

  /** TLS context presenting a certificate for `host` (a DNS name or an IP address). */
  contextFor(host: string): Promise<SecureContext> {
    const key = host.toLowerCase();
    let context = this.contexts.get(key);
    if (!context) {
      context = this.pemFor(key).then((pem) => createSecureContext(pem));
      this.contexts.set(key, context);
      context.catch(() => this.contexts.delete(key));
    }
    return context;
  }

  /** The leaf certificate for `host` and its key, as PEM (for a server's default context). */
  async pemFor(host: string): Promise<{ cert: string; key: string }> {
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: `CN=${host.toLowerCase()}`,
      issuer: this.caCert.subject,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 365 * DAY_MS),
      publicKey: this.leafKeys.publicKey,
      signingKey: this.caKey,
      signingAlgorithm: this.caSigning,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: isIP(host) ? 'ip' : 'dns', value: host.toLowerCase() },
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(this.caCert.publicKey),
        await x509.SubjectKeyIdentifierExtension.create(this.leafKeys.publicKey),
      ],
    });
    return { cert: cert.toString('pem'), key: this.leafKeyPem };
  }
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // DER integers are signed: keep the serial positive.
  return bytes.toString('hex');
}

export function toPem(der: ArrayBuffer, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function fromPem(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}
