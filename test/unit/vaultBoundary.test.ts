import { strict as assert } from 'node:assert';
import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
  type SendRequest,
} from '@azure/core-rest-pipeline';
import sinon from 'sinon';
import { classifyProblem } from '../../src/errors/classifyProblem';
import { errorFacts } from '../../src/errors/errorFacts';
import { runSignalPolicy } from '../../src/net/runSignalPolicy';
import { vaultAnswerPolicy, VaultAnswerError } from '../../src/net/vaultAnswerPolicy';
import { ForeignOriginError, vaultOriginPolicy } from '../../src/net/vaultOriginPolicy';
import { pagingPolicy } from '../../src/vault/pagingPolicy';
import { PagingError } from '../../src/vault/pageGuard';
import { RunStoppedError, runDeadline } from '../../src/vault/runDeadline';

const VAULT = 'https://contoso-kv.vault.azure.net';
const SECRET = 'Sup3r$ecret-value-0123456789';

function answer(
  request: PipelineRequest,
  status: number,
  body: string | undefined,
  headers: Record<string, string> = { 'x-ms-request-id': 'rid-1' },
): PipelineResponse {
  return { request, status, headers: createHttpHeaders(headers), bodyAsText: body };
}

const sending =
  (status: number, body: string | undefined, headers?: Record<string, string>): SendRequest =>
  (request) =>
    Promise.resolve(answer(request, status, body, headers));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('vaultAnswerPolicy', () => {
  const body = JSON.stringify({ value: SECRET, id: `${VAULT}/secrets/one/abc` });
  const broken: Array<[string, string]> = [
    ['cut short', body.slice(0, 20)],
    ['a byte-order mark in front', `\uFEFF${body}`],
    ['bytes after the JSON', `${body}\n{"more":true}`],
    ['an HTML page', '<html>portal</html>'],
    ['empty', ''],
  ];
  for (const [label, text] of broken) {
    it(`turns a 200 ${label} into facts without the body`, async () => {
      const request = createPipelineRequest({ url: `${VAULT}/secrets/one` });
      const error = await rejection(vaultAnswerPolicy.sendRequest(request, sending(200, text)));
      assert.ok(error instanceof VaultAnswerError);
      assert.equal(JSON.stringify(error).includes(SECRET.slice(0, 8)), false);
      assert.equal(String(error.message).includes(SECRET.slice(0, 8)), false);
      const facts = errorFacts(error);
      assert.equal(classifyProblem(facts, 'one').cause, 'invalid-answer');
      assert.deepEqual(
        [facts.status, facts.requestId, facts.code],
        [200, 'rid-1', 'VAULT_NOT_JSON'],
      );
    });
  }

  it('passes a 200 with JSON, and error answers, untouched', async () => {
    const request = createPipelineRequest({ url: `${VAULT}/secrets/one` });
    assert.equal((await vaultAnswerPolicy.sendRequest(request, sending(200, body))).status, 200);
    assert.equal((await vaultAnswerPolicy.sendRequest(request, sending(403, 'x'))).status, 403);
  });

  it('refuses a redirect, naming where it pointed', async () => {
    const request = createPipelineRequest({ url: `${VAULT}/secrets/one` });
    const error = await rejection(
      vaultAnswerPolicy.sendRequest(
        request,
        sending(307, undefined, { location: 'https://portal.example/login?x=1' }),
      ),
    );
    assert.ok(error instanceof VaultAnswerError);
    assert.deepEqual(
      [error.code, error.statusCode, error.location],
      ['VAULT_REDIRECT', 307, 'https://portal.example'],
    );
  });
});

describe('vaultOriginPolicy', () => {
  const policy = vaultOriginPolicy(VAULT);
  const allowed = [`${VAULT}/secrets/a`, 'https://contoso-kv.vault.azure.net:443/secrets?x=1'];
  const refused = [
    'https://other-kv.vault.azure.net/secrets/a',
    'https://dev.azure.com/contoso/_apis',
    'https://localhost/secrets',
    'http://contoso-kv.vault.azure.net/secrets/a',
    'https://contoso-kv.vault.azure.net:444/secrets/a',
  ];
  for (const url of allowed) {
    it(`sends ${url}`, async () => {
      const sent: string[] = [];
      await policy.sendRequest(createPipelineRequest({ url }), (request) => {
        sent.push(request.url);
        return Promise.resolve(answer(request, 200, '{}'));
      });
      assert.deepEqual(sent, [url]);
    });
  }
  for (const url of refused) {
    it(`refuses ${url} before sending it`, async () => {
      const request = createPipelineRequest({ url });
      request.headers.set('authorization', 'Bearer token');
      let sent = 0;
      const error = await rejection(
        policy.sendRequest(request, (r) => {
          sent += 1;
          return Promise.resolve(answer(r, 200, '{}'));
        }),
      );
      assert.equal(sent, 0);
      assert.ok(error instanceof ForeignOriginError);
      assert.equal(classifyProblem(errorFacts(error), undefined).cause, 'foreign-link');
    });
  }
});

