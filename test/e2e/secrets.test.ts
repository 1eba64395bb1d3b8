import { strict as assert } from 'node:assert';
import { findLeaks, type HarnessRun } from '../harness';
import {
  CLIENT_SECRET,
  PREJOB_TARGET,
  startScenario,
  variablesOf,
  type Scenario,
} from './scenario';

const NOW_S = Math.floor(Date.now() / 1000);

/** Values chosen to break naive escaping, masking and command parsing. */
const HOSTILE: Record<string, string> = {
  'semi-colon': 'a;b;c',
  bracket: 'x]y]]',
  percent: '100%AZP25%0A%3B%',
  quotes: `it's "quoted" \\ back\\slash`,
  unicode: 'päss-wörd-密码-🔑',
  json: '{"user":"svc","password":"p@ss","list":[1,2]}',
  command: '##vso[task.setvariable variable=Injected]pwned',
  'leading-space': '  padded value  ',
  tab: 'tab\tinside',
};

const MULTI_LINE: Record<string, string> = {
  pem: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
  crlf: 'first line\r\nsecond line\r\nthird',
};

/** Every value a run must never print, plus the connection's own secret. */
function assertNoLeaks(run: HarnessRun, values: string[]): void {
  assert.deepEqual(findLeaks(run, values), []);
  // The endpoint's secret is masked by the agent from the job's start, so it may be in raw stdout
  // (task-lib debug-prints auth parameters) but never in what the agent shows or keeps.
  assert.deepEqual(findLeaks(run, [CLIENT_SECRET], { places: ['issues', 'log', 'files'] }), []);
}

