import { strict as assert } from 'node:assert';
import { findLeaks, type HarnessRun } from '../harness';
import { startScenario, variablesOf, type Scenario } from './scenario';

const NOW_S = Math.floor(Date.now() / 1000);
const DB_CONFIG =
  '{"user":"svc","password":"p@ss-w0rd","port":5432,"tls":{"ca":"line-1\\nline-2"}}';

/** Every vault request after sign-in, as `kind path`. */
function vaultRequests(s: Scenario): string[] {
  return s.azure.requests
    .filter((r) => r.kind.startsWith('kv.') && r.kind !== 'kv.challenge')
    .map((r) => `${r.kind} ${r.path}`);
}

/** The values registered with the masker before the first variable was set. */
function maskedBeforeVariables(run: HarnessRun): string[] {
  const first = run.commands.findIndex((c) => c.event === 'setvariable');
  return run.commands
    .slice(0, first)
    .filter((c) => c.event === 'setsecret')
    .map((c) => c.data);
}

const warnings = (run: HarnessRun): string[] =>
  run.issues.filter((i) => i.type === 'warning').map((i) => i.message);
const errors = (run: HarnessRun): string[] =>
  run.issues.filter((i) => i.type === 'error').map((i) => i.message);

describe('end to end: choosing, naming and shaping secrets', function () {
  this.timeout(60_000);
  let s: Scenario;
  beforeEach(async () => {
    s = await startScenario({ pageSize: 2 });
  });
  afterEach(() => s.close());

  it('exact entries never list, and a secret used by several entries is read once', async () => {
    s.vault.setSecret('db-config', DB_CONFIG);
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({
      inputs: {
        SecretsFilter: [
          '# the database',
          'db-config.user, DB_PASS=db-config.password',
          'db-config.port   # a number',
          'db-config.tls, db-config',
          'PASSWORD=db-password',
        ].join('\n'),
      },
    });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(run.commandErrors, []);
    assert.deepEqual(variablesOf(run), {
      'db-config.user': { value: 'svc', secret: true },
      DB_PASS: { value: 'p@ss-w0rd', secret: true },
      'db-config.port': { value: '5432', secret: true },
      'db-config.tls': { value: '{"ca":"line-1\\nline-2"}', secret: true },
      'db-config': { value: DB_CONFIG, secret: true },
      PASSWORD: { value: 'Sup3r$ecret!', secret: true },
    });
    assert.deepEqual(vaultRequests(s), [
      'kv.get /secrets/db-config/',
      'kv.get /secrets/db-password/',
    ]);
    // Each extracted value is masked before any variable is set.
    const masked = maskedBeforeVariables(run);
    for (const value of ['svc', 'p@ss-w0rd', '5432', '{"ca":"line-1\\nline-2"}', DB_CONFIG])
      assert.ok(masked.includes(value), `not masked first: ${value.length} chars`);
    assert.deepEqual(findLeaks(run, ['p@ss-w0rd', '{"ca":"line-1\\nline-2"}']), []);
  });

  it("AzureKeyVault@2's name/<version> fetches that version into the variable", async () => {
    const old = s.vault.setSecret('rotated', 'old value');
    s.vault.setSecret('rotated', 'new value');
    const run = await s.run({ inputs: { SecretsFilter: `rotated/${old}, CURRENT=rotated` } });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {
      rotated: { value: 'old value', secret: true },
      CURRENT: { value: 'new value', secret: true },
    });
    assert.deepEqual(vaultRequests(s), [
      `kv.getVersion /secrets/rotated/${old}`,
      'kv.get /secrets/rotated/',
    ]);
  });

  it('an optional entry that is missing or disabled is a warning; the rest is set', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.setSecret('off', { value: 'off value', enabled: false });
    const run = await s.run({ inputs: { SecretsFilter: 'api-key?, off?, db-password' } });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), { 'db-password': { value: 'Sup3r$ecret!', secret: true } });
    assert.deepEqual(warnings(run), [
      "Optional secret 'api-key?' was not found in vault 'contoso-kv'; no variable was set for it.",
      "Optional secret 'off?' in vault 'contoso-kv' is disabled; no variable was set for it.",
    ]);
    assert.equal(vaultRequests(s).filter((r) => r.startsWith('kv.list')).length, 0);
  });

  it('patterns list once, match case-insensitively, exclude, and skip what cannot be used', async () => {
    for (const name of ['app-one', 'App-Two', 'app-legacy-a', 'api-prod', 'other'])
      s.vault.setSecret(name, `${name} value`);
    s.vault.setSecret('app-off', { value: 'off value', enabled: false });
    s.vault.setSecret('app-old', { value: 'old value', exp: NOW_S - 60 });
    s.vault.setSecret('app-later', { value: 'later value', nbf: NOW_S + 3600 });
    const run = await s.run({ inputs: { SecretsFilter: 'APP-*\n!app-legacy-*\n*-prod' } });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {
      'api-prod': { value: 'api-prod value', secret: true },
      'app-one': { value: 'app-one value', secret: true },
      'App-Two': { value: 'App-Two value', secret: true },
    });
    const requests = vaultRequests(s);
    assert.equal(requests.filter((r) => r.startsWith('kv.list')).length, 5); // 9 secrets, pages of 2
    assert.deepEqual(requests.filter((r) => r.startsWith('kv.get')).sort(), [
      'kv.get /secrets/App-Two/',
      'kv.get /secrets/api-prod/',
      'kv.get /secrets/app-one/',
    ]);
    for (const line of [
      "Skipped secret 'app-later': not yet valid.",
      "Skipped secret 'app-off': disabled.",
      "Skipped secret 'app-old': expired.",
    ])
      assert.ok(run.log.includes(line), `log lacks: ${line}`);
  });

  it('exact entries and patterns together: one listing, each secret read once', async () => {
    s.vault.setSecret('app-one', 'first-value');
    s.vault.setSecret('app-two', 'second-value');
    const run = await s.run({ inputs: { SecretsFilter: 'app-one, ONE=app-one, *' } });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {
      'app-one': { value: 'first-value', secret: true },
      ONE: { value: 'first-value', secret: true },
      'app-two': { value: 'second-value', secret: true },
    });
    // One listing (two pages of two), and app-one, which the exact entries read, not again.
    assert.deepEqual(vaultRequests(s), [
      'kv.get /secrets/app-one/',
      'kv.list /secrets',
      'kv.get /secrets/app-two/',
      'kv.list /secrets',
    ]);
  });

  it('VariablePrefix and upperSnake name derived variables; NAME= stays as written', async () => {
    s.vault.setSecret('db-password', 'pw-value');
    s.vault.setSecret('db-config', DB_CONFIG);
    s.vault.setSecret('appKey', 'app-key-value');
    const run = await s.run({
      inputs: {
        SecretsFilter: 'db-password, db-config.password, Mine=db-config.user, app*',
        VariablePrefix: 'KV_',
        VariableNameFormat: 'upperSnake',
      },
    });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {
      KV_DB_PASSWORD: { value: 'pw-value', secret: true },
      KV_DB_CONFIG_PASSWORD: { value: 'p@ss-w0rd', secret: true },
      Mine: { value: 'svc', secret: true },
      KV_APP_KEY: { value: 'app-key-value', secret: true },
    });
  });

  it('TagFilter narrows what patterns select, never exact entries', async () => {
    s.vault.setSecret('app-prod', { value: 'prod value', tags: { env: 'prod', owner: 'x' } });
    s.vault.setSecret('app-dev', { value: 'dev value', tags: { env: 'dev', owner: 'x' } });
    s.vault.setSecret('app-untagged', 'untagged value');
    s.vault.setSecret('named', { value: 'named value', tags: { env: 'dev' } });
    const run = await s.run({
      inputs: { SecretsFilter: 'app-*, named', TagFilter: 'env=prod, OWNER' },
    });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {
      named: { value: 'named value', secret: true },
      'app-prod': { value: 'prod value', secret: true },
    });
    assert.deepEqual(
      vaultRequests(s).filter((r) => r.startsWith('kv.get')),
      ['kv.get /secrets/named/', 'kv.get /secrets/app-prod/'],
    );
  });

  it('OutputVariables: each variable is also the secret output variable <step>.<name>', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.setSecret('pem', 'line one\nline two');
    const run = await s.run({
      stepName: 'secrets',
      inputs: { SecretsFilter: 'db-password, pem', OutputVariables: 'true' },
    });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(run.commandErrors, []);
    assert.deepEqual(
      Object.fromEntries(
        [...run.variables].map(([name, v]) => [name, [v.value, v.secret, v.isOutput, v.readOnly]]),
      ),
      {
        'db-password': ['Sup3r$ecret!', true, false, false],
        'secrets.db-password': ['Sup3r$ecret!', true, true, true],
        pem: ['line one\nline two', true, false, false],
        'secrets.pem': ['line one\nline two', true, true, true],
        SYSTEM_UNSAFEALLOWMULTILINESECRET: ['false', false, false, false],
      },
    );
    assert.ok(
      run.log.includes('Set 2 secret variables: db-password, pem (also as output variables).'),
    );
  });

  it('ExpiredSecrets: warn sets an expired exact entry with a warning; fail sets nothing', async () => {
    s.vault.setSecret('old', { value: 'old value', exp: NOW_S - 60 });
    s.vault.setSecret('fine', 'fine value');
    const expiry = new Date((NOW_S - 60) * 1000).toISOString();
    const warn = await s.run({ inputs: { SecretsFilter: 'old, fine' } });
    assert.equal(warn.result, 'Succeeded');
    assert.deepEqual(Object.keys(variablesOf(warn)), ['old', 'fine']);
    assert.deepEqual(warnings(warn), [
      `Secret 'old' in vault 'contoso-kv' expired on ${expiry}; it was set anyway because SecretsFilter names it.`,
    ]);

    const fail = await s.run({ inputs: { SecretsFilter: 'old, fine', ExpiredSecrets: 'fail' } });
    assert.equal(fail.result, 'Failed');
    assert.deepEqual(variablesOf(fail), {});
    assert.deepEqual(errors(fail), [
      `Secret 'old' in vault 'contoso-kv' expired on ${expiry}, and ExpiredSecrets is 'fail'. Set a new version of the secret, correct its dates, or set ExpiredSecrets to 'warn'.`,
      "Could not set the variables from vault 'contoso-kv'; no variables were set. See the errors above.",
    ]);
  });

  it('a clash a pattern brings is found after listing and sets nothing', async () => {
    s.vault.setSecret('db-key', 'first-value');
    s.vault.setSecret('dbKey', 'second-value');
    const run = await s.run({ inputs: { SecretsFilter: 'db*', VariableNameFormat: 'upperSnake' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(errors(run), [
      "SecretsFilter entries 'db*' (secret 'db-key') and 'db*' (secret 'dbKey') both set the variable 'DB_KEY'. Remove one, or give one another name with NAME=entry.",
      "Could not set the variables from vault 'contoso-kv'; no variables were set. See the errors above.",
    ]);
  });

  it('a JSON field that is not there fails naming the secret and the field, never the value', async () => {
    s.vault.setSecret('db-config', DB_CONFIG);
    s.vault.setSecret('plain', 'not-json-value');
    const run = await s.run({ inputs: { SecretsFilter: 'db-config.nope, plain.x' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(errors(run), [
      "SecretsFilter entry 'db-config.nope' reads field 'nope', but the JSON object in secret 'db-config' in vault 'contoso-kv' has no field 'nope'. Check the field in 'db-config.nope', or name the whole secret instead.",
      "SecretsFilter entry 'plain.x' reads field 'x', but secret 'plain' in vault 'contoso-kv' does not hold JSON. Check the field in 'plain.x', or name the whole secret instead.",
      "Could not set the variables from vault 'contoso-kv'; no variables were set. See the errors above.",
    ]);
  });

  it('malformed entries are all reported at once, before any request', async () => {
    const run = await s.run({
      inputs: { SecretsFilter: 'X=app-*, rotated/latest, ok, OK, System.Debug=ok' },
    });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(s.azure.requests, []);
    assert.deepEqual(
      errors(run).map((e) => e.replace(/ Accepted forms: .*$/, '')),
      [
        "SecretsFilter entry 'X=app-*' is not valid: a pattern selects secrets by name only, so it takes no variable name, version, field or '?'.",
        "SecretsFilter entry 'rotated/latest' names version 'latest', which is not a Key Vault version id: 32 hexadecimal digits, the last part of the secret's identifier.",
        "SecretsFilter entries 'ok' and 'OK' both set the variable 'OK' (as 'ok'; variable names ignore case). Remove one, or give one another name with NAME=entry.",
        "SecretsFilter entry 'System.Debug=ok' would set the variable 'System.Debug', but names starting with 'SYSTEM.' or 'SYSTEM_' belong to the agent. Give it another name with NAME=entry, or set VariablePrefix.",
      ],
    );
  });
});
