/** The emulated Azure DevOps OIDC endpoint (docs/azure-protocols.md §5, docs/agent-interface.md §9), in process. */
import assert from 'node:assert/strict';
import { decodeJwtPayload, startAzure } from './index';
import { call, type CallResult } from './testClient';
import type { AzureEmulator, EmulatedDevOpsJob } from './types';

const NOW = Date.UTC(2026, 3, 25, 17, 23, 9);
const ORG_ID = 'a3b4c5d6-e7f8-4091-a2b3-c4d5e6f7a8b9';
const PROJECT_ID = 'b4c5d6e7-f809-4a1b-b2c3-d4e5f6a7b8c9';
const CONNECTION = 'c5d6e7f8-091a-4b2c-83d4-e5f6a7b8c9d0';
const JOB_TOKEN = 'eyJ0eXAi.job.token';
const VSS_ERROR_KEYS = [
  '$id',
  'innerException',
  'message',
  'typeName',
  'typeKey',
  'errorCode',
  'eventId',
];

describe('emulated Azure DevOps OIDC endpoint', () => {
  let emulator: AzureEmulator;
  let job: EmulatedDevOpsJob;
  let path: string;

  const request = (
    query: string,
    headers: Record<string, string> = { authorization: `Bearer ${JOB_TOKEN}` },
    at = path,
  ): Promise<CallResult> =>
    call(emulator, {
      host: 'dev.azure.com',
      method: 'POST',
      path: `${at}?${query}`,
      headers: {
        'content-type': 'application/json',
        'x-tfs-fedauthredirect': 'Suppress',
        ...headers,
      },
    });

  const assertVssHeaders = (result: CallResult): void => {
    assert.match(result.headers['x-vss-e2eid'] ?? '', /^[0-9a-f-]{36}$/);
    assert.match(
      result.headers['x-msedge-ref'] ?? '',
      /^Ref A: [0-9A-F]{32} Ref B: \w+ Ref C: 2026-04-25T17:23:09Z$/,
    );
  };

  before(async () => {
    emulator = await startAzure({ now: () => NOW });
    job = emulator.addDevOpsJob({
      organization: 'contoso',
      organizationId: ORG_ID,
      projectName: 'Key Vault Demo',
      projectId: PROJECT_ID,
      accessToken: JOB_TOKEN,
      serviceConnections: [{ id: CONNECTION, name: 'kv-prod' }],
    });
    path = new URL(job.oidcRequestUri).pathname;
  });
  after(() => emulator.close());

  it('describes the job as the agent would: request URI, issuer, subject, collection URI', () => {
    assert.match(
      job.oidcRequestUri,
      new RegExp(
        `^https://dev\\.azure\\.com/contoso/${PROJECT_ID}/_apis/distributedtask/hubs/build/plans/[0-9a-f-]{36}/jobs/[0-9a-f-]{36}/oidctoken$`,
      ),
    );
    assert.equal(job.issuer, `https://vstoken.dev.azure.com/${ORG_ID}`);
    assert.equal(job.subjectFor(CONNECTION.toUpperCase()), 'sc://contoso/Key Vault Demo/kv-prod');
    assert.equal(job.collectionUri, 'https://dev.azure.com/contoso/');
    assert.throws(
      () => job.subjectFor('nope'),
      /Service connection 'nope' is not one of this job's/,
    );
  });

  it('answers {"oidcToken"} with an RS256 token for the connection, valid ten minutes', async () => {
    // The SDK may percent-encode query keys: parse, never match the raw text.
    const result = await request(`api%2Dversion=7.1&serviceConnectionId=${CONNECTION}`);
    assert.equal(result.status, 200, result.text);
    assert.equal(
      result.headers['content-type'],
      'application/json; charset=utf-8; api-version=7.1',
    );
    assertVssHeaders(result);
    const { oidcToken } = result.json as { oidcToken: string };
    assert.deepEqual(Object.keys(result.json as object), ['oidcToken']);
    const header = JSON.parse(
      Buffer.from(oidcToken.split('.')[0] ?? '', 'base64url').toString(),
    ) as Record<string, string>;
    assert.equal(header.alg, 'RS256');
    const claims = decodeJwtPayload(oidcToken);
    assert.equal(claims.aud, 'api://AzureADTokenExchange');
    assert.equal(claims.iss, `https://vstoken.dev.azure.com/${ORG_ID}`);
    assert.equal(claims.sub, 'sc://contoso/Key Vault Demo/kv-prod');
    assert.equal(claims.iat, NOW / 1000);
    assert.equal(claims.nbf, NOW / 1000);
    assert.equal(claims.exp, NOW / 1000 + 600);

    const recorded = emulator.requests.at(-1);
    assert.equal(recorded?.host, 'dev.azure.com');
    assert.equal(recorded.kind, 'oidc.token');
    assert.equal(recorded.query['api-version'], '7.1');
    assert.equal(recorded.status, 200);
  });

  it('answers a missing or wrong job token with 401 TF400813 in plain text', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-the-job-token' },
    ];
    for (const headers of variants) {
      const result = await request(`api-version=7.1&serviceConnectionId=${CONNECTION}`, headers);
      assert.equal(result.status, 401);
      assert.equal(result.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(
        result.text,
        'TF400813: Resource not available for anonymous access. Client authentication required.',
      );
      assertVssHeaders(result);
    }
  });

  it('answers an unknown service connection with 404 and a VSS error body', async () => {
    const result = await request(
      'api-version=7.1&serviceConnectionId=d6e7f809-1a2b-4c3d-94e5-f6a7b8c9d0e1',
    );
    assert.equal(result.status, 404);
    assertVssHeaders(result);
    const body = result.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), VSS_ERROR_KEYS);
    assert.equal(body.typeKey, 'ServiceEndpointNotFoundException');
    assert.match(String(body.message), /'d6e7f809-1a2b-4c3d-94e5-f6a7b8c9d0e1'/);
    assert.equal(body.eventId, 3000);
  });

  it('answers a request without api-version with 400 VssVersionNotSpecifiedException', async () => {
    const result = await request(`serviceConnectionId=${CONNECTION}`);
    assert.equal(result.status, 400);
    assert.equal((result.json as { typeKey: string }).typeKey, 'VssVersionNotSpecifiedException');
  });

  it('answers another plan or job with 404 once the token is accepted', async () => {
    const other = path.replace(/jobs\/[^/]+/, 'jobs/00000000-0000-4000-8000-000000000000');
    const result = await request(
      `api-version=7.1&serviceConnectionId=${CONNECTION}`,
      undefined,
      other,
    );
    assert.equal(result.status, 404);
    assert.equal(
      (result.json as { typeKey: string }).typeKey,
      'TaskOrchestrationJobNotFoundException',
    );
  });

  it('applies fault rules by host and kind, with the Azure DevOps headers', async () => {
    emulator.addFault({
      host: 'dev.azure.com',
      kind: 'oidc.token',
      times: 1,
      action: { type: 'status', status: 503, body: 'Service Unavailable' },
    });
    const failed = await request(`api-version=7.1&serviceConnectionId=${CONNECTION}`);
    assert.equal(failed.status, 503);
    assertVssHeaders(failed);
    assert.equal((await request(`api-version=7.1&serviceConnectionId=${CONNECTION}`)).status, 200);
  });
});
