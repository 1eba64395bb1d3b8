import { strict as assert } from 'node:assert';
import { parseSecretsFilter } from '../../src/config/secretsFilter';
import { buildPlan, type PlanRequest } from '../../src/plan/buildPlan';
import { fetchRequestFor } from '../../src/plan/fetchRequest';
import type { Plan } from '../../src/plan/plan';
import { fetchSecrets } from '../../src/vault/fetchSecrets';
import type { SecretProperties, SecretSource } from '../../src/vault/secretSource';
import { secretProperties } from '../support/secretProperties';

const NOW = new Date('2026-11-27T12:00:00Z');
const PAST = new Date('2026-01-01T00:00:00Z');
const FUTURE = new Date('2027-01-01T00:00:00Z');
const V_OLD = '00000000000000000000000000000001';
const V_NEW = '00000000000000000000000000000002';

interface Stored {
  value: string;
  version?: string;
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  tags?: Record<string, string>;
}

/** A vault in memory: name → versions (the last one is current). */
type Vault = Record<string, Stored[]>;

function props(name: string, s: Stored): SecretProperties {
  return secretProperties(name, {
    version: s.version ?? V_NEW,
    enabled: s.enabled ?? true,
    notBefore: s.notBefore,
    expiresOn: s.expiresOn,
    createdOn: PAST,
    updatedOn: PAST,
    tags: s.tags ?? {},
  });
}

function sourceOf(vault: Vault, log: string[]): SecretSource {
  const find = (name: string) =>
    Object.entries(vault).find(([n]) => n.toLowerCase() === name.toLowerCase());
  const notFound = (): Error =>
    Object.assign(new Error('SecretNotFound'), {
      name: 'RestError',
      statusCode: 404,
      code: 'SecretNotFound',
      details: { error: { code: 'SecretNotFound' } },
      response: { status: 404, headers: { get: () => 'rid' } },
    });
  return {
    get(name, version) {
      log.push(version ? `get ${name}/${version}` : `get ${name}`);
      const found = find(name);
      const stored = found?.[1].find((s, i, all) =>
        version ? s.version === version : i === all.length - 1,
      );
      if (!found || !stored) return Promise.reject(notFound());
      if (stored.enabled === false) {
        return Promise.reject(
          Object.assign(new Error('disabled'), {
            name: 'RestError',
            statusCode: 403,
            code: 'Forbidden',
            details: { error: { code: 'Forbidden', innererror: { code: 'SecretDisabled' } } },
            response: { status: 403, headers: { get: () => 'rid' } },
          }),
        );
      }
      return Promise.resolve({ value: stored.value, properties: props(found[0], stored) });
    },
    async *listPages() {
      log.push('list');
      await Promise.resolve();
      yield Object.entries(vault).map(([name, versions]) => ({
        ...props(name, versions[versions.length - 1] as Stored),
        version: undefined,
      }));
    },
  };
}

async function planFor(
  filter: string,
  vault: Vault,
  options: Partial<PlanRequest> = {},
): Promise<{ plan: Plan; log: string[] }> {
  const parsed = parseSecretsFilter(filter);
  assert.deepEqual(parsed.errors, []);
  const request: PlanRequest = {
    vaultName: 'kv',
    selection: parsed.selection,
    naming: { prefix: '', format: 'asIs' },
    tags: [],
    outputVariables: false,
    expiredSecrets: 'warn',
    ...options,
  };
  const log: string[] = [];
  const fetched = await fetchSecrets(
    sourceOf(vault, log),
    fetchRequestFor(request.selection, request.tags, NOW),
    { concurrency: 1, onValue: () => undefined },
  );
  return { plan: buildPlan(request, fetched, NOW), log };
}

/** Variables as name → value. */
const values = (plan: Plan): Record<string, string> =>
  Object.fromEntries(plan.variables.map((v) => [v.name, v.value]));

