// Certificates as files (CertificateFormat pfx | pem), end to end through the bundle: the main
// stage writes them, the post-job stage (run after it with its task variables and temp directory,
// as the agent does) removes them. Every written file is read back with real parsers (node:crypto,
// Node's own OpenSSL through tls, and the openssl CLI when present) and compared with the vault's.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { laterStageOf, runAgentTask, type HarnessRun } from '../harness';
import { createVaultCertificate, type VaultCertificate } from '../emulator/vaultCertificates';
import {
  certificateFilesOf,
  filesBesideSummary,
  POSTJOB_TARGET,
  startScenario,
  variablesOf,
  type Scenario,
} from './scenario';

const PFX = 'application/x-pkcs12';
const PEM = 'application/x-pem-file';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** The key (PKCS#8 DER) and chain (DER, leaf first) a written file holds, read by OpenSSL. */
function readWritten(
  file: string,
  format: 'pfx' | 'pem',
  password = '',
): {
  key: Buffer;
  chain: Buffer[];
} {
  let pem: string;
  if (format === 'pem') {
    pem = fs.readFileSync(file, 'utf8');
  } else {
    // Node's OpenSSL 3 parses it (PKCS12_parse), without any legacy provider.
    createSecureContext({ pfx: fs.readFileSync(file), passphrase: password });
    if (!hasOpenssl) return { key: Buffer.alloc(0), chain: [] };
    pem = execFileSync(
      'openssl',
      ['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nodes'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }
  const key = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  const chain = [
    ...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g),
  ].map((m) => new X509Certificate(m[0]).raw);
  return { key, chain };
}

function assertFileHolds(
  file: string,
  format: 'pfx' | 'pem',
  cert: VaultCertificate,
  password = '',
): void {
  const { key, chain } = readWritten(file, format, password);
  if (format === 'pfx' && !hasOpenssl) return;
  assert.ok(key.equals(cert.privateKeyDer), 'the private key is the vault’s');
  assert.equal(chain.length, 2);
  assert.ok(
    chain.some((c) => c.equals(cert.leafDer)),
    'the certificate is the vault’s',
  );
  assert.ok(
    chain.some((c) => c.equals(cert.issuerDer)),
    'the chain is complete',
  );
  if (hasOpenssl && format === 'pem') {
    const fingerprint = execFileSync(
      'openssl',
      ['x509', '-noout', '-fingerprint', '-sha1', '-in', file],
      { encoding: 'utf8' },
    );
    assert.equal(
      /Fingerprint=([0-9A-F:]+)/.exec(fingerprint)?.[1],
      cert.thumbprint.replace(/(..)(?!$)/g, '$1:'),
    );
  }
}

function assertPrivate(file: string): void {
  if (process.platform === 'win32') return;
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'file mode');
  assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700, 'directory mode');
  assert.equal(path.dirname(path.dirname(file)), fs.realpathSync(path.dirname(path.dirname(file))));
}

