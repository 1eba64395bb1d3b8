/**
 * Which secrets are certificates, and in which format Key Vault holds them. A Key Vault
 * certificate is readable as a secret of the same name whose content type says its format
 * (learn.microsoft.com, "About Azure Key Vault certificates": "Exportable or Non-exportable key";
 * the secret's `contentType` is the certificate policy's `secret_props.contentType`).
 */

/** The two formats Key Vault stores a certificate's secret in; also the two a file can be written in. */
export type CertificateFileFormat = 'pfx' | 'pem';

/** The CertificateFormat input: keep the value as it is, or write a file in this format. */
export type CertificateFormat = 'asSecretValue' | CertificateFileFormat;

export const CERTIFICATE_FORMATS: readonly CertificateFormat[] = ['asSecretValue', 'pfx', 'pem'];

/** The content types Key Vault gives certificate-backed secrets. */
export const CONTENT_TYPES: Readonly<Record<CertificateFileFormat, string>> = {
  pfx: 'application/x-pkcs12',
  pem: 'application/x-pem-file',
};

/**
 * The stored format a content type marks, or undefined for any other secret. Media types ignore
 * case and may carry parameters (RFC 9110 §8.3.1), so `Application/X-PKCS12; x=y` counts too.
 */
export function storedCertificateFormat(
  contentType: string | undefined,
): CertificateFileFormat | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === CONTENT_TYPES.pfx) return 'pfx';
  if (type === CONTENT_TYPES.pem) return 'pem';
  return undefined;
}
