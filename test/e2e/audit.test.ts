import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RUN } from '../harness';
import { startScenario, TASK_DIR, type Scenario } from './scenario';

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
});
