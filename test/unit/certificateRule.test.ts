import { strict as assert } from 'node:assert';
import path from 'node:path';
import { inspect } from 'node:util';
import { loadPkcs12 } from '../../src/certificates/loadPkcs12';
import {
  certificateSecretOf,
  prepareCertificates,
  type PreparedCertificate,
} from '../../src/certificates/prepareCertificates';
import type { ExactEntry } from '../../src/config/secretsFilter';
import { buildPlan, type PlanRequest } from '../../src/plan/buildPlan';
import { planFails } from '../../src/plan/plan';
import { AS_IS } from '../../src/plan/variableNames';
import type { FetchedSecret, FetchOutcome } from '../../src/vault/fetchSecrets';
import { createVaultCertificate, type VaultCertificate } from '../emulator/vaultCertificates';
import { secretProperties } from '../support/secretProperties';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const DIR = path.join(path.sep, 'agent', '_temp', 'keyvault-secrets-00112233');
const VERSION = '0123456789abcdef0123456789abcdef';

const exact = (text: string, variable?: string, version?: string): ExactEntry => ({
  kind: 'exact',
  text,
  secretName: text,
  version,
  field: undefined,
  variable,
  optional: false,
});

function fetchedOf(
  name: string,
  value: string,
  contentType?: string,
  version?: string,
): FetchedSecret {
  const properties = secretProperties(name, {
    version: version ?? VERSION,
    contentType,
    managed: contentType !== undefined,
  });
  return { read: { name, version }, value, properties, answer: undefined };
}

const outcome = (secrets: FetchedSecret[]): FetchOutcome => ({
  secrets,
  failures: [],
  listed: undefined,
  problems: [],
});

async function prepare(
  secrets: FetchedSecret[],
  format: 'pfx' | 'pem',
): Promise<Map<string, PreparedCertificate>> {
  const prepared = await prepareCertificates(secrets.map(certificateSecretOf), {
    format,
    password: '',
    pkcs12: loadPkcs12,
  });
  return new Map(prepared.map((p) => [p.key, p]));
}

function request(
  entries: ExactEntry[],
  certificates: PlanRequest['certificates'],
  naming = AS_IS,
): PlanRequest {
  return {
    vaultName: 'contoso-kv',
    selection: { exact: entries, patterns: [] },
    naming,
    tags: [],
    outputVariables: false,
    expiredSecrets: 'warn',
    certificates,
    expiryWarningDays: 0,
    rotationWarningDays: 0,
    dryRun: false,
  };
}

/** Converts the certificates among `secrets` and plans `entries` over them, files into DIR. */
async function planFor(
  entries: ExactEntry[],
  secrets: FetchedSecret[],
  format: 'pfx' | 'pem',
): Promise<ReturnType<typeof buildPlan>> {
  const prepared = await prepare(secrets, format);
  return buildPlan(
    request(entries, { format, directory: DIR, expiryWarningDays: 30, prepared }),
    outcome(secrets),
    NOW,
  );
}