describe('end to end: certificates as files, removed by the post-job stage', function () {
  this.timeout(90_000);
  let s: Scenario;
  let rsa: VaultCertificate;
  let ec: VaultCertificate;
  before(async () => {
    [rsa, ec] = await Promise.all([
      createVaultCertificate({ key: 'RSA', subject: 'CN=signing.contoso.example' }),
      createVaultCertificate({ key: 'ECDSA', subject: 'CN=api-client.contoso.example' }),
    ]);
  });
  beforeEach(async () => {
    s = await startScenario();
  });
  afterEach(() => s.close());

  /** Runs the main stage (keeping its temp dir), then the post-job stage as the agent would. */
  async function mainThenPostJob(
    inputs: Record<string, string>,
    check: (main: HarnessRun) => void,
    extra: Parameters<Scenario['run']>[0] = {},
  ): Promise<{ main: HarnessRun; post: HarnessRun }> {
    const main = await s.run({ inputs, keepTempDir: true, ...extra });
    check(main);
    const post = await s.run({ target: POSTJOB_TARGET, inputs, ...laterStageOf(main) });
    return { main, post };
  }

  function assertRemovedEverything(main: HarnessRun, post: HarnessRun, files: number): void {
    assert.equal(post.result, 'Succeeded');
    assert.deepEqual(post.issues, []);
    assert.ok(
      post.log.includes(
        `Removed ${files} file${files === 1 ? '' : 's'} and 1 directory that the task wrote under Agent.TempDirectory (${main.tempDir}).`,
      ),
      post.log.join('\n'),
    );
    assert.deepEqual(filesBesideSummary(post), []);
  }

  it('PFX → pfx: asks Key Vault for the PEM form, writes a modern PFX, 0600 in a 0700 directory', async () => {
    const version = s.vault.setSecret('code-signing', {
      value: rsa.pfxBase64,
      contentType: PFX,
      managed: true,
    });
    const inputs = { SecretsFilter: 'code-signing', CertificateFormat: 'pfx' };
    let file = '';
    const { main, post } = await mainThenPostJob(inputs, (run) => {
      assert.equal(run.result, 'Succeeded');
      const vars = variablesOf(run);
      file = vars['code-signing']?.value ?? '';
      assert.deepEqual(vars, {
        'code-signing': { value: file, secret: false },
        'code-signing.thumbprint': { value: rsa.thumbprint, secret: false },
        'code-signing.notAfter': { value: rsa.notAfter.toISOString(), secret: false },
      });
      assert.match(file, /[/\\]keyvault-secrets-[0-9a-f]{16}[/\\]code-signing\.pfx$/);
      assert.equal(path.dirname(path.dirname(file)), run.tempDir);
      assertPrivate(file);
      assertFileHolds(file, 'pfx', rsa);
      assert.deepEqual(filesBesideSummary(run), [path.relative(run.tempDir, file)]);
    });
    assert.deepEqual(
      s.azure.requests
        .filter((r) => r.kind.startsWith('kv.'))
        .map((r) => `${r.kind} ${r.status} ${r.path} ${r.query.outContentType ?? '-'}`),
      [
        'kv.challenge 401 /secrets/code-signing/ -',
        'kv.get 200 /secrets/code-signing/ -',
        `kv.getVersion 200 /secrets/code-signing/${version} ${PEM}`,
      ],
    );
    assert.equal(fs.existsSync(file), false);
    assertRemovedEverything(main, post, 1);
  });

  it('PFX → pem and PEM → pem: key then chain, as curl and nginx read it', async () => {
    s.vault.setSecret('tls-pfx', { value: ec.pfxBase64, contentType: PFX, managed: true });
    s.vault.setSecret('tls-pem', { value: rsa.pem, contentType: PEM, managed: true });
    const inputs = { SecretsFilter: 'tls-pfx,tls-pem', CertificateFormat: 'pem' };
    const { main, post } = await mainThenPostJob(inputs, (run) => {
      assert.equal(run.result, 'Succeeded');
      const vars = variablesOf(run);
      const pfxFile = vars['tls-pfx']?.value ?? '';
      const pemFile = vars['tls-pem']?.value ?? '';
      assert.equal(path.basename(pfxFile), 'tls-pfx.pem');
      assert.equal(path.dirname(pfxFile), path.dirname(pemFile));
      assertFileHolds(pfxFile, 'pem', ec);
      assertFileHolds(pemFile, 'pem', rsa);
      assert.equal(fs.readFileSync(pemFile, 'utf8'), rsa.pem, 'Key Vault’s PEM, byte for byte');
      assert.equal(vars['tls-pfx.thumbprint']?.value, ec.thumbprint);
      assert.equal(vars['tls-pem.notAfter']?.value, rsa.notAfter.toISOString());
      assertPrivate(pfxFile);
      assertPrivate(pemFile);
      // Every base64 line of the key was masked before any variable was set.
      const keyLines = rsa.pem.split('\n').slice(1, 27);
      const firstVariable = run.commands.findIndex((c) => c.event === 'setvariable');
      const masked = run.commands
        .slice(0, firstVariable)
        .filter((c) => c.event === 'setsecret')
        .map((c) => c.data);
      for (const line of keyLines)
        assert.ok(masked.includes(line), 'a PEM line was not masked first');
    });
    assertRemovedEverything(main, post, 2);
  });

  it('PEM → pfx with CertificatePassword: the file opens with it, the password is masked', async () => {
    const password = 'Pfx-Pa55;word%AZP25';
    s.vault.setSecret('signing', { value: ec.pem, contentType: PEM, managed: true });
    const inputs = {
      SecretsFilter: 'signing',
      CertificateFormat: 'pfx',
      CertificatePassword: password,
    };
    const { main, post } = await mainThenPostJob(inputs, (run) => {
      assert.equal(run.result, 'Succeeded');
      const file = variablesOf(run)['signing']?.value ?? '';
      assertFileHolds(file, 'pfx', ec, password);
      assert.throws(() => createSecureContext({ pfx: fs.readFileSync(file), passphrase: '' }));
      assert.ok(run.maskedValues.includes(password));
      const shown = run.log.filter((line) => line.includes(password));
      assert.deepEqual(shown, []);
    });
    assertRemovedEverything(main, post, 1);
  });

  it('a mixed selection: plain secrets stay secret values; a hand-uploaded PFX is read locally', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.setSecret('managed-cert', { value: rsa.pem, contentType: PEM, managed: true });
    // Uploaded with `az keyvault secret set --encoding base64`: no certificate to Key Vault.
    s.vault.setSecret('uploaded-pfx', { value: ec.pfxBase64, contentType: PFX });
    const inputs = { SecretsFilter: '*', CertificateFormat: 'pem' };
    const { main, post } = await mainThenPostJob(inputs, (run) => {
      assert.equal(run.result, 'Succeeded');
      const vars = variablesOf(run);
      assert.deepEqual(vars['db-password'], { value: 'Sup3r$ecret!', secret: true });
      assertFileHolds(vars['managed-cert']?.value ?? '', 'pem', rsa);
      assertFileHolds(vars['uploaded-pfx']?.value ?? '', 'pem', ec);
      assert.deepEqual(Object.keys(vars).sort(), [
        'db-password',
        'managed-cert',
        'managed-cert.notAfter',
        'managed-cert.thumbprint',
        'uploaded-pfx',
        'uploaded-pfx.notAfter',
        'uploaded-pfx.thumbprint',
      ]);
      assert.ok(
        run.log.includes(
          'Set 7 variables (1 secret): db-password, managed-cert, managed-cert.thumbprint, managed-cert.notAfter, uploaded-pfx, uploaded-pfx.thumbprint, uploaded-pfx.notAfter.',
        ),
        run.log.join('\n'),
      );
    });
    // Not managed: the service would refuse the conversion, so it is not asked for it.
    assert.equal(
      s.azure.requests.some((r) => r.query.outContentType !== undefined),
      false,
    );
    assertRemovedEverything(main, post, 2);
  });

  it('a broken certificate fails the run naming the secret and what is wrong; nothing is written or set', async () => {
    s.vault.setSecret('good', { value: rsa.pem, contentType: PEM, managed: true });
    s.vault.setSecret('no-key', {
      value: rsa.pem.slice(rsa.pem.indexOf('-----BEGIN CERTIFICATE-----')),
      contentType: PEM,
    });
    s.vault.setSecret('not-base64', { value: 'this is not a pfx', contentType: PFX });
    const inputs = { SecretsFilter: 'good,no-key,not-base64', CertificateFormat: 'pfx' };
    const { post } = await mainThenPostJob(inputs, (run) => {
      assert.equal(run.result, 'Failed');
      assert.deepEqual(variablesOf(run), {});
      assert.deepEqual(filesBesideSummary(run), []);
      assert.equal(run.taskVariables.size, 0);
      assert.deepEqual(
        run.issues.map((i) => i.message),
        [
          "Secret 'no-key' in vault 'contoso-kv' is marked as a certificate (content type application/x-pem-file) but cannot be written as a PFX file: it holds no private key. Import the certificate into the vault again (az keyvault certificate import), or set CertificateFormat to asSecretValue to get the value as it is.",
          "Secret 'not-base64' in vault 'contoso-kv' is marked as a certificate (content type application/x-pkcs12) but cannot be written as a PFX file: it is not base64 text, as Key Vault stores a PFX. Import the certificate into the vault again (az keyvault certificate import), or set CertificateFormat to asSecretValue to get the value as it is.",
          "Could not set the variables from vault 'contoso-kv'; no variables were set. See the errors above.",
        ],
      );
    });
    // After a failed main stage the post-job stage still runs, and has nothing to remove.
    assert.equal(post.result, 'Succeeded');
    assert.equal(post.stdout, 'Nothing to remove: the task wrote no files in this job.\n');
  });

  it('the post-job stage removes every file also after the main stage died half-way', async () => {
    s.vault.setSecret('a-cert', { value: rsa.pfxBase64, contentType: PFX, managed: true });
    s.vault.setSecret('b-cert', { value: ec.pem, contentType: PEM, managed: true });
    const inputs = { SecretsFilter: 'a-cert,b-cert', CertificateFormat: 'pem' };
    const { main, post } = await mainThenPostJob(
      inputs,
      (run) => {
        assert.equal(run.result, 'Failed');
        assert.equal(run.signal, 'SIGKILL');
        assert.deepEqual(variablesOf(run), {});
        assert.equal(filesBesideSummary(run).length, 2);
      },
      // Killed after the files were written, as it was about to set the first variable.
      {
        env: {
          NODE_OPTIONS: `--require ${path.join(__dirname, 'fixtures', 'dieOnOutput.cjs')}`,
          DIE_ON_OUTPUT: '##vso[task.setvariable variable=a-cert;',
        },
      },
    );
    assertRemovedEverything(main, post, 2);
  });

  it('the post-job stage removes every file after a later step failed the job', async () => {
    s.vault.setSecret('c-cert', { value: rsa.pem, contentType: PEM, managed: true });
    const inputs = { SecretsFilter: 'c-cert', CertificateFormat: 'pfx' };
    const main = await s.run({ inputs, keepTempDir: true });
    assert.equal(main.result, 'Succeeded');
    // A later step of the job uses the file and fails; the agent still runs post-job steps.
    const later = await runAgentTask({
      target: path.join(
        __dirname,
        '..',
        'harness',
        'fixtures',
        'FixtureTask',
        'scripts',
        'steps.mjs',
      ),
      inputs: { ConnectedServiceName: s.connection.id, KeyVaultName: 'contoso-kv' },
      endpoints: [s.connection],
      tempDir: main.tempDir,
      // Another task, with its own handler, whatever this pass runs the bundle on.
      handler: 'Node20_1',
      nodePath: process.execPath,
      env: { FIXTURE_STEPS: JSON.stringify([{ out: 'signing…\n' }, { exit: 1 }]) },
    });
    assert.equal(later.result, 'Failed');
    assert.deepEqual(filesBesideSummary(later), certificateFilesOf(main));
    const post = await s.run({ target: POSTJOB_TARGET, inputs, ...laterStageOf(main) });
    assertRemovedEverything(main, post, 1);
  });

  it('warns about a certificate that expires within 30 days, naming it and the date', async () => {
    const soon = await createVaultCertificate({
      notAfter: new Date(Math.floor(Date.now() / 1000 + 10 * 86_400 + 3600) * 1000),
    });
    s.vault.setSecret('expiring', { value: soon.pem, contentType: PEM, managed: true });
    const inputs = { SecretsFilter: 'expiring', CertificateFormat: 'pem' };
    const { main, post } = await mainThenPostJob(inputs, (run) => {
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(run.issues, [
        {
          type: 'warning',
          message: `The certificate in secret 'expiring' in vault 'contoso-kv' expires on ${soon.notAfter.toISOString()}, in 11 days. Renew it in the vault before then.`,
        },
      ]);
    });
    assertRemovedEverything(main, post, 1);
  });

  it('RunAsPreJob writes the files in the pre-job stage the same way', async () => {
    s.vault.setSecret('pre-cert', { value: rsa.pem, contentType: PEM, managed: true });
    const inputs = { SecretsFilter: 'pre-cert', CertificateFormat: 'pfx', RunAsPreJob: 'true' };
    const { main, post } = await mainThenPostJob(
      inputs,
      (run) => {
        assert.equal(run.result, 'Succeeded');
        const file = variablesOf(run)['pre-cert']?.value ?? '';
        assertPrivate(file);
        assertFileHolds(file, 'pfx', rsa);
      },
      { target: path.join(path.dirname(POSTJOB_TARGET), 'prejob.js') },
    );
    assertRemovedEverything(main, post, 1);
  });
});
