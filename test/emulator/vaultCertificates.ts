/**
 * Certificates as Key Vault keeps them behind a certificate's secret (docs/azure-protocols.md §2): the PFX
 * form (`application/x-pkcs12`, base64, no password) and the PEM form (`application/x-pem-file`,
 * the PKCS#8 key, then the certificate, then its issuers; LF line ends, as the certificates
 * recording shows). Made at test time: a leaf issued by a throw-away CA, RSA or ECDSA.
 *
 * The PFX is built with PKIjs like the task's own writer, but in another shape (certificates in a
 * plain bag, key shrouded with PBES2/HMAC-SHA-1, SHA-1 MAC, as .NET and older OpenSSL write them),
 * so reading it exercises more than the task's round trip.
 */
import { createHash, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toPem } from './testCa'; // also sets up @peculiar/x509 (Reflect polyfill, crypto provider)
import * as x509 from '@peculiar/x509';

const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto });
const DAY_MS = 24 * 60 * 60 * 1000;
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';

/** AuthenticatedSafe.parsedValue, which PKIjs types as `any`. */
interface ParsedSafe {
  safeContents: Array<{ privacyMode: number; value: pkijs.SafeContents }>;
}

export interface VaultCertificate {
  /** Base64 PFX without password: the secret's value for `application/x-pkcs12`. */
  pfxBase64: string;
  /** Key then chain: the secret's value for `application/x-pem-file`. */
  pem: string;
  /** The leaf certificate (DER) and its PKCS#8 private key (DER), to compare files against. */
  leafDer: Buffer;
  privateKeyDer: Buffer;
  /** The issuing CA's certificate (DER): the rest of the chain. */
  issuerDer: Buffer;
  /** SHA-1 of the leaf's DER, upper-case hex. */
  thumbprint: string;
  notAfter: Date;
}

export interface VaultCertificateOptions {
  subject?: string;
  key?: 'RSA' | 'ECDSA';
  /** Default: a year from `now`. Whole seconds (X.509 times have no fractions). */
  notAfter?: Date;
  now?: Date;
}

const algorithms = {
  RSA: {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  },
  ECDSA: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
} as const;

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

export async function createVaultCertificate(
  options: VaultCertificateOptions = {},
): Promise<VaultCertificate> {
  const now = (options.now ?? new Date()).getTime();
  const notAfter = options.notAfter ?? new Date(Math.floor((now + 365 * DAY_MS) / 1000) * 1000);
  const algorithm = algorithms[options.key ?? 'RSA'];
  const caKeys = await webcrypto.subtle.generateKey(algorithms.ECDSA, true, ['sign', 'verify']);
  const caName = 'CN=Key Vault Secrets test issuing CA';
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: caName,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    keys: caKeys,
    signingAlgorithm: algorithms.ECDSA,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: options.subject ?? 'CN=signing.contoso.example',
    issuer: caName,
    notBefore: new Date(now - DAY_MS),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: algorithms.ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const privateKeyDer = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const leafDer = Buffer.from(leaf.rawData);
  const issuerDer = Buffer.from(ca.rawData);
  const pem = [
    toPem(new Uint8Array(privateKeyDer).buffer, 'PRIVATE KEY'),
    `${leaf.toString('pem')}\n`,
    `${ca.toString('pem')}\n`,
  ].join('');
  const pfx = await pfxOf(privateKeyDer, [leafDer, issuerDer], '');
  return {
    pfxBase64: pfx.toString('base64'),
    pem,
    leafDer,
    privateKeyDer,
    issuerDer,
    thumbprint: createHash('sha1').update(leafDer).digest('hex').toUpperCase(),
    notAfter: new Date(new X509Certificate(leafDer).validTo),
  };
}

function passwordBytes(password: string): ArrayBuffer {
  return new Uint8Array(Buffer.from(password, 'utf8')).buffer;
}

/** A PFX: certificates in a plain bag, the key shrouded (PBES2, HMAC-SHA-1, AES-128), SHA-1 MAC. */
export async function pfxOf(
  privateKeyDer: Buffer,
  certificatesDer: Buffer[],
  password: string,
): Promise<Buffer> {
  const secret = passwordBytes(password);
  const shrouded = new pkijs.PKCS8ShroudedKeyBag({
    parsedValue: pkijs.PrivateKeyInfo.fromBER(privateKeyDer),
  });
  await shrouded.makeInternalValues(
    {
      password: secret,
      contentEncryptionAlgorithm: { name: 'AES-CBC', length: 128 },
      hmacHashAlgorithm: 'SHA-1',
      iterationCount: 2000,
    },
    engine,
  );
  const certificateBags = certificatesDer.map(
    (der) =>
      new pkijs.SafeBag({
        bagId: CERT_BAG,
        bagValue: new pkijs.CertBag({
          certId: '1.2.840.113549.1.9.22.1',
          certValue: new asn1js.OctetString({ valueHex: der }),
        }),
      }),
  );
  const safe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        {
          privacyMode: 0,
          value: new pkijs.SafeContents({
            safeBags: [new pkijs.SafeBag({ bagId: SHROUDED_KEY_BAG, bagValue: shrouded })],
          }),
        },
        { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: certificateBags }) },
      ],
    },
  });
  await safe.makeInternalValues({ safeContents: [{}, {}] }, engine);
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe: safe } });
  await pfx.makeInternalValues(
    {
      password: secret,
      iterations: 2000,
      pbkdf2HashAlgorithm: 'SHA-1',
      hmacHashAlgorithm: 'SHA-1',
    },
    engine,
  );
  return Buffer.from(pfx.toSchema().toBER(false));
}

/**
 * What Key Vault answers for `outContentType=application/x-pem-file` on a certificate's PFX
 * secret: the same key and chain as PEM, key first. Throws on content that is not a PFX
 * without password (the service then answers 400, see vaultErrors.ts).
 */
export async function pemOfPfx(pfxBase64: string): Promise<string> {
  const secret = passwordBytes('');
  const pfx = pkijs.PFX.fromBER(Buffer.from(pfxBase64, 'base64'));
  await pfx.parseInternalValues(
    { password: secret, checkIntegrity: pfx.macData !== undefined },
    engine,
  );
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Error('not a PFX');
  await safe.parseInternalValues(
    { safeContents: safe.safeContents.map(() => ({ password: secret })) },
    engine,
  );
  const keys: string[] = [];
  const certificates: string[] = [];
  for (const contents of (safe.parsedValue as ParsedSafe | undefined)?.safeContents ?? []) {
    for (const bag of contents.value.safeBags) {
      if (bag.bagId === CERT_BAG) {
        const der = ((bag.bagValue as pkijs.CertBag).certValue as asn1js.OctetString).valueBlock
          .valueHexView;
        certificates.push(`${new x509.X509Certificate(der).toString('pem')}\n`);
      } else if (bag.bagId === KEY_BAG) {
        keys.push(
          toPem((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false), 'PRIVATE KEY'),
        );
      } else if (bag.bagId === SHROUDED_KEY_BAG) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        const decrypted = await new pkijs.EncryptedData({
          encryptedContentInfo: new pkijs.EncryptedContentInfo({
            contentEncryptionAlgorithm: shrouded.encryptionAlgorithm,
            encryptedContent: shrouded.encryptedData,
          }),
        }).decrypt({ password: secret }, engine);
        keys.push(toPem(decrypted, 'PRIVATE KEY'));
      }
    }
  }
  if (keys.length !== 1 || certificates.length === 0) throw new Error('not a certificate PFX');
  return [...keys, ...certificates].join('');
}
