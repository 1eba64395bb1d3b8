import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { escapeMarkdown } from '../../src/report/markdown';
import { DEFAULT_RUN, type HarnessRun } from '../harness';
import type { RecordedRequest } from '../emulator';
import {
  OBJECT_ID,
  servicePrincipalConnection,
  startScenario,
  TASK_DIR,
  TENANT,
  variablesOf,
  type Scenario,
} from './scenario';

const SDK_VERSIONS = {
  secrets: (
    JSON.parse(
      fs.readFileSync(require.resolve('@azure/keyvault-secrets/package.json'), 'utf8'),
    ) as { version: string }
  ).version,
  pipeline: (
    JSON.parse(
      fs.readFileSync(
        path.join(path.dirname(require.resolve('@azure/core-rest-pipeline')), '../../package.json'),
        'utf8',
      ),
    ) as { version: string }
  ).version,
};
const TASK_VERSION = (() => {
  const { Major, Minor, Patch } = (
    JSON.parse(fs.readFileSync(path.join(TASK_DIR, 'task.json'), 'utf8')) as {
      version: { Major: number; Minor: number; Patch: number };
    }
  ).version;
  return `${Major}.${Minor}.${Patch}`;
})();

const MARKER = `(org=${DEFAULT_RUN.collectionId}; project=${DEFAULT_RUN.projectId}; definition=${DEFAULT_RUN.definitionId}; build=${DEFAULT_RUN.buildId}; attempt=${DEFAULT_RUN.jobAttempt})`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY_S = 86_400;
const NOW_S = Math.floor(Date.now() / 1000);

/** `2026-12-01 19:46 UTC`, as the summary and the warnings write dates. */
function shown(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The one summary the run attached: its file name and Markdown. */
function attachedSummary(run: HarnessRun): { name: string; markdown: string } {
  assert.equal(run.summaries.length, 1, 'one summary attached');
  assert.deepEqual(
    run.attachments.map((a) => [a.type, a.name]),
    [['DistributedTask.Core.Summary', 'Key Vault secrets - contoso-kv.md']],
  );
  // Written under Agent.TempDirectory, where the agent empties it after the job.
  assert.ok(run.summaries[0]?.startsWith(`${run.tempDir}${path.sep}keyvault-secrets-`));
  return { name: path.basename(run.summaries[0] ?? ''), markdown: run.summaryContents[0] ?? '' };
}

/** The cells of the secrets table's row for one secret, and of the reads table's. */
function rowsOf(markdown: string, secret: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith(`| ${secret} |`))
    .map((line) => line.slice(2, -2).split(' | '));
}

/** The emulator's answer to the read of one secret. */
function readOf(s: Scenario, secret: string): RecordedRequest {
  const read = s.azure.requests.find(
    (r) => r.kind === 'kv.get' && r.path === `/secrets/${secret}/`,
  );
  assert.ok(read, `no read of ${secret}`);
  return read;
}

