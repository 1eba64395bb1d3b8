import { strict as assert } from 'node:assert';
import { parseSecretsFilter, type SecretSelection } from '../../src/config/secretsFilter';
import { classifyProblem } from '../../src/errors/classifyProblem';
import type { ErrorFacts } from '../../src/errors/errorFacts';
import { buildPlan, type PlanRequest } from '../../src/plan/buildPlan';
import { AS_IS } from '../../src/plan/variableNames';
import { dryRunNotes } from '../../src/report/dryRunReport';
import type { FetchedSecret, FetchOutcome } from '../../src/vault/fetchSecrets';
import type { ReadFacts } from '../../src/vault/readFacts';
import type { SecretProperties } from '../../src/vault/secretSource';

const NOW = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number): Date => new Date(NOW.getTime() + days * DAY);

function selection(filter: string): SecretSelection {
  const parsed = parseSecretsFilter(filter);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.join('\n'));
  return parsed.selection;
}

function request(filter: string, extra: Partial<PlanRequest> = {}): PlanRequest {
  return {
    vaultName: 'contoso-kv',
    selection: selection(filter),
    naming: AS_IS,
    tags: [],
    outputVariables: false,
    expiredSecrets: 'warn',
    expiryWarningDays: 30,
    rotationWarningDays: 0,
    dryRun: false,
    ...extra,
  };
}

function props(name: string, extra: Partial<SecretProperties> = {}): SecretProperties {
  return {
    name,
    version: `${name
      .replace(/[^a-f0-9]/g, '')
      .padEnd(32, '0')
      .slice(0, 32)}`,
    enabled: true,
    notBefore: undefined,
    expiresOn: undefined,
    createdOn: at(-10),
    updatedOn: at(-5),
    tags: {},
    contentType: undefined,
    managed: false,
    kid: undefined,
    ...extra,
  };
}

const answer = (n: number): ReadFacts => ({
  requestId: `request-${n}`,
  clientRequestId: `client-${n}`,
  rbacAssignmentId: 'assignment',
  networkInfo: 'conn_type=Ipv4;addr=203.0.113.7;act_addr_fam=InterNetwork;',
});

function read(properties: SecretProperties, n: number, value = `value-${n}`): FetchedSecret {
  return {
    read: { name: properties.name, version: undefined },
    value,
    properties,
    answer: answer(n),
  };
}

function keyVaultFacts(status: number, code: string, innerCode?: string): ErrorFacts {
  return {
    name: 'RestError',
    message: '',
    status,
    code,
    innerCode,
    fromKeyVault: true,
    serviceMessage: undefined,
    requestId: 'request-99',
    host: 'contoso-kv.vault.azure.net',
    answer: answer(99),
  };
}

function outcome(parts: Partial<FetchOutcome>): FetchOutcome {
  return { secrets: [], failures: [], listed: undefined, problems: [], ...parts };
}