describe('end to end: secrets become masked variables', function () {
  this.timeout(60_000);
  let s: Scenario;
  beforeEach(async () => {
    s = await startScenario({ pageSize: 2, leadingEmptyPages: 2 });
  });
  afterEach(() => s.close());

  it('sets named secrets as secret variables, byte-exact', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.setSecret('api-key', 'key-0123456789');
    s.vault.setSecret('unused', 'not requested');
    const run = await s.run({ inputs: { SecretsFilter: 'db-password, api-key' } });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(run.commandErrors, []);
    assert.ok(
      run.log.includes(
        'Signed in as application *** (object id c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f) in tenant 72f988bf-86f1-41af-91ab-2d7cd011db47, using service principal with a client secret. Role assignments and access policies must name object id c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f.',
      ),
      run.log.join('\n'),
    );
    assert.deepEqual(variablesOf(run), {
      'db-password': { value: 'Sup3r$ecret!', secret: true },
      'api-key': { value: 'key-0123456789', secret: true },
    });
    assert.deepEqual(
      s.azure.requests.map((r) => `${r.kind} ${r.status} ${r.path}`),
      [
        'kv.challenge 401 /secrets/db-password/',
        `entra.token 200 /${s.connection.parameters.tenantid}/oauth2/v2.0/token`,
        'kv.get 200 /secrets/db-password/',
        'kv.get 200 /secrets/api-key/',
      ],
    );
    assertNoLeaks(run, ['Sup3r$ecret!', 'key-0123456789']);
  });

  it("with '*', reads every page and skips disabled, expired and not-yet-valid secrets", async () => {
    const expected: Record<string, { value: string; secret: boolean }> = {};
    for (let i = 0; i < 7; i += 1) {
      s.vault.setSecret(`app-${i}`, `value-${i}`);
      expected[`app-${i}`] = { value: `value-${i}`, secret: true };
    }
    s.vault.setSecret('still-valid', { value: 'until next year', exp: NOW_S + 86_400 * 365 });
    expected['still-valid'] = { value: 'until next year', secret: true };
    s.vault.setSecret('switched-off', { value: 'disabled value', enabled: false });
    s.vault.setSecret('too-old', { value: 'expired value', exp: NOW_S - 60 });
    s.vault.setSecret('too-early', { value: 'future value', nbf: NOW_S + 3600 });

    const run = await s.run({ inputs: { SecretsFilter: '*' } });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), expected);
    const lists = s.azure.requests.filter((r) => r.kind === 'kv.list');
    assert.equal(lists.length, 2 + Math.ceil(11 / 2));
    assert.deepEqual(
      s.azure.requests
        .filter((r) => r.kind === 'kv.get')
        .map((r) => r.path)
        .sort(),
      Object.keys(expected)
        .map((n) => `/secrets/${n}/`)
        .sort(),
    );
    for (const line of [
      "Skipped secret 'switched-off': disabled.",
      "Skipped secret 'too-old': expired.",
      "Skipped secret 'too-early': not yet valid.",
    ]) {
      assert.ok(run.log.includes(line), `log lacks: ${line}`);
    }
    assertNoLeaks(run, [
      ...Object.values(expected).map((v) => v.value),
      'disabled value',
      'expired value',
      'future value',
    ]);
  });

  it('sets an expired secret that SecretsFilter names, with a warning naming its expiry', async () => {
    const exp = NOW_S - 3600;
    s.vault.setSecret('old-token', { value: 'expired but named', exp });
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({ inputs: { SecretsFilter: 'old-token,db-password' } });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {
      'old-token': { value: 'expired but named', secret: true },
      'db-password': { value: 'Sup3r$ecret!', secret: true },
    });
    assert.deepEqual(
      run.issues.map((i) => [i.type, i.message]),
      [
        [
          'warning',
          `Secret 'old-token' in vault 'contoso-kv' expired on ${new Date(exp * 1000).toISOString()}; it was set anyway because SecretsFilter names it.`,
        ],
      ],
    );
  });

  it('keeps hostile values byte-exact and never lets them run as commands', async () => {
    for (const [name, value] of Object.entries(HOSTILE)) s.vault.setSecret(name, value);
    s.vault.setSecret('empty', '');
    const run = await s.run({
      inputs: { SecretsFilter: [...Object.keys(HOSTILE), 'empty'].join(',') },
    });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(run.commandErrors, []);
    const expected = Object.fromEntries(
      [...Object.entries(HOSTILE), ['empty', '']].map(
        ([n, v]): [string, { value: string; secret: boolean }] => [
          n as string,
          { value: v as string, secret: true },
        ],
      ),
    );
    assert.deepEqual(variablesOf(run), expected);
    assert.equal(run.variables.has('Injected'), false);
    assertNoLeaks(run, Object.values(HOSTILE));
  });

  it('sets multi-line values whole, masks each line, and puts the multi-line guard back', async () => {
    for (const [name, value] of Object.entries(MULTI_LINE)) s.vault.setSecret(name, value);
    const run = await s.run({ inputs: { SecretsFilter: 'pem,crlf' } });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(run.commandErrors, []);
    assert.deepEqual(variablesOf(run), {
      SYSTEM_UNSAFEALLOWMULTILINESECRET: { value: 'false', secret: false },
      pem: { value: MULTI_LINE.pem, secret: true },
      crlf: { value: MULTI_LINE.crlf, secret: true },
    });
    // Every line was registered with the masker before any variable was set.
    const lines = Object.values(MULTI_LINE).flatMap((v) =>
      v.split(/\r\n|\n/).filter((l) => l.trim()),
    );
    const commands = run.commands.map((c) => `${c.area}.${c.event}`);
    const firstVariable = commands.indexOf('task.setvariable');
    const maskedBefore = run.commands
      .slice(0, firstVariable)
      .filter((c) => c.event === 'setsecret')
      .map((c) => c.data);
    for (const line of lines)
      assert.ok(maskedBefore.includes(line), `line not masked first: #${lines.indexOf(line)}`);
    assertNoLeaks(run, Object.values(MULTI_LINE));
  });

  it('fails on missing and disabled secrets, lists them all, and sets no variable', async () => {
    s.vault.setSecret('present', 'present value');
    s.vault.setSecret('off', { value: 'off value', enabled: false });
    const run = await s.run({ inputs: { SecretsFilter: 'present,missing-one,off,missing-two' } });

    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(
      run.issues.filter((i) => i.type === 'error').map((i) => i.message),
      [
        "2 secrets ('missing-one', 'missing-two') not found in vault 'contoso-kv'. Check the names in SecretsFilter (Key Vault names ignore case), or create the secrets. A secret deleted recently can be recovered: az keyvault secret recover --vault-name contoso-kv --name missing-one; az keyvault secret recover --vault-name contoso-kv --name missing-two.",
        "Secret 'off' in vault 'contoso-kv' is disabled. Enable it (az keyvault secret set-attributes --vault-name contoso-kv --name off --enabled true), or remove it from SecretsFilter.",
        "Could not read 3 secrets of 4 from vault 'contoso-kv'; no variables were set. See the errors above.",
      ],
    );
    assertNoLeaks(run, ['present value', 'off value']);
  });

  it('fails with a clear message when the vault cannot be reached', async () => {
    const run = await s.run({ inputs: { KeyVaultName: 'no-such-vault', SecretsFilter: 'a' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.equal(
      run.issues[0]?.message,
      "Could not reach vault 'no-such-vault' at https://no-such-vault.vault.azure.net (a proxy or gateway answered HTTP 502). Check that KeyVaultName is right and that the vault exists in the connection's cloud, and that this agent (and its proxy) can reach the host.",
    );
    assert.equal(s.azure.requests.length, 0);
  });

  it('fails a 403 with the role to assign, naming the identity and the vault', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.revoke(s.connection.parameters.serviceprincipalid ?? '');
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    const message = run.issues[0]?.message ?? '';
    assert.match(
      message,
      /^Service principal \*\*\* \(client secret\) \(object id c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f\) may not read secret 'db-password' in vault 'contoso-kv': Azure RBAC denied it\. Assign the role "Key Vault Secrets User"/,
    );
    assert.match(
      message,
      /az role assignment create --role "Key Vault Secrets User" --assignee c4a1d2e3-f4b5-4c6d-8e7f-9a0b1c2d3e4f --scope "\/subscriptions\/[^"]+\/vaults\/contoso-kv"/,
    );
  });

  it('fails a 401 from Entra (wrong client secret) naming the connection and the fix', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.connection.parameters.serviceprincipalkey = 'wrong-secret-value-123';
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.equal(
      run.issues[0]?.message,
      "The client secret in service connection '5f1c2d3e-4b5a-4968-8776-a1b2c3d4e5f6' is not valid for application *** (AADSTS7000215). It may be the secret's ID instead of its value, or a secret that was deleted. Update the connection with the secret value, or convert it to workload identity federation.",
    );
    assert.deepEqual(
      findLeaks(run, ['wrong-secret-value-123'], { places: ['issues', 'log', 'files'] }),
      [],
    );
  });

  it('refuses bad input before any request and changes nothing', async () => {
    const run = await s.run({
      inputs: { KeyVaultName: 'bad_vault', SecretsFilter: 'ok,not valid,ok' },
    });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(s.azure.requests, []);
    assert.deepEqual(s.azure.tunnels, []);
    assert.deepEqual(
      run.issues.map((i) => i.message),
      [
        "KeyVaultName 'bad_vault' is not a valid key vault name: names have 3 to 24 characters, letters, digits and hyphens, start with a letter, end with a letter or digit, and have no '--'.",
        "SecretsFilter entry 'not valid' is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens. Accepted forms: 'db-password', 'db-password/<version id>', 'DB_PASSWORD=db-password', 'db-config.password' (a JSON field), 'api-key?' (optional), 'app-*' (a pattern), '!app-legacy-*' (an exclusion).",
        "SecretsFilter entries 'ok' and 'ok' both set the variable 'ok'. Remove one, or give one another name with NAME=entry.",
      ],
    );
  });

  describe('RunAsPreJob', () => {
    beforeEach(() => s.vault.setSecret('db-password', 'Sup3r$ecret!'));

    it('true: the pre-job stage reads the secrets and the step does nothing', async () => {
      const pre = await s.run({
        target: PREJOB_TARGET,
        inputs: { SecretsFilter: 'db-password', RunAsPreJob: 'true' },
      });
      assert.equal(pre.result, 'Succeeded');
      assert.deepEqual(variablesOf(pre), {
        'db-password': { value: 'Sup3r$ecret!', secret: true },
      });
      const requestsAfterPreJob = s.azure.requests.length;

      const step = await s.run({ inputs: { SecretsFilter: 'db-password', RunAsPreJob: 'true' } });
      assert.equal(step.result, 'Succeeded');
      assert.deepEqual(variablesOf(step), {});
      assert.equal(s.azure.requests.length, requestsAfterPreJob);
      assert.deepEqual(step.log, [
        'RunAsPreJob is true: the secrets were read before the job started.',
      ]);
    });

    it('false: the pre-job stage does nothing and the step reads the secrets', async () => {
      const pre = await s.run({ target: PREJOB_TARGET, inputs: { SecretsFilter: 'db-password' } });
      assert.equal(pre.result, 'Succeeded');
      assert.deepEqual(variablesOf(pre), {});
      assert.deepEqual(s.azure.requests, []);
      assert.deepEqual(pre.log, [
        'RunAsPreJob is false: the secrets are read when the step itself runs.',
      ]);

      const step = await s.run({ inputs: { SecretsFilter: 'db-password' } });
      assert.deepEqual(variablesOf(step), {
        'db-password': { value: 'Sup3r$ecret!', secret: true },
      });
    });
  });

  it("routes the SDKs' own logging (AZURE_LOG_LEVEL) into debug lines, never to stderr", async () => {
    for (const [name, value] of Object.entries(HOSTILE)) s.vault.setSecret(name, value);
    const run = await s.run({
      inputs: { SecretsFilter: '*' },
      variables: { 'System.Debug': 'true' },
      env: { AZURE_LOG_LEVEL: 'verbose' },
    });
    assert.equal(run.result, 'Succeeded');
    assert.equal(run.stderr, '');
    assert.ok(
      run.log.some((line) => /^##\[debug\]azure:core-rest-pipeline:/.test(line)),
      'the SDK logger writes through the task as debug lines',
    );
    assertNoLeaks(run, Object.values(HOSTILE));
  });

  it('leaks nothing in debug mode (System.Debug=true)', async () => {
    for (const [name, value] of Object.entries({ ...HOSTILE, ...MULTI_LINE }))
      s.vault.setSecret(name, value);
    const run = await s.run({
      inputs: { SecretsFilter: '*' },
      variables: { 'System.Debug': 'true' },
    });
    assert.equal(run.result, 'Succeeded');
    assert.equal(
      run.variables.size,
      Object.keys(HOSTILE).length + Object.keys(MULTI_LINE).length + 1,
    );
    assertNoLeaks(run, [...Object.values(HOSTILE), ...Object.values(MULTI_LINE)]);
  });
});
