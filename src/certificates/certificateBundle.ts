/**
 * A certificate with its private key, whatever the format it came in: the key as PKCS#8 DER and
 * the chain as DER, the certificate that matches the key first. Built and checked with Node's own
 * X.509 and key parsers (node:crypto), so a bundle always holds a key that matches its leaf.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

export interface CertificateBundle {
  /** PKCS#8 PrivateKeyInfo, DER. */
  privateKeyDer: Buffer;
  /** The certificate whose public key matches the private key first, then the rest as given. */
  certificatesDer: Buffer[];
}

/**
 * Content that is not a usable certificate. `reason` says what is wrong in words that never quote
 * the content, so callers can name the secret and pass the reason on.
 */
export class CertificateContentError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'CertificateContentError';
  }
}

/**
 * Whether `error` is a CertificateContentError. By name, not `instanceof`: pkcs12.js is a bundle of
 * its own with its own copy of the class.
 */
export function isCertificateContentError(error: unknown): error is CertificateContentError {
  return (
    error instanceof Error &&
    error.name === 'CertificateContentError' &&
    typeof (error as { reason?: unknown }).reason === 'string'
  );
}

/** Reads a DER certificate, or says that one could not be read (never how: the text may quote it). */
export function readCertificate(der: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (error) {
    throw new CertificateContentError('a certificate in it is not a valid X.509 certificate', {
      cause: error,
    });
  }
}

/** Reads a private key (PKCS#8, PKCS#1 or SEC1; PEM or DER) into a KeyObject. */
export function readPrivateKey(key: string | { der: Buffer; type: 'pkcs8' }): KeyObject {
  try {
    return typeof key === 'string'
      ? createPrivateKey({ key, format: 'pem' })
      : createPrivateKey({ key: key.der, format: 'der', type: key.type });
  } catch (error) {
    throw new CertificateContentError('its private key could not be read', { cause: error });
  }
}

/**
 * Puts a key and certificates together: exactly one key, at least one certificate, and the
 * certificate the key belongs to moved to the front (some exports list the chain root first).
 */
export function bundleOf(keys: KeyObject[], certificatesDer: Buffer[]): CertificateBundle {
  if (keys.length === 0) throw new CertificateContentError('it holds no private key');
  if (keys.length > 1) throw new CertificateContentError('it holds more than one private key');
  if (certificatesDer.length === 0) throw new CertificateContentError('it holds no certificate');
  const key = keys[0] as KeyObject;
  const leafIndex = certificatesDer.findIndex((der) => readCertificate(der).checkPrivateKey(key));
  if (leafIndex < 0) {
    throw new CertificateContentError('its private key belongs to none of its certificates');
  }
  const leaf = certificatesDer[leafIndex] as Buffer;
  return {
    privateKeyDer: key.export({ type: 'pkcs8', format: 'der' }),
    certificatesDer: [leaf, ...certificatesDer.filter((_, i) => i !== leafIndex)],
  };
}
