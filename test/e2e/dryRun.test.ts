import { strict as assert } from 'node:assert';
import type { HarnessRun } from '../harness';
import { createVaultCertificate } from '../emulator/vaultCertificates';
import { APP_ID, filesBesideSummary, startScenario, variablesOf, type Scenario } from './scenario';

const DAY_S = 86_400;
const NOW_S = Math.floor(Date.now() / 1000);

function shown(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Requests that return a value: a dry run makes none. */
function valueReads(s: Scenario): string[] {
  return s.azure.requests
    .filter((r) => r.kind === 'kv.get' || r.kind === 'kv.getVersion')
    .map((r) => r.path);
}

function errorsOf(run: HarnessRun): string[] {
  return run.issues.filter((i) => i.type === 'error').map((i) => i.message);
}

describe('end to end: a dry run reads no value and sets nothing', function () {
  this.timeout(60_000);
  let s: Scenario;
  afterEach(() => s.close());

  it('resolves named secrets from their version lists and prints and summarises the plan', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', { value: 'old-value', created: NOW_S - 30 * DAY_S });
    const current = s.vault.setSecret('db-password', {
      value: 'Sup3r$ecret!',
      created: NOW_S - DAY_S,
      exp: NOW_S + 200 * DAY_S,
    });
    const soon = NOW_S + 5 * DAY_S + 3600;
    const apiKey = s.vault.setSecret('api-key', {
      value: 'key-0123456789',
      exp: soon,
      created: NOW_S - 3 * DAY_S,
    });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password,api-key', DryRun: 'true' } });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(valueReads(s), []);
    assert.deepEqual(
      s.azure.requests.filter((r) => r.host === s.vault.host).map((r) => `${r.kind} ${r.path}`),
      [
        'kv.challenge /secrets/db-password/versions',
        'kv.listVersions /secrets/db-password/versions',
        'kv.listVersions /secrets/api-key/versions',
      ],
    );
    // Only the access token was registered with the masker: no value ever arrived.
    assert.equal(run.maskedValues.length, 1);
    assert.match(run.maskedValues[0] ?? '', /^ey/);
    for (const line of [
      "Dry run: no secret value is read and no variable is set; each secret's version list is read instead.",
      `Dry run: variable 'db-password' would be set from secret 'db-password', version ${current} (expires ${shown(NOW_S + 200 * DAY_S)}).`,
      `Dry run: variable 'api-key' would be set from secret 'api-key', version ${apiKey} (expires ${shown(soon)}).`,
      "Dry run: 2 variables would be set from vault 'contoso-kv'. No secret value was read and no variable was set.",
    ]) {
      assert.ok(run.log.includes(line), `log lacks: ${line}\n${run.log.join('\n')}`);
    }
    // The warnings a real run would give, a dry run gives too.
    assert.deepEqual(run.issues, [
      {
        type: 'warning',
        message: `Secret 'api-key' in vault 'contoso-kv' expires on ${shown(soon)} (in 5 days; ExpiryWarningDays is 30). Set a new version before then (az keyvault secret set --vault-name contoso-kv --name api-key --expires <date> …), or move its expiry (az keyvault secret set-attributes --vault-name contoso-kv --name api-key --expires <date>).`,
      },
    ]);
    const markdown = run.summaryContents[0] ?? '';
    const lines = markdown.split('\n');
    assert.equal(
      lines[2],
      '**Dry run**: 2 variables would be set from 2 secrets. No value was read and no variable was set.',
    );
    const notes = lines.slice(
      lines.indexOf('### What this dry run checked') + 2,
      lines.indexOf('### Secrets') - 1,
    );
    assert.deepEqual(notes, [
      '- The service connection signed in, and Key Vault accepted its access token.',
      "- Each named secret (and version) exists and is enabled: read from the secret's version list (GET /secrets/{name}/versions), which needs the List permission too, where a real run of named secrets needs only Get.",
      '- Not verified: that the identity may read the values (the Get permission; with Azure RBAC the data action Microsoft.KeyVault/vaults/secrets/getSecret/action, which "Key Vault Secrets User" includes). Key Vault checks it only on a read, and a read returns the value, so a dry run cannot prove it.',
    ]);
    assert.ok(
      lines.includes(
        `| db-password | \`db-password\` | \`${current}\` | – | ${shown(NOW_S - DAY_S)} | ${shown(NOW_S + 200 * DAY_S)} | would be set |`,
      ),
      markdown,
    );
    assert.ok(
      lines.includes(
        `| api-key | \`api-key\` | \`${apiKey}\` | – | ${shown(NOW_S - 3 * DAY_S)} | ${shown(soon)} ⚠️ expires in 5 days | would be set |`,
      ),
      markdown,
    );
  });

  it("with '*': lists, skips as a real run does, and reads each selected secret's versions", async () => {
    s = await startScenario();
    const alpha = s.vault.setSecret('alpha', 'alpha-value');
    s.vault.setSecret('switched-off', { value: 'disabled value', enabled: false });
    const run = await s.run({ inputs: { SecretsFilter: '*', DryRun: 'true' } });

    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(valueReads(s), []);
    assert.ok(run.log.includes("Skipped secret 'switched-off': disabled."));
    assert.ok(
      run.log.includes(
        `Dry run: variable 'alpha' would be set from secret 'alpha', version ${alpha} (no expiry).`,
      ),
    );
    const markdown = run.summaryContents[0] ?? '';
    assert.ok(
      markdown.includes(
        "- The identity may list the secrets of vault 'contoso-kv' (the List permission), and the listing selected the secrets below.\n",
      ),
    );
    assert.ok(markdown.includes('| switched-off | – | – | – |'));
  });

  it('fails as a real run does on a missing and a disabled secret, with the same messages', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.setSecret('switched-off', { value: 'disabled value', enabled: false });
    const inputs = { SecretsFilter: 'db-password,no-such-secret,switched-off' };
    const real = await s.run({ inputs });
    s.azure.resetLog();
    const dry = await s.run({ inputs: { ...inputs, DryRun: 'true' } });

    assert.equal(real.result, 'Failed');
    assert.equal(dry.result, 'Failed');
    assert.deepEqual(valueReads(s), []);
    assert.deepEqual(variablesOf(dry), {});
    assert.deepEqual(errorsOf(dry), errorsOf(real));
    assert.equal(errorsOf(dry).length, 3);
    const markdown = dry.summaryContents[0] ?? '';
    assert.ok(markdown.includes('| no-such-secret | – | – | – | – | – | **failed**: not found |'));
    assert.ok(markdown.includes('| switched-off | – | – | – | – | – | **failed**: disabled |'));
    assert.ok(!markdown.includes('### What this dry run checked'));
    assert.equal(
      markdown.split('\n')[2],
      '**Failed (dry run)**: 2 secrets could not be read. No variables were set.',
    );
  });

  it('fails on a denied listing, which a real run of named secrets would not need', async () => {
    s = await startScenario({ accessModel: 'accessPolicy' });
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.revoke(APP_ID);
    s.vault.grant(APP_ID, ['get']);
    const run = await s.run({ inputs: { SecretsFilter: 'db-password', DryRun: 'true' } });

    assert.equal(run.result, 'Failed');
    assert.deepEqual(valueReads(s), []);
    assert.match(
      errorsOf(run)[0] ?? '',
      /lacks the secrets 'list' permission in the access policies of vault 'contoso-kv'/,
    );
  });

  it('refuses a DryRun that is not true or false before any request', async () => {
    s = await startScenario();
    const run = await s.run({ inputs: { SecretsFilter: 'db-password', DryRun: 'yes' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(s.azure.requests, []);
    assert.deepEqual(run.summaries, []);
    assert.deepEqual(errorsOf(run), [
      "DryRun is 'yes'; expected one of: 'true', 'false' (default 'false').",
    ]);
  });

  it('names the certificate variables CertificateFormat would set, converting and writing nothing', async () => {
    s = await startScenario();
    const cert = await createVaultCertificate({ key: 'ECDSA', subject: 'CN=api.contoso.example' });
    const version = s.vault.setSecret('api-cert', {
      value: cert.pem,
      contentType: 'application/x-pem-file',
      managed: true,
    });
    const run = await s.run({
      inputs: { SecretsFilter: 'api-cert', CertificateFormat: 'pem', DryRun: 'true' },
    });

    assert.equal(run.result, 'Succeeded', JSON.stringify(run.issues));
    assert.deepEqual(valueReads(s), []);
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(filesBesideSummary(run), []);
    for (const name of ['api-cert', 'api-cert.thumbprint', 'api-cert.notAfter']) {
      assert.ok(
        run.log.some((line) =>
          line.startsWith(
            `Dry run: variable '${name}' would be set from secret 'api-cert', version ${version}`,
          ),
        ),
        `log lacks the dry-run line of ${name}\n${run.log.join('\n')}`,
      );
    }
    assert.ok(
      (run.summaryContents[0] ?? '').includes(
        '- Not verified: that the certificates convert to the files CertificateFormat asks for; their variables are named here, and no file is written.\n',
      ),
    );
  });
});
