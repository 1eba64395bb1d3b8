import { strict as assert } from 'node:assert';
import { APP_ID, OBJECT_ID, TENANT, startScenario, variablesOf, type Scenario } from './scenario';

const CALLER = `appid=${APP_ID};oid=${OBJECT_ID};iss=https://sts.windows.net/${TENANT}/`;

/** A 403 as Key Vault words it (docs/azure-protocols.md §2), for the denials the emulator does not model. */
function forbidden(
  inner: string,
  message: string,
): { type: 'status'; status: number; body: unknown } {
  return {
    type: 'status',
    status: 403,
    body: { error: { code: 'Forbidden', message, innererror: { code: inner } } },
  };
}

describe('end to end: 403s told apart, with the fix', function () {
  this.timeout(60_000);
  let s: Scenario;
  afterEach(() => s.close());

  it("RBAC read but no list right: '*' says the listing was denied; naming the secret works", async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.revoke(APP_ID);
    s.vault.grant(APP_ID, ['get']);
    const listed = await s.run({ inputs: { SecretsFilter: '*' } });
    assert.equal(listed.result, 'Failed');
    assert.deepEqual(variablesOf(listed), {});
    assert.deepEqual(
      listed.issues.map((i) => i.message),
      [
        `Service principal *** (client secret) (object id ${OBJECT_ID}) may not list the secrets of vault 'contoso-kv': Azure RBAC denied the listing. SecretsFilter '*' (and any pattern) needs the list right at vault scope, Microsoft.KeyVault/vaults/secrets/readMetadata/action, which "Key Vault Secrets User" includes when it is assigned on the vault, not on single secrets: az role assignment create --role "Key Vault Secrets User" --assignee ${OBJECT_ID} --scope "/subscriptions/3f0f3072-17e2-caa3-2e66-ae003024ce69/resourcegroups/rg-contoso-kv/providers/microsoft.keyvault/vaults/contoso-kv". Naming the secrets in SecretsFilter needs no list right at all.`,
        "Could not read the secrets from vault 'contoso-kv'; no variables were set. See the errors above.",
      ],
    );
    assert.deepEqual(
      s.azure.requests.filter((r) => r.kind.startsWith('kv.')).map((r) => [r.kind, r.status]),
      [
        ['kv.challenge', 401],
        ['kv.list', 403],
      ],
    );

    const named = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(named.result, 'Succeeded');
    assert.deepEqual(variablesOf(named), {
      'db-password': { value: 'Sup3r$ecret!', secret: true },
    });
  });

  it('access policy without get: names the permission and the az command', async () => {
    s = await startScenario({ accessModel: 'accessPolicy' });
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.revoke(APP_ID);
    s.vault.grant(APP_ID, ['list']);
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.equal(
      run.issues[0]?.message,
      `Service principal *** (client secret) (object id ${OBJECT_ID}) lacks the secrets 'get' permission in the access policies of vault 'contoso-kv' (secret 'db-password'). Grant it: az keyvault set-policy --name contoso-kv --object-id ${OBJECT_ID} --secret-permissions get (add 'list' only when SecretsFilter is '*').`,
    );
  });

  it("access policy without list, with '*': asks for list", async () => {
    s = await startScenario({ accessModel: 'accessPolicy' });
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.vault.revoke(APP_ID);
    s.vault.grant(APP_ID, ['get']);
    const run = await s.run({ inputs: { SecretsFilter: '*' } });
    assert.equal(run.result, 'Failed');
    assert.match(
      run.issues[0]?.message ?? '',
      new RegExp(
        `lacks the secrets 'list' permission in the access policies of vault 'contoso-kv'\\. Grant it: az keyvault set-policy --name contoso-kv --object-id ${OBJECT_ID} --secret-permissions get list\\.$`,
      ),
    );
  });

  it("firewall: names the agent's address and the network rule to add", async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.azure.addFault({
      kind: 'kv.get',
      action: forbidden(
        'ForbiddenByFirewall',
        `Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.7\r\nCaller: ${CALLER}\r\nVault: contoso-kv;location=westus`,
      ),
    });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.equal(
      run.issues[0]?.message,
      "The firewall of vault 'contoso-kv' refused this agent (address 203.0.113.7). Allow the agent's address (az keyvault network-rule add --name contoso-kv --ip-address 203.0.113.7), reach the vault through a private endpoint from a self-hosted agent in the vault's network, or use an agent whose address is allowed.",
    );
  });

  it('public access disabled: points at private endpoints', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.azure.addFault({
      kind: 'kv.get',
      action: forbidden(
        'ForbiddenByConnection',
        `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\nCaller: ${CALLER}\r\nVault: contoso-kv;location=westus`,
      ),
    });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.match(
      run.issues[0]?.message ?? '',
      /^Vault 'contoso-kv' has public network access disabled, so this agent cannot reach it\. Run the job on a self-hosted agent that reaches the vault's private endpoint/,
    );
  });

  it('reports every cause of one run together, grouped', async () => {
    s = await startScenario();
    s.vault.setSecret('a-ok', 'a-ok-value-7741');
    s.vault.setSecret('b-off', { value: 'b-off-value-2208', enabled: false });
    s.vault.setSecret('d-denied', 'denied value');
    s.azure.addFault({
      kind: 'kv.get',
      path: /d-denied/,
      action: forbidden(
        'ForbiddenByRbac',
        `Caller is not authorized to perform action on resource.\r\nCaller: ${CALLER}\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/contoso-kv/secrets/d-denied'\r\nAssignment: (not found)\r\n`,
      ),
    });
    const run = await s.run({
      inputs: { SecretsFilter: 'a-ok,b-off,c-missing,d-denied,e-missing' },
    });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.deepEqual(
      run.issues.map((i) => i.message.split('.')[0]),
      [
        "Secret 'b-off' in vault 'contoso-kv' is disabled",
        "2 secrets ('c-missing', 'e-missing') not found in vault 'contoso-kv'",
        `Service principal *** (client secret) (object id ${OBJECT_ID}) may not read secret 'd-denied' in vault 'contoso-kv': Azure RBAC denied it`,
        "Could not read 4 secrets of 5 from vault 'contoso-kv'; no variables were set",
      ],
    );
  });

  it('never lets text from an error body run as a logging command', async () => {
    s = await startScenario();
    s.vault.setSecret('db-password', 'Sup3r$ecret!');
    s.azure.addFault({
      kind: 'kv.get',
      action: {
        type: 'status',
        status: 400,
        body: {
          error: {
            code: 'BadParameter',
            message:
              'bad ##vso[task.setvariable variable=Injected]pwned ##vso[task.complete result=Succeeded]',
          },
        },
      },
    });
    const run = await s.run({ inputs: { SecretsFilter: 'db-password' } });
    assert.equal(run.result, 'Failed');
    assert.deepEqual(variablesOf(run), {});
    assert.equal(
      run.issues[0]?.message,
      "Key Vault rejected the request for secret 'db-password' in vault 'contoso-kv' (400). The service said: bad ##_vso[task.setvariable variable=Injected]pwned ##_vso[task.complete result=Succeeded]",
    );
    assert.ok(
      !run.commands.some(
        (c) => c.event.toLowerCase() === 'complete' && /Succeeded/.test(JSON.stringify(c)),
      ),
    );
  });
});