const VAULT: Vault = {
  'db-password': [{ value: 'pw' }],
  'db-config': [{ value: '{"user":"svc","password":"p@ss","port":5432,"nested":{"k":[1, 2]}}' }],
  rotated: [
    { value: 'old', version: V_OLD },
    { value: 'new', version: V_NEW },
  ],
  'app-one': [{ value: '1', tags: { env: 'prod', team: 'a' } }],
  'App-Two': [{ value: '2', tags: { Env: 'dev' } }],
  'app-legacy-x': [{ value: 'legacy' }],
  'app-off': [{ value: 'off', enabled: false }],
  'app-old': [{ value: 'expired', expiresOn: PAST }],
  'app-later': [{ value: 'later', notBefore: FUTURE }],
  'api-prod': [{ value: 'ap' }],
};

describe('buildPlan: the plan each kind of entry produces', () => {
  const table: Array<{ filter: string; vars: Record<string, string>; log: string[] }> = [
    { filter: 'db-password', vars: { 'db-password': 'pw' }, log: ['get db-password'] },
    { filter: 'DB-Password', vars: { 'DB-Password': 'pw' }, log: ['get DB-Password'] },
    { filter: `rotated/${V_OLD}`, vars: { rotated: 'old' }, log: [`get rotated/${V_OLD}`] },
    { filter: 'DB_PASSWORD=db-password', vars: { DB_PASSWORD: 'pw' }, log: ['get db-password'] },
    {
      filter: 'db-config.password',
      vars: { 'db-config.password': 'p@ss' },
      log: ['get db-config'],
    },
    {
      filter: 'db-config.port, db-config.nested, DB_USER=db-config.user, db-config',
      vars: {
        'db-config.port': '5432',
        'db-config.nested': '{"k":[1,2]}',
        DB_USER: 'svc',
        'db-config': '{"user":"svc","password":"p@ss","port":5432,"nested":{"k":[1, 2]}}',
      },
      log: ['get db-config'],
    },
    {
      filter: `OLD=rotated/${V_OLD}, rotated`,
      vars: { OLD: 'old', rotated: 'new' },
      log: [`get rotated/${V_OLD}`, 'get rotated'],
    },
    {
      filter: 'missing?, db-password',
      vars: { 'db-password': 'pw' },
      log: ['get missing', 'get db-password'],
    },
    {
      filter: 'app-*',
      vars: { 'app-one': '1', 'App-Two': '2', 'app-legacy-x': 'legacy' },
      log: ['list', 'get app-one', 'get App-Two', 'get app-legacy-x'],
    },
    {
      filter: 'APP-*, !app-legacy-*',
      vars: { 'app-one': '1', 'App-Two': '2' },
      log: ['list', 'get app-one', 'get App-Two'],
    },
    { filter: '*-prod', vars: { 'api-prod': 'ap' }, log: ['list', 'get api-prod'] },
    {
      filter: 'app-one, app-*, *-one',
      vars: { 'app-one': '1', 'App-Two': '2', 'app-legacy-x': 'legacy' },
      log: ['get app-one', 'list', 'get App-Two', 'get app-legacy-x'],
    },
  ];
  for (const row of table) {
    it(JSON.stringify(row.filter), async () => {
      const { plan, log } = await planFor(row.filter, VAULT);
      assert.deepEqual(plan.errors, []);
      assert.deepEqual(plan.problems, []);
      assert.deepEqual(values(plan), row.vars);
      assert.deepEqual(log, row.log);
      assert.ok(plan.variables.every((v) => v.secret && !v.output));
    });
  }

  it('names skipped secrets of patterns; exact entries are not skipped', async () => {
    const { plan } = await planFor('app-*, app-old', VAULT);
    assert.deepEqual(plan.infos, [
      "Skipped secret 'app-off': disabled.",
      "Skipped secret 'app-later': not yet valid.",
    ]);
    assert.equal(values(plan)['app-old'], 'expired');
    assert.deepEqual(plan.warnings, [
      "Secret 'app-old' in vault 'kv' expired on 2026-01-01T00:00:00.000Z; it was set anyway because SecretsFilter names it.",
    ]);
  });

  it('records the source of every variable and masks every derived value', async () => {
    const { plan } = await planFor('P=db-config.password, db-config.nested', VAULT);
    assert.deepEqual(
      plan.variables.map((v) => v.source),
      [
        {
          entry: 'P=db-config.password',
          secretName: 'db-config',
          version: V_NEW,
          field: 'password',
        },
        { entry: 'db-config.nested', secretName: 'db-config', version: V_NEW, field: 'nested' },
      ],
    );
    assert.deepEqual(plan.masks, ['p@ss', '{"k":[1,2]}']);
  });

  it('masks every line of a multi-line field', async () => {
    const { plan } = await planFor('k.pem', { k: [{ value: '{"pem":"a\\nb\\r\\n\\nc"}' }] });
    assert.deepEqual(values(plan), { 'k.pem': 'a\nb\r\n\nc' });
    assert.deepEqual(plan.masks, ['a', 'b', 'c']);
  });
});

