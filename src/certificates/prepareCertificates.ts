/**
 * Turns every certificate-backed secret of a run into the file the user asked for, before the
 * plan is made: the conversion is computation only (no agent, no files), but asynchronous
 * (WebCrypto) and it may ask the vault for its own PEM form of a certificate.
 *
 * Key Vault converts a certificate's PFX to PEM itself when asked (`outContentType`, Key Vault
 * REST API "Get Secret", api-version 2025-07-01): that form is preferred, so the PFX Key Vault
 * stores, whatever its encryption, is never parsed here. When the service cannot convert (a
 * secret uploaded by hand with a PFX content type is no certificate to Key Vault), the stored PFX
 * is read locally.
 */
import { isCertificateContentError } from './certificateBundle';
import { storedCertificateFormat, type CertificateFileFormat } from './certificateFormat';
import { convertCertificate, type ConvertedCertificate } from './convertCertificate';
import type { Pkcs12Module } from './loadPkcs12';
import { readKey, type FetchedSecret } from '../vault/fetchSecrets';

export interface CertificateSecret {
  /** Identifies the read the value came from (the plan looks the result up by it). */
  key: string;
  name: string;
  value: string;
  contentType: string | undefined;
  /** True for the secret behind a Key Vault certificate. */
  managed: boolean;
  /** The version read, so the PEM form is of the same version. */
  version: string | undefined;
}

/** A secret as read, in the terms of this module. */
export function certificateSecretOf(secret: FetchedSecret): CertificateSecret {
  return {
    key: readKey(secret.read),
    name: secret.properties.name,
    value: secret.value,
    contentType: secret.properties.contentType,
    managed: secret.properties.managed,
    version: secret.properties.version,
  };
}

export type PreparedCertificate =
  | { key: string; name: string; converted: ConvertedCertificate }
  | { key: string; name: string; reason: string };

export interface PrepareOptions {
  format: CertificateFileFormat;
  password: string;
  pkcs12: () => Pkcs12Module;
  /**
   * Asks the vault for this version's PEM form (its value must be masked on arrival); undefined
   * or a rejection when it cannot give one.
   */
  readPemForm?: (name: string, version: string) => Promise<string>;
}

/** The certificate-backed secrets among `secrets`, converted; in the order given. */
export async function prepareCertificates(
  secrets: CertificateSecret[],
  options: PrepareOptions,
): Promise<PreparedCertificate[]> {
  const certificates = secrets.flatMap((secret) => {
    const stored = storedCertificateFormat(secret.contentType);
    return stored ? [{ secret, stored }] : [];
  });
  return Promise.all(
    certificates.map(async ({ secret, stored }): Promise<PreparedCertificate> => {
      let value = secret.value;
      if (stored === 'pfx' && secret.managed && secret.version && options.readPemForm) {
        // The service's PEM form when it gives one; the stored PFX otherwise.
        value = await options.readPemForm(secret.name, secret.version).catch(() => secret.value);
      }
      try {
        const converted = await convertCertificate(value, stored, options.format, options);
        return { key: secret.key, name: secret.name, converted };
      } catch (error) {
        if (isCertificateContentError(error))
          return { key: secret.key, name: secret.name, reason: error.reason };
        throw error;
      }
    }),
  );
}
