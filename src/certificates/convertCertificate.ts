/**
 * A certificate-backed secret's value, read in the format Key Vault stores it in and turned into
 * the file the user asked for, with the facts later steps need and the lines to mask.
 */
import { CertificateContentError, type CertificateBundle } from './certificateBundle';
import { certificateFacts, type CertificateFacts } from './certificateFacts';
import type { CertificateFileFormat } from './certificateFormat';
import type { Pkcs12Module } from './loadPkcs12';
import { readPem, writePem } from './pemCertificate';

export interface ConvertedCertificate {
  format: CertificateFileFormat;
  /** The file's bytes. */
  content: Buffer;
  facts: CertificateFacts;
  /** Forms of the file a later step could print (PEM lines, base64 of a PFX), to be masked. */
  masks: string[];
}

export interface ConvertOptions {
  /** Protects a written PFX; '' writes an unprotected one (as Key Vault's own). */
  password: string;
  /** PKCS#12 support, asked for only when a PFX is read or written. */
  pkcs12: () => Pkcs12Module;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Lines of a base64 text wrapped as `openssl base64` (64) and GNU `base64` (76) print them. */
function base64Masks(content: Buffer): string[] {
  const base64 = content.toString('base64');
  return [base64, ...(base64.match(/.{1,64}/g) ?? []), ...(base64.match(/.{1,76}/g) ?? [])];
}

/** Every base64 line of a PEM text; the armour lines are public and would garble logs. */
function pemMasks(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('-----'));
}

/**
 * Reads `value` as Key Vault stores a certificate: PEM text (`application/x-pem-file`, or a PFX
 * the service converted on request) or a base64 PFX without password (`application/x-pkcs12`).
 */
export function readStoredCertificate(
  value: string,
  stored: CertificateFileFormat,
  pkcs12: () => Pkcs12Module,
): CertificateBundle | Promise<CertificateBundle> {
  if (stored === 'pem' || value.includes('-----BEGIN ')) return readPem(value);
  const compact = value.replace(/\s+/g, '');
  if (compact.length === 0) throw new CertificateContentError('it is empty');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw new CertificateContentError('it is not base64 text, as Key Vault stores a PFX');
  }
  return pkcs12().readPfx(Buffer.from(compact, 'base64'), '');
}

/** Converts a stored certificate to `target`. Throws CertificateContentError on bad content. */
export async function convertCertificate(
  value: string,
  stored: CertificateFileFormat,
  target: CertificateFileFormat,
  options: ConvertOptions,
): Promise<ConvertedCertificate> {
  const bundle = await readStoredCertificate(value, stored, options.pkcs12);
  const facts = certificateFacts(bundle);
  if (target === 'pem') {
    const text = writePem(bundle);
    return { format: target, content: Buffer.from(text, 'utf8'), facts, masks: pemMasks(text) };
  }
  const content = await options.pkcs12().writePfx(bundle, options.password);
  return { format: target, content, facts, masks: base64Masks(content) };
}