describe('buildPlan: naming, tags, output and policies', () => {
  it('applies prefix and upperSnake to derived names, not to NAME=', async () => {
    const { plan } = await planFor(
      'db-password, db-config.password, Mine=db-config.user, app-o*',
      VAULT,
      {
        naming: { prefix: 'KV_', format: 'upperSnake' },
      },
    );
    assert.deepEqual(values(plan), {
      KV_DB_PASSWORD: 'pw',
      KV_DB_CONFIG_PASSWORD: 'p@ss',
      Mine: 'svc',
      KV_APP_ONE: '1',
    });
  });

  it('filters pattern selections by tags (names ignore case, values exact), not exact entries', async () => {
    const { plan } = await planFor('app-*, db-password', VAULT, {
      tags: [{ key: 'env', value: 'prod' }],
    });
    assert.deepEqual(values(plan), { 'db-password': 'pw', 'app-one': '1' });
    const present = await planFor('app-*', VAULT, { tags: [{ key: 'ENV', value: undefined }] });
    assert.deepEqual(values(present.plan), { 'app-one': '1', 'App-Two': '2' });
  });

  it('warns that TagFilter does nothing without a pattern', async () => {
    const { plan } = await planFor('db-password', VAULT, {
      tags: [{ key: 'a', value: undefined }],
    });
    assert.deepEqual(plan.warnings, [
      'TagFilter is set, but SecretsFilter has no pattern: secrets named exactly are not filtered by tags, so TagFilter changes nothing.',
    ]);
  });

  it('marks every variable as output when asked', async () => {
    const { plan } = await planFor('db-password, app-one', VAULT, { outputVariables: true });
    assert.deepEqual(
      plan.variables.map((v) => [v.name, v.secret, v.output]),
      [
        ['db-password', true, true],
        ['app-one', true, true],
      ],
    );
  });

  it('ExpiredSecrets fail: an expired or not-yet-valid exact entry fails the plan', async () => {
    const { plan } = await planFor('app-old, app-later', VAULT, { expiredSecrets: 'fail' });
    assert.deepEqual(plan.errors, [
      "Secret 'app-old' in vault 'kv' expired on 2026-01-01T00:00:00.000Z, and ExpiredSecrets is 'fail'. Set a new version of the secret, correct its dates, or set ExpiredSecrets to 'warn'.",
      "Secret 'app-later' in vault 'kv' is not valid before 2027-01-01T00:00:00.000Z, and ExpiredSecrets is 'fail'. Set a new version of the secret, correct its dates, or set ExpiredSecrets to 'warn'.",
    ]);
    assert.deepEqual(plan.variables, []);
  });

  it('optional entries: missing or disabled is a warning', async () => {
    const { plan } = await planFor('gone?, app-off?, db-password', VAULT);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.warnings, [
      "Optional secret 'gone?' was not found in vault 'kv'; no variable was set for it.",
      "Optional secret 'app-off?' in vault 'kv' is disabled; no variable was set for it.",
    ]);
    assert.deepEqual(values(plan), { 'db-password': 'pw' });
  });

  it('a read both optional and required fails once', async () => {
    const { plan } = await planFor('gone?, G=gone', VAULT);
    assert.deepEqual(
      plan.problems.map((p) => [p.cause, p.secretName]),
      [['not-found', 'gone']],
    );
    assert.deepEqual(plan.warnings, [
      "Optional secret 'gone?' was not found in vault 'kv'; no variable was set for it.",
    ]);
  });

  it('JSON field failures name the secret and the field, never the value', async () => {
    const vault: Vault = {
      text: [{ value: 'plain-secret-value' }],
      arr: [{ value: '["x"]' }],
      obj: [{ value: '{"a":{"b":"hidden-value"}}' }],
    };
    const { plan } = await planFor('text.f, arr.f, obj.a.c, obj.a.b.c, obj.z', vault);
    assert.deepEqual(plan.errors, [
      "SecretsFilter entry 'text.f' reads field 'f', but secret 'text' in vault 'kv' does not hold JSON. Check the field in 'text.f', or name the whole secret instead.",
      "SecretsFilter entry 'arr.f' reads field 'f', but secret 'arr' in vault 'kv' does not hold a JSON object. Check the field in 'arr.f', or name the whole secret instead.",
      "SecretsFilter entry 'obj.a.c' reads field 'a.c', but the JSON object in secret 'obj' in vault 'kv' has no field 'a.c'. Check the field in 'obj.a.c', or name the whole secret instead.",
      "SecretsFilter entry 'obj.a.b.c' reads field 'a.b.c', but 'a.b' in secret 'obj' in vault 'kv' is not a JSON object. Check the field in 'obj.a.b.c', or name the whole secret instead.",
      "SecretsFilter entry 'obj.z' reads field 'z', but the JSON object in secret 'obj' in vault 'kv' has no field 'z'. Check the field in 'obj.z', or name the whole secret instead.",
    ]);
    assert.ok(!plan.errors.join('\n').includes('value'), 'no value in a message');
  });

  it('a clash involving a pattern is found after listing and sets nothing', async () => {
    const { plan } = await planFor('APP-ONE=db-password, app-*', VAULT);
    assert.deepEqual(plan.errors, [
      "SecretsFilter entries 'APP-ONE=db-password' and 'app-*' (secret 'app-one') both set the variable 'app-one' (as 'APP-ONE'; variable names ignore case). Remove one, or give one another name with NAME=entry.",
    ]);
  });

  it('a clash between two listed secrets that upperSnake makes', async () => {
    const vault: Vault = { 'db-key': [{ value: '1' }], dbKey: [{ value: '2' }] };
    const { plan } = await planFor('*', vault, { naming: { prefix: '', format: 'upperSnake' } });
    assert.deepEqual(plan.errors, [
      "SecretsFilter entries '*' (secret 'db-key') and '*' (secret 'dbKey') both set the variable 'DB_KEY'. Remove one, or give one another name with NAME=entry.",
    ]);
  });

  it('refuses a listed secret whose name the agent reserves', async () => {
    const vault: Vault = { 'system-x': [{ value: '1' }], ok: [{ value: '2' }] };
    const { plan } = await planFor('*', vault, { naming: { prefix: '', format: 'upperSnake' } });
    assert.deepEqual(plan.errors, [
      "SecretsFilter entry '*' (secret 'system-x') would set the variable 'SYSTEM_X', but names starting with 'SYSTEM.' or 'SYSTEM_' belong to the agent. Give it another name with NAME=entry, or set VariablePrefix.",
    ]);
  });
});
