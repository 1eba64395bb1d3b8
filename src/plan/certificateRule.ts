/**
 * The planner's certificate rule: with CertificateFormat pfx or pem, a selected secret whose
 * content type marks a certificate becomes a file to write, and its variable holds the file's
 * path (not secret), with two more variables for its thumbprint and expiry. Pure: the conversion
 * was done before planning (certificates/prepareCertificates.ts); this only decides.
 */
import path from 'node:path';
import {
  CONTENT_TYPES,
  storedCertificateFormat,
  type CertificateFileFormat,
  type CertificateFormat,
} from '../certificates/certificateFormat';
import type { PreparedCertificate } from '../certificates/prepareCertificates';
import { quote } from '../report/safeText';
import type { FetchedSecret } from '../vault/fetchSecrets';
import { FileContent } from './fileContent';
import type { PlannedFile } from './plan';
import type { NamingOptions } from './variableNames';

export interface CertificatePlanning {
  format: CertificateFormat;
  /** The new directory files go in (under Agent.TempDirectory); undefined when there is none. */
  directory: string | undefined;
  /** Certificates expiring within this many days get a warning; 0 turns the warning off. */
  expiryWarningDays: number;
  /** The conversions, by read key. */
  prepared: ReadonlyMap<string, PreparedCertificate>;
}

export const NO_CERTIFICATE_FILES: CertificatePlanning = {
  format: 'asSecretValue',
  directory: undefined,
  expiryWarningDays: 30,
  prepared: new Map(),
};

export type CertificateDecision =
  | { kind: 'value' }
  | { kind: 'error'; message: string }
  | {
      kind: 'file';
      file: PlannedFile;
      thumbprint: string;
      /** ISO 8601, UTC. */
      notAfter: string;
      masks: string[];
      warning: string | undefined;
    };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The names of the two extra variables, following VariableNameFormat: `<name>.thumbprint` and
 * `<name>.notAfter`, or `<NAME>_THUMBPRINT` and `<NAME>_NOT_AFTER` with upperSnake.
 */
export function certificateVariableNames(
  name: string,
  naming: NamingOptions,
): { thumbprint: string; notAfter: string } {
  return naming.format === 'upperSnake'
    ? { thumbprint: `${name}_THUMBPRINT`, notAfter: `${name}_NOT_AFTER` }
    : { thumbprint: `${name}.thumbprint`, notAfter: `${name}.notAfter` };
}

/** File names come from secret names ([0-9A-Za-z-], unique in a vault), plus the version read. */
function fileName(secret: FetchedSecret, format: CertificateFileFormat): string {
  const version = secret.read.version === undefined ? '' : `-${secret.read.version.toLowerCase()}`;
  return `${secret.properties.name}${version}.${format}`;
}

export function planCertificate(
  secret: FetchedSecret,
  key: string,
  planning: CertificatePlanning,
  vault: string,
  now: Date,
): CertificateDecision {
  const stored = storedCertificateFormat(secret.properties.contentType);
  if (planning.format === 'asSecretValue' || stored === undefined) return { kind: 'value' };
  const format = planning.format;
  const name = quote(secret.properties.name);
  if (planning.directory === undefined) {
    return {
      kind: 'error',
      message: `Secret ${name} in ${vault} holds a certificate to write as a ${format.toUpperCase()} file, but Agent.TempDirectory is not set. Run the task on an Azure Pipelines agent, or set CertificateFormat to asSecretValue.`,
    };
  }
  const prepared = planning.prepared.get(key);
  if (prepared === undefined || 'reason' in prepared) {
    const reason = prepared?.reason ?? 'it was not converted';
    return {
      kind: 'error',
      message: `Secret ${name} in ${vault} is marked as a certificate (content type ${CONTENT_TYPES[stored]}) but cannot be written as a ${format.toUpperCase()} file: ${reason}. Import the certificate into the vault again (az keyvault certificate import), or set CertificateFormat to asSecretValue to get the value as it is.`,
    };
  }
  const { converted } = prepared;
  const notAfter = converted.facts.notAfter;
  const daysLeft = (notAfter.getTime() - now.getTime()) / DAY_MS;
  const warning =
    planning.expiryWarningDays > 0 && daysLeft <= planning.expiryWarningDays
      ? daysLeft <= 0
        ? `The certificate in secret ${name} in ${vault} expired on ${notAfter.toISOString()}; its file was written anyway. Renew the certificate in the vault.`
        : `The certificate in secret ${name} in ${vault} expires on ${notAfter.toISOString()}, in ${Math.ceil(daysLeft)} day${Math.ceil(daysLeft) === 1 ? '' : 's'}. Renew it in the vault before then.`
      : undefined;
  return {
    kind: 'file',
    file: {
      path: path.join(planning.directory, fileName(secret, format)),
      content: new FileContent(converted.content),
      format,
      secretName: secret.properties.name,
      version: secret.properties.version,
    },
    thumbprint: converted.facts.thumbprint,
    notAfter: notAfter.toISOString(),
    masks: converted.masks,
    warning,
  };
}
