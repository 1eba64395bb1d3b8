/**
 * PKCS#12 (RFC 7292) through PKIjs, the PKI library of the @peculiar/x509 family, over Node's
 * WebCrypto. Bundled on its own as dist/pkcs12.js and loaded only when a run writes or reads a PFX
 * (see loadPkcs12.ts), so runs without certificates never pay for it.
 *
 * Written files use what OpenSSL 3 writes by default and reads without `-legacy`, and what .NET's
 * X509Certificate2 loads: keys and certificates encrypted with PBES2 (PBKDF2 with HMAC-SHA-256,
 * AES-256-CBC) and a SHA-256 MAC, 2048 iterations (openssl-pkcs12(1), "-legacy").
 */
import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  bundleOf,
  CertificateContentError,
  readPrivateKey,
  type CertificateBundle,
} from './certificateBundle';

/** AuthenticatedSafe.parsedValue, which PKIjs types as `any`. */
interface ParsedSafe {
  safeContents: Array<{ privacyMode: number; value: pkijs.SafeContents }>;
}

/** PKCS#12 bag types (RFC 7292 §4.2) and attributes (PKCS#9). */
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  certificate: '1.2.840.113549.1.12.10.1.3',
} as const;
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
/** pbeWithSHAAnd… (RFC 7292 Appendix C): RC2, RC4 and 3DES, which OpenSSL 3 calls legacy. */
const LEGACY_PBE_PREFIX = '1.2.840.113549.1.12.1.';

const ITERATIONS = 2048;
const CIPHER = { name: 'AES-CBC', length: 256 };
const HASH = 'SHA-256';

// One engine over Node's WebCrypto, passed explicitly: nothing global is set.
const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto });

function passwordBytes(password: string): ArrayBuffer {
  const bytes = Buffer.from(password, 'utf8');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/**
 * A PFX holding the bundle, protected by `password` ('' for an unprotected file, as Key Vault's
 * own exports are: still encrypted and MAC-ed, with the empty password).
 */
export async function writePfx(bundle: CertificateBundle, password: string): Promise<Buffer> {
  const secret = passwordBytes(password);
  const leaf = bundle.certificatesDer[0];
  if (!leaf) throw new Error('A certificate bundle always holds a certificate.');
  // The same localKeyId on the key and its certificate pairs them, as OpenSSL and Windows do.
  const pairing = (): pkijs.Attribute[] => [
    new pkijs.Attribute({
      type: LOCAL_KEY_ID,
      values: [new asn1js.OctetString({ valueHex: createHash('sha1').update(leaf).digest() })],
    }),
  ];
  const encryption = {
    password: secret,
    contentEncryptionAlgorithm: CIPHER,
    hmacHashAlgorithm: HASH,
    iterationCount: ITERATIONS,
  };

  const shrouded = new pkijs.PKCS8ShroudedKeyBag({
    parsedValue: pkijs.PrivateKeyInfo.fromBER(bundle.privateKeyDer),
  });
  await shrouded.makeInternalValues(encryption, engine);
  const certificateBags = bundle.certificatesDer.map(
    (der, index) =>
      new pkijs.SafeBag({
        bagId: BAG.certificate,
        // The certificate's own bytes, not a re-encoding: its thumbprint must not change.
        bagValue: new pkijs.CertBag({
          certId: X509_CERTIFICATE,
          certValue: new asn1js.OctetString({ valueHex: der }),
        }),
        ...(index === 0 && { bagAttributes: pairing() }),
      }),
  );
  const safe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certificateBags }) },
        {
          privacyMode: 0,
          value: new pkijs.SafeContents({
            safeBags: [
              new pkijs.SafeBag({
                bagId: BAG.shroudedKey,
                bagValue: shrouded,
                bagAttributes: pairing(),
              }),
            ],
          }),
        },
      ],
    },
  });
  await safe.makeInternalValues({ safeContents: [encryption, {}] }, engine);
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe: safe } });
  await pfx.makeInternalValues(
    {
      password: secret,
      iterations: ITERATIONS,
      pbkdf2HashAlgorithm: HASH,
      hmacHashAlgorithm: HASH,
    },
    engine,
  );
  return Buffer.from(pfx.toSchema().toBER(false));
}