describe('pagingPolicy', () => {
  const page = (nextLink: string | null): string => JSON.stringify({ value: [], nextLink });
  const linkTo = (n: number): string => `${VAULT}:443/secrets?api-version=7.6&$skiptoken=${n}`;

  it('fails on a nextLink it saw before, when the page arrives', async () => {
    const policy = pagingPolicy(VAULT);
    const request = createPipelineRequest({ url: `${VAULT}/secrets` });
    await policy.sendRequest(request, sending(200, page(linkTo(1))));
    await policy.sendRequest(request, sending(200, page(linkTo(2))));
    const error = await rejection(policy.sendRequest(request, sending(200, page(linkTo(1)))));
    assert.ok(error instanceof PagingError);
    assert.deepEqual([error.code, error.pages], ['PAGING_LOOP', 3]);
  });

  it('fails past its bound', async () => {
    const policy = pagingPolicy(VAULT, 2);
    const request = createPipelineRequest({ url: `${VAULT}/secrets` });
    await policy.sendRequest(request, sending(200, page(linkTo(1))));
    const error = await rejection(policy.sendRequest(request, sending(200, page(linkTo(2)))));
    assert.ok(error instanceof PagingError);
    assert.equal(error.code, 'PAGING_LIMIT');
  });

  it('fails on a nextLink to another origin, naming it', async () => {
    const policy = pagingPolicy(VAULT);
    const request = createPipelineRequest({ url: `${VAULT}/secrets` });
    const error = await rejection(
      policy.sendRequest(request, sending(200, page('https://dev.azure.com/x?$skiptoken=1'))),
    );
    assert.ok(error instanceof ForeignOriginError);
    assert.deepEqual([error.target, error.via], ['https://dev.azure.com', 'nextLink']);
  });

  it('lets the last page (nextLink null) and secret reads through', async () => {
    const policy = pagingPolicy(VAULT);
    const request = createPipelineRequest({ url: `${VAULT}/secrets` });
    await policy.sendRequest(request, sending(200, page(null)));
    await policy.sendRequest(request, sending(200, JSON.stringify({ value: 'x' })));
  });
});

describe('runSignalPolicy (fake clock)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => clock.restore());

  /** A transport that never answers until its request's signal aborts. */
  const hanging: SendRequest = (request) =>
    new Promise((_, reject) => {
      request.abortSignal?.addEventListener('abort', () =>
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
      );
    });

  it('aborts a request the caller gave no signal when the deadline passes', async () => {
    const deadline = runDeadline(3000, undefined);
    const request = createPipelineRequest({ url: `${VAULT}/secrets?$skiptoken=9` });
    const pending = rejection(runSignalPolicy(deadline.signal).sendRequest(request, hanging));
    await clock.tickAsync(2999);
    let settled = false;
    void pending.then(() => (settled = true));
    await clock.tickAsync(0);
    assert.equal(settled, false);
    await clock.tickAsync(1);
    const error = await pending;
    assert.ok(error instanceof RunStoppedError);
    assert.equal(error.reason, 'deadline');
    assert.equal(request.abortSignal, undefined, "the caller's (absent) signal is put back");
    deadline.dispose();
  });

  it('aborts on cancellation, and refuses to start once stopped', async () => {
    const cancel = new AbortController();
    const deadline = runDeadline(60_000, cancel.signal);
    const policy = runSignalPolicy(deadline.signal);
    const pending = rejection(
      policy.sendRequest(createPipelineRequest({ url: `${VAULT}/secrets` }), hanging),
    );
    cancel.abort();
    const error = await pending;
    assert.ok(error instanceof RunStoppedError);
    assert.equal(error.reason, 'cancelled');
    let sent = 0;
    const refused = await rejection(
      policy.sendRequest(createPipelineRequest({ url: `${VAULT}/secrets` }), (r) => {
        sent += 1;
        return Promise.resolve(answer(r, 200, '{}'));
      }),
    );
    assert.ok(refused instanceof RunStoppedError);
    assert.equal(sent, 0);
    deadline.dispose();
  });

  it("still honours the caller's own signal", async () => {
    const deadline = runDeadline(60_000, undefined);
    const own = new AbortController();
    const request = createPipelineRequest({ url: `${VAULT}/secrets`, abortSignal: own.signal });
    const pending = rejection(runSignalPolicy(deadline.signal).sendRequest(request, hanging));
    own.abort();
    const error = (await pending) as Error;
    assert.equal(error.name, 'AbortError');
    assert.equal(request.abortSignal, own.signal);
    deadline.dispose();
  });
});
