import { CERTIFICATE_FORMATS, type CertificateFormat } from '../certificates/certificateFormat';
import { quote } from '../report/safeText';
import { INPUT_NAMES } from './inputNames';

export interface CertificateOptions {
  /** asSecretValue: certificates are set like any secret; pfx or pem: written to files. */
  format: CertificateFormat;
  /** Protects written PFX files; '' for none. A secret: never quoted. */
  password: string;
}

/**
 * Parses CertificateFormat (any case; empty means asSecretValue) and CertificatePassword, which
 * only a PFX file can use: with any other format a password would protect nothing, and the user
 * would believe a key file protected that is not.
 */
export function parseCertificateOptions(
  rawFormat: string | undefined,
  rawPassword: string | undefined,
): { options: CertificateOptions } | { errors: string[] } {
  const text = rawFormat?.trim() ?? '';
  const format =
    text === ''
      ? 'asSecretValue'
      : CERTIFICATE_FORMATS.find((f) => f.toLowerCase() === text.toLowerCase());
  const password = rawPassword ?? '';
  const errors: string[] = [];
  if (format === undefined) {
    errors.push(
      `${INPUT_NAMES.certificateFormat} is ${quote(text)}. Expected one of: ${CERTIFICATE_FORMATS.join(', ')}.`,
    );
  } else if (password !== '' && format !== 'pfx') {
    errors.push(
      `${INPUT_NAMES.certificatePassword} is set, but ${INPUT_NAMES.certificateFormat} is '${format}': only PFX files can be protected by a password. Set ${INPUT_NAMES.certificateFormat} to pfx, or leave ${INPUT_NAMES.certificatePassword} empty.`,
    );
  }
  return format === undefined || errors.length > 0 ? { errors } : { options: { format, password } };
}