const LEGACY_REASON =
  'it is encrypted with a legacy algorithm (RC2 or 3DES) that the task does not read; import it again as a PFX with AES encryption, or as PEM';
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';

const isLegacy = (algorithm: pkijs.AlgorithmIdentifier): boolean =>
  algorithm.algorithmId.startsWith(LEGACY_PBE_PREFIX);

/** Whether an encrypted part of the authenticated safe uses a legacy PBE scheme. */
function legacyContents(safe: pkijs.AuthenticatedSafe): boolean {
  return safe.safeContents.some(
    (info) =>
      info.contentType === ENCRYPTED_DATA &&
      isLegacy(
        // From a copy: reading a schema consumes it, and PKIjs reads this one again later.
        pkijs.EncryptedData.fromBER((info.content as asn1js.BaseBlock).toBER(false))
          .encryptedContentInfo.contentEncryptionAlgorithm,
      ),
  );
}

/**
 * Reads a PFX with its password ('' when it has none). Throws CertificateContentError for content
 * that is not PKCS#12, a wrong password, legacy encryption, or a key or certificate missing.
 */
export async function readPfx(der: Uint8Array, password: string): Promise<CertificateBundle> {
  const secret = passwordBytes(password);
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(der);
  } catch (error) {
    throw new CertificateContentError('it is not a PFX (PKCS#12) file', { cause: error });
  }
  try {
    await pfx.parseInternalValues(
      { password: secret, checkIntegrity: pfx.macData !== undefined },
      engine,
    );
  } catch (error) {
    throw new CertificateContentError(
      pfx.macData === undefined
        ? 'it is not a PFX (PKCS#12) file'
        : 'its integrity check failed: the PFX is damaged or protected by a password',
      { cause: error },
    );
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new CertificateContentError('it is not a PFX (PKCS#12) file');
  const legacy = legacyContents(safe);
  try {
    await safe.parseInternalValues(
      { safeContents: safe.safeContents.map(() => ({ password: secret })) },
      engine,
    );
  } catch (error) {
    throw new CertificateContentError(
      legacy ? LEGACY_REASON : 'its contents could not be decrypted',
      { cause: error },
    );
  }

  const keys = [];
  const certificates: Buffer[] = [];
  for (const contents of (safe.parsedValue as ParsedSafe | undefined)?.safeContents ?? []) {
    for (const bag of contents.value.safeBags) {
      if (bag.bagId === BAG.certificate) {
        const value = (bag.bagValue as pkijs.CertBag).certValue as asn1js.OctetString;
        certificates.push(Buffer.from(value.valueBlock.valueHexView));
      } else if (bag.bagId === BAG.key) {
        const info = bag.bagValue as pkijs.PrivateKeyInfo;
        keys.push(
          readPrivateKey({ der: Buffer.from(info.toSchema().toBER(false)), type: 'pkcs8' }),
        );
      } else if (bag.bagId === BAG.shroudedKey) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        let decrypted: ArrayBuffer;
        try {
          // What the bag's own (protected) parseInternalValues does, through the public API.
          decrypted = await new pkijs.EncryptedData({
            encryptedContentInfo: new pkijs.EncryptedContentInfo({
              contentEncryptionAlgorithm: shrouded.encryptionAlgorithm,
              encryptedContent: shrouded.encryptedData,
            }),
          }).decrypt({ password: secret }, engine);
        } catch (error) {
          throw new CertificateContentError(
            isLegacy(shrouded.encryptionAlgorithm)
              ? LEGACY_REASON
              : 'its private key could not be decrypted',
            { cause: error },
          );
        }
        keys.push(readPrivateKey({ der: Buffer.from(decrypted), type: 'pkcs8' }));
      }
    }
  }
  return bundleOf(keys, certificates);
}