describe('end to end: every Key Vault request names the run', function () {
  this.timeout(60_000);
  let s: Scenario;
  beforeEach(async () => {
    s = await startScenario({ pageSize: 2 });
  });
  afterEach(() => s.close());

  it('sends the task, its version and the run marker before the SDK’s own User-Agent, and a request id per read', async () => {
    for (const name of ['alpha', 'bravo', 'charlie']) s.vault.setSecret(name, `${name}-value`);
    const run = await s.run({
      inputs: { SecretsFilter: '*' },
      variables: { 'System.JobAttempt': '3' },
    });
    assert.equal(run.result, 'Succeeded');

    const marker = MARKER.replace('attempt=1)', 'attempt=3)');
    const vaultRequests = s.azure.requests.filter((r) => r.host === s.vault.host);
    assert.deepEqual(vaultRequests.map((r) => r.kind).sort(), [
      'kv.challenge',
      'kv.get',
      'kv.get',
      'kv.get',
      'kv.list',
      'kv.list',
    ]);
    const sdkPart = new RegExp(
      `^KeyVaultSecretsTask/${TASK_VERSION.replace(/\./g, '\\.')} ${marker.replace(/[().;]/g, '\\$&')} azsdk-js-keyvault-secrets/${SDK_VERSIONS.secrets} azsdk-js-client azsdk-js-api azsdk-js-keyvault-secrets/${SDK_VERSIONS.secrets} core-rest-pipeline/${SDK_VERSIONS.pipeline} Node/\\d+\\.\\d+\\.\\d+ \\(.+\\)$`,
    );
    for (const request of vaultRequests) {
      assert.match(request.headers['user-agent'] ?? '', sdkPart, request.kind);
      assert.match(request.headers['x-ms-client-request-id'] ?? '', UUID, request.kind);
    }
    // One id per operation: the challenge and the read it was answered for share theirs, every
    // list page and every read has its own.
    const ids = vaultRequests.map((r) => r.headers['x-ms-client-request-id']);
    assert.equal(ids[0], ids[1], 'the challenge is replayed as the first list page');
    assert.equal(new Set(ids).size, vaultRequests.length - 1);
    // Entra's requests are not Key Vault's: they carry MSAL's own ids, not the marker.
    const token = s.azure.requests.find((r) => r.kind === 'entra.token');
    assert.ok(!(token?.headers['user-agent'] ?? '').includes(marker));
  });

  it('attaches a summary with every read, what Key Vault answered, the query, and no value', async () => {
    const dbVersion = s.vault.setSecret('db-password', {
      value: 'Sup3r$ecret!',
      contentType: 'text/plain',
      created: NOW_S - 40 * DAY_S,
    });
    const apiVersion = s.vault.setSecret('api-key', {
      value: 'key-0123456789',
      exp: NOW_S + 400 * DAY_S,
      created: NOW_S - 2 * DAY_S,
    });
    s.vault.setSecret('app-retired', { value: 'off', enabled: false, created: NOW_S - DAY_S });
    const run = await s.run({ inputs: { SecretsFilter: '*' } });
    assert.equal(run.result, 'Succeeded', JSON.stringify(run.issues));

    const { markdown } = attachedSummary(run);
    const lines = markdown.split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      '## Key Vault secrets: contoso-kv',
      '',
      '**Succeeded**: 2 secret variables set from 2 secrets; 1 secret skipped.',
      '',
      '- **Vault**: https://contoso-kv.vault.azure.net',
    ]);
    assert.ok(
      lines.includes(
        `- **Identity**: object id \`${OBJECT_ID}\`, application id \`***\`, tenant \`${TENANT}\` (service principal with a client secret)`,
      ),
    );
    assert.ok(lines.includes(`- **Run marker**: \`${MARKER}\``));
    assert.ok(lines.includes(`- **Task version**: ${TASK_VERSION}`));
    assert.deepEqual(rowsOf(markdown, 'db-password')[0], [
      'db-password',
      '`db-password`',
      `\`${dbVersion}\``,
      'text/plain',
      shown(NOW_S - 40 * DAY_S),
      '–',
      'set',
    ]);
    assert.deepEqual(rowsOf(markdown, 'api-key')[0], [
      'api-key',
      '`api-key`',
      `\`${apiVersion}\``,
      '–',
      shown(NOW_S - 2 * DAY_S),
      shown(NOW_S + 400 * DAY_S),
      'set',
    ]);
    assert.deepEqual(rowsOf(markdown, 'app-retired'), [
      ['app-retired', '–', '–', '–', shown(NOW_S - DAY_S), '–', 'skipped: disabled'],
    ]);
    // Per read, what the emulated Key Vault answered, header for header.
    for (const name of ['db-password', 'api-key']) {
      const answer = readOf(s, name).responseHeaders;
      assert.deepEqual(rowsOf(markdown, name)[1], [
        name,
        `\`${answer['x-ms-keyvault-rbac-assignment-id']}\``,
        '`127.0.0.1` (Ipv4)',
        `\`${answer['x-ms-request-id']}\``,
        `\`${answer['x-ms-client-request-id']}\``,
      ]);
    }
    assert.ok(markdown.includes(`ClientInfo contains "${MARKER}"`));
    for (const value of ['Sup3r$ecret!', 'key-0123456789', 'off'])
      assert.ok(!markdown.includes(value));
    // The leak hunt at close covers the file too (it is in the temp directory).
    assert.deepEqual(run.filesLeft, [path.relative(run.tempDir, run.summaries[0] ?? '')]);
  });

  it('attaches the summary to a failed run: what failed and why, nothing set', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const run = await s.run({ inputs: { SecretsFilter: 'db-password,no-such-secret' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});

    const { markdown } = attachedSummary(run);
    const lines = markdown.split('\n');
    assert.equal(lines[2], '**Failed**: 1 secret could not be read. No variables were set.');
    const problems = lines.slice(
      lines.indexOf('### Problems') + 2,
      lines.indexOf('### Secrets') - 1,
    );
    // The same problems as the run's error issues (as the agent shows them), in Markdown.
    const errors = run.issues.filter((i) => i.type === 'error').map((i) => i.message);
    assert.equal(errors.length, 2, 'the problem, then the closing line');
    assert.deepEqual(problems, [`- ${escapeMarkdown(errors[0] ?? '')}`]);
    assert.match(problems[0] ?? '', /^- Secret 'no-such-secret' not found in vault 'contoso-kv'\./);
    assert.equal(rowsOf(markdown, 'db-password')[0]?.[6], 'read, not set (the run failed)');
    assert.deepEqual(rowsOf(markdown, 'no-such-secret')[0], [
      'no-such-secret',
      '–',
      '–',
      '–',
      '–',
      '–',
      '**failed**: not found',
    ]);
    // The failed read's answer is there too: Key Vault's 404 named its request.
    const missing = s.azure.requests.find((r) => r.path === '/secrets/no-such-secret/');
    assert.equal(missing?.status, 404);
    assert.equal(
      rowsOf(markdown, 'no-such-secret')[1]?.[3],
      `\`${missing?.responseHeaders['x-ms-request-id']}\``,
    );
  });

  it('warns once per secret about an expiry inside ExpiryWarningDays and a version older than RotationWarningDays', async () => {
    const soon = NOW_S + 10 * DAY_S + 3600;
    const created = NOW_S - 400 * DAY_S;
    s.vault.setSecret('api-key', { value: 'key-0123456789', exp: soon });
    s.vault.setSecret('db-password', { value: 'Sup3r$ecret!', created });
    s.vault.setSecret('fresh', { value: 'fresh-value', exp: NOW_S + 90 * DAY_S });
    const run = await s.run({
      inputs: { SecretsFilter: 'api-key,db-password,fresh', RotationWarningDays: '365' },
    });
    assert.equal(run.result, 'Succeeded');
    assert.deepEqual(run.issues, [
      {
        type: 'warning',
        message: `Secret 'api-key' in vault 'contoso-kv' expires on ${shown(soon)} (in 10 days; ExpiryWarningDays is 30). Set a new version before then (az keyvault secret set --vault-name contoso-kv --name api-key --expires <date> …), or move its expiry (az keyvault secret set-attributes --vault-name contoso-kv --name api-key --expires <date>).`,
      },
      {
        type: 'warning',
        message: `Secret 'db-password' in vault 'contoso-kv' has had the same value for 400 days: its current version was created on ${shown(created)} (RotationWarningDays is 365). Rotate it: change the credential at its source, then set the new value as a new version (az keyvault secret set --vault-name contoso-kv --name db-password …).`,
      },
    ]);
    const { markdown } = attachedSummary(run);
    assert.equal(rowsOf(markdown, 'api-key')[0]?.[5], `${shown(soon)} ⚠️ expires in 10 days`);
    assert.equal(
      rowsOf(markdown, 'db-password')[0]?.[4],
      `${shown(created)} ⚠️ value 400 days old`,
    );
    assert.equal(rowsOf(markdown, 'fresh')[0]?.[5], shown(NOW_S + 90 * DAY_S));

    // ExpiryWarningDays 0 turns the expiry warning off; RotationWarningDays is off by default.
    const quiet = await s.run({
      inputs: { SecretsFilter: 'api-key,db-password', ExpiryWarningDays: '0' },
    });
    assert.equal(quiet.result, 'Succeeded');
    assert.deepEqual(quiet.issues, []);
  });

  it('gives a secret read for several variables one row and one warning, and a pattern its rows', async () => {
    const soon = NOW_S + 3 * DAY_S + 3600;
    const config = s.vault.setSecret('db-config', {
      value: '{"user":"svc-app","password":"p@ss-w0rd!"}',
      exp: soon,
      created: NOW_S - DAY_S,
    });
    const web = s.vault.setSecret('app-web', { value: 'web-value', created: NOW_S - DAY_S });
    s.vault.setSecret('app-old', {
      value: 'old-value',
      exp: NOW_S - DAY_S,
      created: NOW_S - 9 * DAY_S,
    });
    s.vault.setSecret('other', 'not selected');
    const run = await s.run({
      inputs: { SecretsFilter: 'DB_USER=db-config.user,DB_PASS=db-config.password,app-*' },
    });
    assert.equal(run.result, 'Succeeded', JSON.stringify(run.issues));
    assert.deepEqual(
      run.issues.map((i) => [i.type, i.message.split(' (')[0]]),
      [['warning', `Secret 'db-config' in vault 'contoso-kv' expires on ${shown(soon)}`]],
    );
    const { markdown } = attachedSummary(run);
    assert.deepEqual(rowsOf(markdown, 'db-config')[0], [
      'db-config',
      '`DB_USER`, `DB_PASS`',
      `\`${config}\``,
      '–',
      shown(NOW_S - DAY_S),
      `${shown(soon)} ⚠️ expires in 3 days`,
      'set',
    ]);
    assert.deepEqual(rowsOf(markdown, 'app-web')[0]?.slice(0, 3), [
      'app-web',
      '`app-web`',
      `\`${web}\``,
    ]);
    assert.deepEqual(rowsOf(markdown, 'app-old')[0]?.slice(5), [
      `${shown(NOW_S - DAY_S)} ⚠️ expired`,
      'skipped: expired',
    ]);
    assert.deepEqual(rowsOf(markdown, 'other'), []);
    for (const value of ['svc-app', 'p@ss-w0rd!', 'web-value'])
      assert.ok(!markdown.includes(value));
  });

  it('attaches the summary when sign-in fails, with the application id as the agent shows it', async () => {
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    const app = randomUUID();
    s.azure.addServicePrincipal({ tenantId: TENANT, appId: app, expiredSecrets: ['expired-1234'] });
    const run = await s.run({
      endpoints: [
        servicePrincipalConnection({
          parameters: {
            tenantid: TENANT,
            serviceprincipalid: app,
            authenticationType: 'spnKey',
            serviceprincipalkey: 'expired-1234',
          },
        }),
      ],
      inputs: { SecretsFilter: 'db-password' },
    });
    assert.equal(run.result, 'Failed');
    const { markdown } = attachedSummary(run);
    assert.ok(
      markdown.includes(
        `- **Identity**: object id (not signed in), application id \`***\`, tenant \`${TENANT}\` (service principal with a client secret)\n`,
      ),
    );
    assert.ok(
      markdown.includes(
        '| db-password | – | – | – | – | – | **failed**: not read: sign-in failed |',
      ),
    );
    // The log shows the application id as ***; so does the summary, which the agent does not mask.
    assert.match(run.issues[0]?.message ?? '', /application \*\*\* in service connection/);
    assert.ok(!markdown.includes(app));
    assert.ok(markdown.includes('application \\*\\*\\* in service connection'));
  });
});
