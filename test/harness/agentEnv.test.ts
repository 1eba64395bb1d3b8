import assert from 'node:assert/strict';
import * as path from 'node:path';

import { buildAgentEnv, formatEnvName } from './agentEnv';
import type { AgentEnvOptions } from './agentEnv';

const TARGET = path.join(__dirname, 'fixtures', 'FixtureTask', 'scripts', 'steps.mjs');
const ENDPOINT_ID = 'A1B2C3D4-0000-4000-8000-00000000000A';
const DIRS = {
  tempDir: '/w/_work/_temp',
  workFolder: '/w/_work',
  defaultWorkingDirectory: '/w/_work/1/s',
};

function options(overrides: Partial<AgentEnvOptions> = {}): AgentEnvOptions {
  return {
    target: TARGET,
    inputs: { azureSubscription: ENDPOINT_ID, KeyVaultName: '  $(vault.name)  ' },
    dirs: DIRS,
    accessToken: 'job-token',
    parentEnv: {
      PATH: '/usr/bin',
      HOME: '/home/t',
      AZURE_CLIENT_SECRET: 'ambient',
      IDENTITY_ENDPOINT: 'http://169.254.169.254',
      MSI_SECRET: 'm',
      HTTPS_PROXY: 'http://corp:3128',
      NO_PROXY: '*',
      NODE_OPTIONS: '--require evil',
      INPUT_KEYVAULTNAME: 'from-parent',
    },
    variables: { 'vault.name': 'contoso-kv' },
    ...overrides,
  };
}

