/**
 * PEM text as Key Vault stores a certificate (`application/x-pem-file`): the private key and the
 * certificate chain as PEM blocks (RFC 7468), in any order. Parsed and written with node:crypto.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import {
  bundleOf,
  CertificateContentError,
  readCertificate,
  readPrivateKey,
  type CertificateBundle,
} from './certificateBundle';

/** RFC 7468 §2: `-----BEGIN <label>-----`, base64 lines, `-----END <label>-----`. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

/** Reads PEM text into a bundle; throws CertificateContentError saying what is missing or wrong. */
export function readPem(text: string): CertificateBundle {
  const keys: KeyObject[] = [];
  const certificates: Buffer[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [block, label = ''] = match;
    if (label === 'CERTIFICATE') {
      certificates.push(readCertificate(Buffer.from(match[2] ?? '', 'base64')).raw);
    } else if (KEY_LABELS.has(label)) {
      keys.push(readPrivateKey(block));
    } else if (label === 'ENCRYPTED PRIVATE KEY') {
      throw new CertificateContentError(
        'its private key is encrypted (Key Vault stores certificate keys unencrypted)',
      );
    }
  }
  if (keys.length === 0 && certificates.length === 0) {
    throw new CertificateContentError('it is not PEM: it holds no PEM block');
  }
  return bundleOf(keys, certificates);
}

/** `-----BEGIN <label>-----`, base64 in 64-character lines, `-----END <label>-----`, LF endings. */
export function pemBlock(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * The bundle as one PEM file in Key Vault's own order: the PKCS#8 private key, then the
 * certificate, then the rest of the chain. curl (`--cert`), nginx (`ssl_certificate` and
 * `ssl_certificate_key` may name the same file) and OpenSSL read it as it is.
 */
export function writePem(bundle: CertificateBundle): string {
  return [
    pemBlock('PRIVATE KEY', bundle.privateKeyDer),
    ...bundle.certificatesDer.map((der) => pemBlock('CERTIFICATE', new X509Certificate(der).raw)),
  ].join('');
}
