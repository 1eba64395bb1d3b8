import { loadPkcs12 } from '../certificates/loadPkcs12';
import {
  certificateSecretOf,
  prepareCertificates,
  type PreparedCertificate,
} from '../certificates/prepareCertificates';
import type { TaskConfig } from '../config/taskConfig';
import { fetchRequestFor } from '../plan/fetchRequest';
import { fetchSecrets, type FetchOutcome } from '../vault/fetchSecrets';
import { propertiesSourceOf } from '../vault/propertiesSource';
import { pemFormReader } from '../vault/readPemForm';
import { secretSourceOf } from '../vault/secretSource';
import type { VaultSession } from './connect';

export interface VaultReading {
  fetched: FetchOutcome;
  /** Certificates converted to the asked format (none unless CertificateFormat asks for files). */
  prepared: PreparedCertificate[];
}

/**
 * Every request the run makes: the selected secrets (a dry run reads version lists instead of
 * values: nothing to mask, nothing to convert) and, for certificate files, Key Vault's PEM form.
 * The run's connections are closed when it is done, whatever happened.
 */
export async function readVault(
  session: VaultSession,
  config: TaskConfig,
  now: Date,
  mask: (value: string) => void,
): Promise<VaultReading> {
  const { client, deadline, pipeline } = session;
  try {
    const fetched = await fetchSecrets(
      config.dryRun ? propertiesSourceOf(client) : secretSourceOf(client),
      fetchRequestFor(config.selection, config.tags, now),
      {
        concurrency: config.concurrency,
        onValue: config.dryRun ? (): void => undefined : mask,
        signal: deadline.signal,
      },
    );
    const { format, password } = config.certificates;
    const prepared =
      format === 'asSecretValue' || config.dryRun
        ? []
        : await prepareCertificates(fetched.secrets.map(certificateSecretOf), {
            format,
            password,
            pkcs12: loadPkcs12,
            readPemForm: pemFormReader(client, { signal: deadline.signal, onValue: mask }),
          });
    return { fetched, prepared };
  } finally {
    deadline.dispose();
    pipeline.dispose();
  }
}