describe('harness/agentEnv (docs/agent-interface.md §2)', () => {
  it('formats names: . and space to _, upper case, dashes kept', () => {
    assert.equal(formatEnvName('kv.secret one'), 'KV_SECRET_ONE');
    assert.equal(formatEnvName('db-password'), 'DB-PASSWORD');
  });

  it('starts from a clean base: nothing ambient leaks in', () => {
    const { env } = buildAgentEnv(options());
    assert.equal(env['PATH'], '/usr/bin');
    assert.equal(env['HOME'], '/home/t');
    for (const name of [
      'AZURE_CLIENT_SECRET',
      'IDENTITY_ENDPOINT',
      'MSI_SECRET',
      'HTTPS_PROXY',
      'NO_PROXY',
      'NODE_OPTIONS',
    ]) {
      assert.equal(env[name], undefined, name);
    }
  });

  it('hands over every declared input: defaults, then values (alias mapped), trimmed, $(var) expanded', () => {
    const { env } = buildAgentEnv(options());
    assert.equal(env['INPUT_CONNECTEDSERVICENAME'], ENDPOINT_ID);
    assert.equal(env['INPUT_KEYVAULTNAME'], 'contoso-kv');
    assert.equal(env['INPUT_SECRETSFILTER'], '*');
    assert.equal(env['INPUT_RUNASPREJOB'], 'false');
    assert.equal(env['INPUT_PADDED'], 'spaced');
    assert.equal(env['INPUT_AZURESUBSCRIPTION'], undefined);
  });

  it('refuses an input task.json does not declare', () => {
    assert.throws(
      () => buildAgentEnv(options({ inputs: { keyvault: 'x' } })),
      /Input 'keyvault' is not declared.*KeyVaultName/,
    );
  });

  it('hands over referenced endpoints under the lower-case GUID, plus SYSTEMVSSCONNECTION', () => {
    const { env, jobSecrets } = buildAgentEnv(
      options({
        endpoints: [
          {
            id: ENDPOINT_ID,
            url: 'https://management.azure.com',
            scheme: 'ServicePrincipal',
            parameters: {
              serviceprincipalid: 'app-id',
              serviceprincipalkey: 'sp-key',
              tenantid: 'tenant-1',
            },
            data: { subscriptionId: 'sub-1', environment: 'AzureCloud' },
          },
          {
            id: '99999999-0000-4000-8000-000000000000',
            scheme: 'ServicePrincipal',
            parameters: { k: 'unreferenced' },
          },
        ],
      }),
    );
    const id = ENDPOINT_ID.toLowerCase();
    assert.equal(env[`ENDPOINT_URL_${id}`], 'https://management.azure.com/');
    assert.equal(
      env[`ENDPOINT_AUTH_${id}`],
      '{"parameters":{"serviceprincipalid":"app-id","serviceprincipalkey":"sp-key","tenantid":"tenant-1"},"scheme":"ServicePrincipal"}',
    );
    assert.equal(env[`ENDPOINT_AUTH_SCHEME_${id}`], 'ServicePrincipal');
    assert.equal(env[`ENDPOINT_AUTH_PARAMETER_${id}_SERVICEPRINCIPALKEY`], 'sp-key');
    assert.equal(
      env[`ENDPOINT_DATA_${id}`],
      '{"subscriptionId":"sub-1","environment":"AzureCloud"}',
    );
    assert.equal(env[`ENDPOINT_DATA_${id}_SUBSCRIPTIONID`], 'sub-1');
    assert.equal(env['ENDPOINT_URL_99999999-0000-4000-8000-000000000000'], undefined);

    assert.equal(env['ENDPOINT_URL_SYSTEMVSSCONNECTION'], 'https://dev.azure.com/contoso/');
    assert.equal(env['ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION'], 'OAuth');
    assert.equal(env['ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN'], 'job-token');
    assert.equal(env['ENDPOINT_DATA_SYSTEMVSSCONNECTION'], undefined);

    // The agent masks auth parameters except an allow-list (tenantid is not a secret).
    assert.ok(
      jobSecrets.includes('sp-key') &&
        jobSecrets.includes('app-id') &&
        jobSecrets.includes('job-token'),
    );
    assert.ok(!jobSecrets.includes('tenant-1'));
  });

  it('sets public, secret, system, agent and proxy variables; step env last', () => {
    const { env, jobSecrets } = buildAgentEnv(
      options({
        secretVariables: { 'db.password': 'p4ss' },
        variables: {
          'vault.name': 'contoso-kv',
          'System.CollectionUri': 'https://127.0.0.1:8443/org/',
        },
        proxy: {
          url: 'http://127.0.0.1:3128',
          username: 'u',
          password: 'proxy-pw',
          bypass: ['127\\.0\\.0\\.1'],
        },
        caFile: '/ca.pem',
        env: { TF_BUILD: 'overridden', EXTRA: '1' },
      }),
    );
    assert.equal(env['VAULT_NAME'], 'contoso-kv');
    assert.equal(env['SECRET_DB_PASSWORD'], 'p4ss');
    assert.equal(env['DB_PASSWORD'], undefined);
    const publicNames = JSON.parse(env['VSTS_PUBLIC_VARIABLES'] ?? '[]') as string[];
    assert.ok(publicNames.includes('vault.name') && publicNames.includes('System.CollectionUri'));
    assert.deepEqual(JSON.parse(env['VSTS_SECRET_VARIABLES'] ?? ''), [
      'Agent.ProxyPassword',
      'db.password',
    ]);
    assert.equal(env['SYSTEM_COLLECTIONURI'], 'https://127.0.0.1:8443/org/');
    assert.equal(env['ENDPOINT_URL_SYSTEMVSSCONNECTION'], 'https://127.0.0.1:8443/org/');
    assert.equal(env['SYSTEM_HOSTTYPE'], 'build');
    assert.equal(env['AGENT_TEMPDIRECTORY'], '/w/_work/_temp');
    assert.equal(env['AGENT_VERSION'], '4.266.2');
    assert.equal(env['AGENT_PROXYURL'], 'http://127.0.0.1:3128');
    assert.equal(env['AGENT_PROXYUSERNAME'], 'u');
    assert.equal(env['SECRET_AGENT_PROXYPASSWORD'], 'proxy-pw');
    assert.equal(env['AGENT_PROXYBYPASSLIST'], '["127\\\\.0\\\\.0\\\\.1"]');
    assert.equal(env['NODE_EXTRA_CA_CERTS'], '/ca.pem');
    assert.equal(env['SYSTEM_OIDCREQUESTURI'], undefined);
    assert.equal(env['TF_BUILD'], 'overridden');
    assert.equal(env['EXTRA'], '1');
    assert.ok(
      jobSecrets.includes('p4ss') && jobSecrets.includes(Buffer.from('p4ss').toString('base64')),
    );
    assert.ok(jobSecrets.includes('proxy-pw'));
  });
});
