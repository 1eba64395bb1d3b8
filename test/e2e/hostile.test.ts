import { strict as assert } from 'node:assert';
import { SecretMasker } from '../harness';
import { CONNECTION_ID, TENANT, startScenario, variablesOf, type Scenario } from './scenario';

/** Request ids are random per answer: compare messages with them as a placeholder. */
const withoutRequestId = (message: string | undefined): string =>
  (message ?? '').replace(/request id [0-9a-f-]{36}/g, 'request id <id>');

describe('end to end: hostile and broken answers', function () {
  this.timeout(60_000);
  let s: Scenario;
  afterEach(() => s.close());

  const kinds = (kind: string): number[] =>
    s.azure.requests.filter((r) => r.kind === kind).map((r) => r.status);

  describe('a 200 whose body is not valid JSON: no body reaches any output', () => {
    const NOT_JSON =
      "Vault 'contoso-kv' answered the read of secret 'one-secret' with a body that is not valid JSON (HTTP 200, request id <id>); the answer was discarded and is not shown, as it may hold a secret value. A proxy or gateway between the agent and https://contoso-kv.vault.azure.net may have cut or altered it: re-run the job, and report the request id to Azure support if it persists.";
    const cases: Array<[string, 'cut' | 'bom' | 'trailing', string]> = [
      ['cut short', 'cut', 'Sup3r$ecret-value-0123456789'],
      ['with a byte-order mark in front', 'bom', 'Sup3r$ecret-value-0123456789'],
      ['with bytes after the JSON', 'trailing', 'Sup3r$ecret-value-0123456789'],
      [
        'a multi-line value cut short',
        'cut',
        '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----',
      ],
    ];
    for (const [label, form, value] of cases) {
      it(`reports ${label} with status and request id, and sets nothing`, async () => {
        s = await startScenario();
        s.vault.setSecret('one-secret', value);
        s.vault.setSecret('two-secret', 'second-value-abcdef');
        s.azure.addFault({
          kind: 'kv.get',
          path: /one-secret/,
          action: { type: 'malformed', form },
        });
        const run = await s.run({
          inputs: { SecretsFilter: 'one-secret,two-secret' },
          variables: { 'system.debug': 'true' },
        });
        assert.equal(run.result, 'Failed');
        assert.deepEqual(variablesOf(run), {});
        assert.equal(withoutRequestId(run.issues[0]?.message), NOT_JSON);
        assert.equal(s.azure.brokenBodies.length, 1, 'the emulator sent one broken body');
        // The leak hunt (afterEach) also looks for what the broken body held.
      });
    }

    it('reports a listing page that is not valid JSON', async () => {
      s = await startScenario();
      s.vault.setSecret('one-secret', 'Sup3r$ecret-value-0123456789');
      s.azure.addFault({ kind: 'kv.list', action: { type: 'malformed', form: 'cut' } });
      const run = await s.run({ inputs: { SecretsFilter: '*' } });
      assert.equal(run.result, 'Failed');
      assert.match(
        withoutRequestId(run.issues[0]?.message),
        /^Vault 'contoso-kv' answered the read of the secret list with a body that is not valid JSON \(HTTP 200, request id <id>\);/,
      );
    });

    it('reports an HTML page answered with 200 in the vault name', async () => {
      s = await startScenario();
      s.vault.setSecret('one-secret', 'Sup3r$ecret-value-0123456789');
      s.azure.addFault({
        kind: 'kv.get',
        action: {
          type: 'status',
          status: 200,
          body: '<html><body>Sign in to the Wi-Fi</body></html>',
        },
      });
      const run = await s.run({ inputs: { SecretsFilter: 'one-secret' } });
      assert.equal(run.result, 'Failed');
      assert.equal(withoutRequestId(run.issues[0]?.message), NOT_JSON);
    });

    it('reports a redirect without following it', async () => {
      s = await startScenario();
      s.vault.setSecret('one-secret', 'Sup3r$ecret-value-0123456789');
      s.azure.addFault({
        kind: 'kv.get',
        action: { type: 'status', status: 302, headers: { Location: 'https://portal.example/' } },
      });
      const run = await s.run({ inputs: { SecretsFilter: 'one-secret' } });
      assert.equal(run.result, 'Failed');
      assert.equal(
        withoutRequestId(run.issues[0]?.message),
        "Vault 'contoso-kv' answered with a redirect (HTTP 302), request id <id>; Key Vault never redirects, so something between the agent and https://contoso-kv.vault.azure.net (a proxy, a captive portal, a DNS entry pointing elsewhere) answered in its place. No request followed it. Check the agent's proxy and the name https://contoso-kv.vault.azure.net resolves to.",
      );
      assert.deepEqual(kinds('kv.get'), [302]);
    });
  });

  describe('paging', () => {
    const seedThree = (): void => {
      for (const name of ['alpha', 'bravo', 'charlie']) s.vault.setSecret(name, `${name}-value-1`);
    };

    it('stops a nextLink that repeats a page, before following it again', async () => {
      let first: string | undefined;
      s = await startScenario({ pageSize: 1, rewriteNextLink: (link) => (first ??= link) });
      seedThree();
      const run = await s.run({ inputs: { SecretsFilter: '*' } });
      assert.equal(run.result, 'Failed');
      assert.deepEqual(variablesOf(run), {});
      assert.equal(
        run.issues[0]?.message,
        "Vault 'contoso-kv' sent a listing that does not end (a next-page link repeated an earlier page); listing was stopped and no variables were set. Re-run the job; if it persists, name the secrets in SecretsFilter instead of '*', and report it to Azure support.",
      );
      // The first page, then the linked page once: its own link (the same) is not followed.
      assert.deepEqual(kinds('kv.list'), [200, 200]);
    });

    it('never sends the vault token to a host a nextLink names', async () => {
      s = await startScenario({
        pageSize: 1,
        rewriteNextLink: (link) => link.replace(/^https:\/\/[^/]+/, 'https://dev.azure.com:443'),
      });
      seedThree();
      const run = await s.run({ inputs: { SecretsFilter: '*' } });
      assert.equal(run.result, 'Failed');
      assert.equal(
        run.issues[0]?.message,
        "Vault 'contoso-kv' sent a list page whose next-page link points at https://dev.azure.com, not at https://contoso-kv.vault.azure.net; it was not followed, so the vault's access token went nowhere else. Key Vault's links stay on the vault: check what answers for https://contoso-kv.vault.azure.net on this agent's network.",
      );
      assert.deepEqual(
        s.azure.requests.filter((r) => r.host !== s.vault.host).map((r) => r.kind),
        ['entra.token'],
      );
      assert.deepEqual(
        s.azure.tunnels
          .map((t) => t.target.replace(/:\d+$/, ''))
          .filter((t) => t === 'dev.azure.com'),
        [],
      );
    });

    /** A listing that never ends and never repeats: each link is new. */
    const endless = (): ((link: string) => string) => {
      let n = 0;
      let first: string | undefined;
      return (link) => `${(first ??= link)}&page=${++n}`;
    };

    it('obeys TimeoutSeconds on follow-up pages', async () => {
      s = await startScenario({ pageSize: 1, rewriteNextLink: endless() });
      seedThree();
      s.azure.addFault({ kind: 'kv.list', action: { type: 'delay', ms: 300 } });
      const run = await s.run({ inputs: { SecretsFilter: '*', TimeoutSeconds: '2' } });
      assert.equal(run.result, 'Failed');
      assert.equal(run.timedOut ?? false, false);
      assert.equal(
        run.issues[0]?.message,
        "The task stopped: The task ran out of time after 2 s. Raise TimeoutSeconds, or check why vault 'contoso-kv' answers slowly.",
      );
      // 2 s of 300 ms pages: a handful, not the thousands an unbounded pager sends.
      assert.ok(kinds('kv.list').length <= 8, `${kinds('kv.list').length} list requests`);
    });

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`stops paging when the job is cancelled (${signal})`, async () => {
        s = await startScenario({ pageSize: 1, rewriteNextLink: endless() });
        seedThree();
        const cancel = new AbortController();
        let lists = 0;
        s.azure.addFault({
          kind: 'kv.list',
          action: { type: 'hook', run: () => (++lists === 3 ? cancel.abort() : undefined) },
        });
        s.azure.addFault({ kind: 'kv.list', action: { type: 'delay', ms: 100 } });
        const run = await s.run({
          inputs: { SecretsFilter: '*' },
          cancel: cancel.signal,
          cancelSignal: signal,
        });
        assert.equal(run.result, 'Failed');
        assert.equal(run.timedOut ?? false, false);
        assert.equal(
          run.issues[0]?.message,
          "The job was cancelled while reading vault 'contoso-kv'; no variables were set.",
        );
        assert.ok(lists <= 5, `${lists} list requests`);
      });
    }

    it('sets a name a listing repeats once, in its first spelling', async () => {
      s = await startScenario();
      s.vault.setSecret('good', 'good-value-1');
      s.vault.setSecret('other', 'other-value-2');
      const item = (name: string): unknown => ({
        id: `${s.vault.url}/secrets/${name}`,
        attributes: { enabled: true, created: 1700000000, updated: 1700000000 },
      });
      s.azure.addFault({
        kind: 'kv.list',
        action: {
          type: 'status',
          status: 200,
          body: {
            value: [item('good'), item('other'), item('good'), item('GOOD')],
            nextLink: null,
          },
        },
      });
      const run = await s.run({ inputs: { SecretsFilter: '*' } });
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), {
        good: { value: 'good-value-1', secret: true },
        other: { value: 'other-value-2', secret: true },
      });
      assert.ok(run.log.includes('Set 2 secret variables: good, other.'), run.log.join('\n'));
      assert.deepEqual(kinds('kv.get'), [200, 200]);
    });
  });

  describe('multi-line values', () => {
    const JSON_VALUE = '{\n  "user": "svc-app",\n  "password": "hunter2-long-pass"\n  },\n}';

    it("registers no structural line, so a later step's braces stay visible", async () => {
      s = await startScenario();
      s.vault.setSecret('settings', JSON_VALUE);
      const run = await s.run({ inputs: { SecretsFilter: 'settings' } });
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), {
        settings: { value: JSON_VALUE, secret: true },
        SYSTEM_UNSAFEALLOWMULTILINESECRET: { value: 'false', secret: false },
      });
      assert.deepEqual(
        run.maskedValues.filter((v) => !v.startsWith('ey')), // access tokens aside
        ['  "user": "svc-app",', '  "password": "hunter2-long-pass"', JSON_VALUE],
      );
      const laterStep = SecretMasker.forAgent();
      for (const value of run.maskedValues) laterStep.addValue(value);
      assert.equal(laterStep.maskSecrets('{"status": "ok"}'), '{"status": "ok"}');
      assert.equal(laterStep.maskSecrets('  "password": "hunter2-long-pass"'), '***');
    });

    it("sets every variable when the job carries the guard as 'true ' with a space", async () => {
      s = await startScenario();
      s.vault.setSecret('single', 'single-value-1');
      s.vault.setSecret('multi', 'line-one-abc\nline-two-def');
      const run = await s.run({
        inputs: { SecretsFilter: 'single,multi' },
        variables: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true ' },
      });
      assert.equal(run.result, 'Succeeded');
      assert.deepEqual(variablesOf(run), {
        single: { value: 'single-value-1', secret: true },
        multi: { value: 'line-one-abc\nline-two-def', secret: true },
        // Put back as it was.
        SYSTEM_UNSAFEALLOWMULTILINESECRET: { value: 'true ', secret: false },
      });
    });

    it('sets nothing, naming the secret, when the job carries the guard as a secret variable', async () => {
      s = await startScenario();
      s.vault.setSecret('single', 'single-value-1');
      s.vault.setSecret('multi', 'line-one-abc\nline-two-def');
      const run = await s.run({
        inputs: { SecretsFilter: 'single,multi' },
        secretVariables: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true' },
      });
      assert.equal(run.result, 'Failed');
      assert.deepEqual(variablesOf(run), {});
      assert.deepEqual(
        run.issues.map((i) => i.message),
        [
          "Secret 'multi' holds several lines, and this job defines SYSTEM_UNSAFEALLOWMULTILINESECRET as a secret variable: tasks cannot read a secret variable from their environment, so multi-line secret variables stay refused and none could be set. No variables were set. Make SYSTEM_UNSAFEALLOWMULTILINESECRET a plain (not secret) variable, or remove it and let the task allow multi-line values for its own variables.",
          "No variables were set from vault 'contoso-kv'. See the error above.",
        ],
      );
    });
  });

  describe('messages that name the service that misbehaved', () => {
    it("names the vault's tenant and the connection's tenant when they differ", async () => {
      const VAULT_TENANT = 'b0b0b0b0-1111-4222-8333-444455556666';
      s = await startScenario({ tenantId: VAULT_TENANT });
      s.vault.setSecret('a', 'value-abcdef-1');
      const run = await s.run({ inputs: { SecretsFilter: 'a' } });
      assert.equal(run.result, 'Failed');
      assert.equal(
        run.issues[0]?.message,
        `Vault 'contoso-kv' belongs to tenant ${VAULT_TENANT}, but service connection '${CONNECTION_ID}' signs in to tenant ${TENANT}; a token of one tenant is not valid for the other. Use a service connection whose tenant is the vault's tenant, or check that KeyVaultName names the vault you meant.`,
      );
    });

    it('says Entra kept throttling when its 429s carry no body', async () => {
      s = await startScenario();
      s.vault.setSecret('a', 'value-abcdef-1');
      s.azure.addFault({
        kind: 'entra.token',
        action: { type: 'status', status: 429, headers: { 'Retry-After': '0' } },
      });
      const run = await s.run({ inputs: { SecretsFilter: 'a' } });
      assert.equal(run.result, 'Failed');
      assert.equal(
        withoutRequestId(run.issues[0]?.message),
        `Signing in to Microsoft Entra ID as service principal *** (client secret) with service connection '${CONNECTION_ID}' failed. Microsoft Entra ID kept throttling sign-in requests (HTTP 429, request id <id>) after retries, with no explanation: wait a few minutes and re-run the job; spread jobs that sign in with this connection over time.`,
      );
      assert.ok(kinds('entra.token').every((status) => status === 429));
      assert.deepEqual(kinds('kv.get'), []);
    });

    for (const [label, action] of [
      ['a token answer cut short', { type: 'malformed', form: 'cut' }],
      ['an HTML page', { type: 'status', status: 200, body: '<html>Sign in to the Wi-Fi</html>' }],
    ] as const) {
      it(`says Entra's answer was not JSON for ${label}, quoting none of it`, async () => {
        s = await startScenario();
        s.vault.setSecret('a', 'value-abcdef-1');
        s.azure.addFault({ kind: 'entra.token', action });
        const run = await s.run({ inputs: { SecretsFilter: 'a' } });
        assert.equal(run.result, 'Failed');
        assert.equal(
          withoutRequestId(run.issues[0]?.message),
          `Signing in to Microsoft Entra ID as service principal *** (client secret) with service connection '${CONNECTION_ID}' failed. Microsoft Entra ID answered the token request with HTTP 200, request id <id>, but its body is not valid JSON (not shown: it may hold a token). A proxy or gateway between the agent and Entra may have altered it: re-run the job; check the agent's proxy if it persists.`,
        );
        assert.deepEqual(kinds('kv.get'), []);
      });
    }

    it('blames Entra, not the vault, when the token request hangs past TimeoutSeconds', async () => {
      s = await startScenario();
      s.vault.setSecret('a', 'value-abcdef-1');
      s.azure.addFault({ kind: 'entra.token', action: { type: 'delay', ms: 20_000 } });
      const run = await s.run({ inputs: { SecretsFilter: 'a', TimeoutSeconds: '2' } });
      assert.equal(run.result, 'Failed');
      assert.equal(
        run.issues[0]?.message,
        'The task stopped: The task ran out of time after 2 s. Raise TimeoutSeconds, or check why Microsoft Entra ID (login.microsoftonline.com) answers slowly.',
      );
    });
  });
});