describe('plan: the certificate rule', () => {
  let cert: VaultCertificate;
  let expiring: VaultCertificate;
  before(async () => {
    [cert, expiring] = await Promise.all([
      createVaultCertificate({ now: NOW }),
      createVaultCertificate({ now: NOW, notAfter: new Date('2026-12-15T12:00:00.000Z') }),
    ]);
  });

  it('plans a file, its path, thumbprint and expiry as plain variables, and its masks', async () => {
    const secrets = [
      fetchedOf('signing', cert.pfxBase64, 'application/x-pkcs12'),
      fetchedOf('db-password', 'p@ss'),
    ];
    const prepared = await prepare(secrets, 'pem');
    const plan = buildPlan(
      request([exact('signing'), exact('db-password')], {
        format: 'pem',
        directory: DIR,
        expiryWarningDays: 30,
        prepared,
      }),
      outcome(secrets),
      NOW,
    );
    const file = path.join(DIR, 'signing.pem');
    assert.deepEqual(
      plan.variables.map((v) => [v.name, v.value, v.secret]),
      [
        ['signing', file, false],
        ['signing.thumbprint', cert.thumbprint, false],
        ['signing.notAfter', cert.notAfter.toISOString(), false],
        ['db-password', 'p@ss', true],
      ],
    );
    assert.equal(plan.fileDirectory, DIR);
    assert.deepEqual(
      plan.files.map((f) => ({ ...f, content: f.content.bytes().toString('utf8') })),
      [{ path: file, content: cert.pem, format: 'pem', secretName: 'signing', version: VERSION }],
    );
    // A plan printed (a dry run, a failing assertion) never shows the key but in its masks.
    assert.equal(
      JSON.stringify({ ...plan, masks: [] }).includes(cert.pem.split('\n')[1] ?? '?'),
      false,
    );
    assert.match(JSON.stringify(plan.files[0]), /"content":"\[\d+ bytes, not shown\]"/);
    assert.match(inspect(plan), /\[\d+ bytes, not shown\]/);
    const keyLines = cert.pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    assert.deepEqual(plan.masks, [...new Set(keyLines)]);
    assert.deepEqual(plan.warnings, []);
    assert.equal(planFails(plan), false);
  });

  it('names the extra variables after VariableNameFormat, and one file serves two names', async () => {
    const secrets = [fetchedOf('tls-cert', cert.pem, 'application/x-pem-file')];
    const prepared = await prepare(secrets, 'pfx');
    const plan = buildPlan(
      request(
        [exact('tls-cert'), exact('tls-cert', 'OTHER')],
        { format: 'pfx', directory: DIR, expiryWarningDays: 30, prepared },
        { prefix: 'KV_', format: 'upperSnake' },
      ),
      outcome(secrets),
      NOW,
    );
    assert.deepEqual(
      plan.variables.map((v) => v.name),
      [
        'KV_TLS_CERT',
        'KV_TLS_CERT_THUMBPRINT',
        'KV_TLS_CERT_NOT_AFTER',
        'OTHER',
        'OTHER_THUMBPRINT',
        'OTHER_NOT_AFTER',
      ],
    );
    assert.deepEqual(
      plan.files.map((f) => f.path),
      [path.join(DIR, 'tls-cert.pfx')],
    );
    assert.deepEqual(plan.errors, []);
  });

  it('keeps the version in the file name when the entry names one', async () => {
    const plan = await planFor(
      [exact('c', undefined, VERSION)],
      [fetchedOf('c', cert.pem, 'application/x-pem-file', VERSION)],
      'pem',
    );
    assert.deepEqual(
      plan.files.map((f) => f.path),
      [path.join(DIR, `c-${VERSION}.pem`)],
    );
  });

  it('sets the value as it is with asSecretValue', () => {
    const secrets = [fetchedOf('signing', cert.pfxBase64, 'application/x-pkcs12')];
    const plan = buildPlan(request([exact('signing')], undefined), outcome(secrets), NOW);
    assert.deepEqual(
      plan.variables.map((v) => [v.name, v.value, v.secret]),
      [['signing', cert.pfxBase64, true]],
    );
    assert.deepEqual(plan.files, []);
    assert.equal(plan.fileDirectory, undefined);
  });

  it('fails naming the secret and the reason; plans no file and no variable for it', async () => {
    const secrets = [
      fetchedOf('broken', 'AAAA', 'application/x-pkcs12'),
      fetchedOf('fine', cert.pem, 'application/x-pem-file'),
    ];
    const plan = await planFor([exact('broken'), exact('fine')], secrets, 'pem');
    assert.deepEqual(plan.errors, [
      "Secret 'broken' in vault 'contoso-kv' is marked as a certificate (content type application/x-pkcs12) but cannot be written as a PEM file: it is not a PFX (PKCS#12) file. Import the certificate into the vault again (az keyvault certificate import), or set CertificateFormat to asSecretValue to get the value as it is.",
    ]);
    assert.equal(planFails(plan), true);
    assert.equal(
      plan.variables.some((v) => v.source.secretName === 'broken'),
      false,
    );
  });

  it('fails when there is no Agent.TempDirectory to write to', async () => {
    const secrets = [fetchedOf('c', cert.pem, 'application/x-pem-file')];
    const plan = buildPlan(
      request([exact('c')], {
        format: 'pfx',
        directory: undefined,
        expiryWarningDays: 30,
        prepared: await prepare(secrets, 'pfx'),
      }),
      outcome(secrets),
      NOW,
    );
    assert.deepEqual(plan.errors, [
      "Secret 'c' in vault 'contoso-kv' holds a certificate to write as a PFX file, but Agent.TempDirectory is not set. Run the task on an Azure Pipelines agent, or set CertificateFormat to asSecretValue.",
    ]);
  });

  it('warns about a certificate expiring within the window, or expired; 0 turns it off', async () => {
    const secrets = [fetchedOf('soon', expiring.pem, 'application/x-pem-file')];
    const prepared = await prepare(secrets, 'pem');
    const planAt = (now: Date, days: number): string[] =>
      buildPlan(
        request([exact('soon')], {
          format: 'pem',
          directory: DIR,
          expiryWarningDays: days,
          prepared,
        }),
        outcome(secrets),
        now,
      ).warnings;
    assert.deepEqual(planAt(NOW, 30), [
      "The certificate in secret 'soon' in vault 'contoso-kv' expires on 2026-12-15T12:00:00.000Z, in 14 days. Renew it in the vault before then.",
    ]);
    assert.deepEqual(planAt(NOW, 13), []);
    assert.deepEqual(planAt(NOW, 0), []);
    assert.deepEqual(planAt(new Date('2026-12-20T00:00:00.000Z'), 30), [
      "The certificate in secret 'soon' in vault 'contoso-kv' expired on 2026-12-15T12:00:00.000Z; its file was written anyway. Renew the certificate in the vault.",
    ]);
  });
});