describe('plan: summary rows and validity warnings', () => {
  it('gives every read a row with its variables, properties, flags and Key Vault’s answer', () => {
    const api = props('api-key', { expiresOn: at(10.5), contentType: 'text/plain' });
    const db = props('db-password', { createdOn: at(-400) });
    const plan = buildPlan(
      request('api-key,db-password', { rotationWarningDays: 365 }),
      outcome({ secrets: [read(api, 1), read(db, 2)] }),
      NOW,
    );
    assert.deepEqual(plan.rows, [
      {
        secretName: 'api-key',
        variables: ['api-key'],
        version: api.version,
        contentType: 'text/plain',
        updatedOn: at(-5),
        expiresOn: at(10.5),
        status: { kind: 'set' },
        flags: [{ kind: 'expiring', daysLeft: 10 }],
        read: answer(1),
      },
      {
        secretName: 'db-password',
        variables: ['db-password'],
        version: db.version,
        contentType: undefined,
        updatedOn: at(-5),
        expiresOn: undefined,
        status: { kind: 'set' },
        flags: [{ kind: 'rotationDue', ageDays: 400 }],
        read: answer(2),
      },
    ]);
    assert.deepEqual(plan.warnings, [
      "Secret 'api-key' in vault 'contoso-kv' expires on 2026-12-12 00:00 UTC (in 10 days; ExpiryWarningDays is 30). Set a new version before then (az keyvault secret set --vault-name contoso-kv --name api-key --expires <date> …), or move its expiry (az keyvault secret set-attributes --vault-name contoso-kv --name api-key --expires <date>).",
      "Secret 'db-password' in vault 'contoso-kv' has had the same value for 400 days: its current version was created on 2025-10-27 12:00 UTC (RotationWarningDays is 365). Rotate it: change the credential at its source, then set the new value as a new version (az keyvault secret set --vault-name contoso-kv --name db-password …).",
    ]);
  });

  it('with *: rows for what the listing selected and skipped, not for the rest', () => {
    const alpha = props('alpha');
    const off = props('off', { enabled: false, version: undefined });
    const old = props('old', { expiresOn: at(-1), version: undefined });
    const plan = buildPlan(
      request('*'),
      outcome({ secrets: [read(alpha, 1)], listed: [alpha, off, old] }),
      NOW,
    );
    assert.deepEqual(
      plan.rows.map((r) => [r.secretName, r.status, r.flags, r.read?.requestId]),
      [
        ['alpha', { kind: 'set' }, [], 'request-1'],
        ['off', { kind: 'skipped', reason: 'disabled' }, [], undefined],
        ['old', { kind: 'skipped', reason: 'expired' }, [{ kind: 'expired' }], undefined],
      ],
    );
    assert.deepEqual(plan.warnings, []);
  });

  it('in a failed run: failed reads say why, the others were read but not set, and no warning is given', () => {
    const api = props('api-key', { expiresOn: at(3) });
    const missing = classifyProblem(keyVaultFacts(404, 'SecretNotFound'), 'gone');
    const denied = classifyProblem(keyVaultFacts(403, 'Forbidden', 'ForbiddenByRbac'), 'locked');
    const plan = buildPlan(
      request('api-key,gone,locked'),
      outcome({
        secrets: [read(api, 1)],
        failures: [
          { read: { name: 'gone', version: undefined }, problem: missing },
          { read: { name: 'locked', version: undefined }, problem: denied },
        ],
      }),
      NOW,
    );
    assert.deepEqual(
      plan.rows.map((r) => [r.secretName, r.variables, r.status, r.read?.requestId]),
      [
        ['api-key', ['api-key'], { kind: 'notSet' }, 'request-1'],
        ['gone', [], { kind: 'failed', reason: 'not found' }, 'request-99'],
        ['locked', [], { kind: 'failed', reason: 'denied by Azure RBAC' }, 'request-99'],
      ],
    );
    assert.deepEqual(plan.warnings, []);
  });

  it('names what a vault-wide problem kept from being read', () => {
    const signIn = classifyProblem(
      { ...keyVaultFacts(401, 'Unauthorized'), answer: undefined },
      undefined,
    );
    const plan = buildPlan(request('a,b'), outcome({ problems: [signIn] }), NOW);
    assert.deepEqual(
      plan.rows.map((r) => [r.secretName, r.status]),
      [
        ['a', { kind: 'failed', reason: 'not read: access token rejected (401)' }],
        ['b', { kind: 'failed', reason: 'not read: access token rejected (401)' }],
      ],
    );
  });

  it('in a dry run: a JSON field is named without looking into the value, and nothing is masked', () => {
    const db = props('db-config');
    const plan = buildPlan(
      request('DB_USER=db-config.user', { dryRun: true }),
      outcome({ secrets: [read(db, 1, '')] }),
      NOW,
    );
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(plan.masks, []);
    assert.deepEqual(
      plan.variables.map((v) => [v.name, v.source.field]),
      [['DB_USER', 'user']],
    );
    assert.deepEqual(plan.rows[0]?.status, { kind: 'wouldSet' });
    assert.deepEqual(plan.rows[0]?.variables, ['DB_USER']);
    // A real run looks into the value: an empty one holds no field.
    const real = buildPlan(
      request('DB_USER=db-config.user'),
      outcome({ secrets: [read(db, 1, '')] }),
      NOW,
    );
    assert.equal(real.errors.length, 1);
  });

  it('says a dry run cannot check JSON fields when SecretsFilter names one', () => {
    const notes = dryRunNotes(selection('DB_USER=db-config.user,app-*'), 'contoso-kv');
    assert.deepEqual(notes, [
      'The service connection signed in, and Key Vault accepted its access token.',
      "The identity may list the secrets of vault 'contoso-kv' (the List permission), and the listing selected the secrets below.",
      "Each named secret (and version) exists and is enabled: read from the secret's version list (GET /secrets/{name}/versions), which needs the List permission too, where a real run of named secrets needs only Get.",
      'Not verified: that the identity may read the values (the Get permission; with Azure RBAC the data action Microsoft.KeyVault/vaults/secrets/getSecret/action, which "Key Vault Secrets User" includes). Key Vault checks it only on a read, and a read returns the value, so a dry run cannot prove it.',
      'Not verified: that the values hold the JSON fields SecretsFilter names; the variables taken from them are named here but not extracted.',
    ]);
  });

  it('gives no expiry warning or flag with ExpiryWarningDays 0', () => {
    const api = props('api-key', { expiresOn: at(2) });
    const plan = buildPlan(
      request('api-key', { expiryWarningDays: 0 }),
      outcome({ secrets: [read(api, 1)] }),
      NOW,
    );
    assert.deepEqual(plan.warnings, []);
    assert.deepEqual(plan.rows[0]?.flags, []);
  });
});
