import { strict as assert } from 'node:assert';
import { run } from '../../src/run';
import { InputError } from '../../src/config/taskConfig';
import type { EndpointRecord } from '../../src/agent/agentPort';
import { startAzure, type AzureEmulator } from '../emulator';
import { memoryAgent } from '../support/memoryAgent';
import { APP_ID, CLIENT_SECRET, CONNECTION_ID, TENANT } from '../e2e/scenario';

const GOOD_INPUTS = {
  ConnectedServiceName: CONNECTION_ID,
  KeyVaultName: 'contoso-kv',
  SecretsFilter: 'db-password',
};
const SP = {
  tenantid: TENANT,
  serviceprincipalid: APP_ID,
  authenticationType: 'spnKey',
  serviceprincipalkey: CLIENT_SECRET,
};
const KEY_ONLY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

function endpoint(
  scheme: string,
  parameters: Record<string, string>,
  data: Record<string, string> = {},
): EndpointRecord {
  return { id: CONNECTION_ID, url: 'https://management.azure.com/', scheme, parameters, data };
}

interface Case {
  label: string;
  inputs?: Record<string, string>;
  endpoint?: EndpointRecord;
  /** Each expected problem, in order, as a pattern: it must name the input and the fix. */
  expect: RegExp[];
}

const CASES: Case[] = [
  {
    label: 'empty connection',
    inputs: { ConnectedServiceName: '' },
    expect: [/^ConnectedServiceName \(azureSubscription\) is empty\./],
  },
  {
    label: 'unknown connection',
    inputs: { ConnectedServiceName: 'no-such-connection' },
    expect: [
      /^The service connection 'no-such-connection' named by azureSubscription was not handed to this job\./,
    ],
  },
  {
    label: 'a connection of another type (generic username/password)',
    endpoint: endpoint('UsernamePassword', { username: 'u', password: 'p' }),
    expect: [
      /uses the authentication scheme 'UsernamePassword', which cannot sign in to Key Vault\. Expected one of: WorkloadIdentityFederation, ServicePrincipal, ManagedServiceIdentity\./,
    ],
  },
  {
    label: 'a publish profile connection',
    endpoint: endpoint('PublishProfile', { publishProfile: '<xml/>' }),
    expect: [/scheme 'PublishProfile'.*Expected one of/],
  },
  {
    label: 'the job token endpoint (OAuth)',
    endpoint: endpoint('OAuth', { AccessToken: 'x' }),
    expect: [/scheme 'OAuth'/],
  },
  {
    label: 'no tenant id',
    endpoint: endpoint('ServicePrincipal', { ...SP, tenantid: '' }),
    expect: [/has no tenant id \('tenantid'\)/],
  },
  {
    label: 'no application id',
    endpoint: endpoint('ServicePrincipal', { ...SP, serviceprincipalid: ' ' }),
    expect: [/has no application \(client\) id \('serviceprincipalid'\)/],
  },
  {
    label: 'no client secret',
    endpoint: endpoint('ServicePrincipal', { ...SP, serviceprincipalkey: '' }),
    expect: [/has no client secret \('serviceprincipalkey'\)/],
  },
  {
    label: 'unknown authentication type',
    endpoint: endpoint('ServicePrincipal', { ...SP, authenticationType: 'spnPassword' }),
    expect: [/authenticationType 'spnPassword'\. Expected one of: spnKey, spnCertificate\./],
  },
  {
    label: 'certificate without its key',
    endpoint: endpoint('ServicePrincipal', {
      ...SP,
      authenticationType: 'spnCertificate',
      servicePrincipalCertificate: KEY_ONLY_PEM,
    }),
    expect: [/must be one PEM holding the certificate and its private key/],
  },
  {
    label: 'Azure Stack without endpoints',
    endpoint: endpoint('ServicePrincipal', SP, { environment: 'AzureStack' }),
    expect: [
      /environment 'AzureStack' is not a public Azure cloud and its data lacks activeDirectoryAuthority and AzureKeyVaultDnsSuffix/,
    ],
  },
  {
    label: 'plain-http authority',
    endpoint: endpoint('ServicePrincipal', SP, {
      activeDirectoryAuthority: 'http://login.example/',
    }),
    expect: [/Entra authority 'http:\/\/login\.example' must be an https URL/],
  },
  {
    label: 'workload identity without System.OidcRequestUri',
    endpoint: endpoint('WorkloadIdentityFederation', {
      tenantid: TENANT,
      serviceprincipalid: APP_ID,
    }),
    expect: [/^Workload identity federation needs the variable System\.OidcRequestUri/],
  },
  { label: 'empty vault name', inputs: { KeyVaultName: '' }, expect: [/^KeyVaultName is empty\./] },
  {
    label: 'whitespace vault name',
    inputs: { KeyVaultName: '   ' },
    expect: [/^KeyVaultName is empty\./],
  },
  {
    label: 'vault name too short',
    inputs: { KeyVaultName: 'kv' },
    expect: [/^KeyVaultName 'kv' is not a valid key vault name/],
  },
  {
    label: 'vault name too long',
    inputs: { KeyVaultName: 'a'.repeat(25) },
    expect: [/^KeyVaultName 'a{25}' is not a valid key vault name/],
  },
  {
    label: 'vault name starting with a digit',
    inputs: { KeyVaultName: '1vault' },
    expect: [/^KeyVaultName '1vault' is not a valid/],
  },
  {
    label: 'vault name ending with a hyphen',
    inputs: { KeyVaultName: 'vault-' },
    expect: [/^KeyVaultName 'vault-' is not a valid/],
  },
  {
    label: 'vault name with --',
    inputs: { KeyVaultName: 'my--vault' },
    expect: [/^KeyVaultName 'my--vault' is not a valid/],
  },
  {
    label: 'vault name with _',
    inputs: { KeyVaultName: 'my_vault' },
    expect: [/^KeyVaultName 'my_vault' is not a valid/],
  },
  {
    label: 'vault URL of another cloud',
    inputs: { KeyVaultName: 'https://contoso-kv.vault.azure.cn/' },
    expect: [
      /^KeyVaultName 'https:\/\/contoso-kv\.vault\.azure\.cn\/' is not a vault name, nor a vault URL in this cloud \(\*\.vault\.azure\.net\)/,
    ],
  },
  {
    label: 'control character in the vault name',
    inputs: { KeyVaultName: 'kv\u0007name' },
    expect: [/^KeyVaultName 'kv\\u0007name' is not a valid/],
  },
  {
    label: 'logging command in the vault name',
    inputs: { KeyVaultName: '##vso[task.complete result=Succeeded]' },
    expect: [/^KeyVaultName '##_vso\[task\.complete result=Succeeded\]' is not a vault name/],
  },
  { label: 'empty filter', inputs: { SecretsFilter: '' }, expect: [/^SecretsFilter is empty\./] },
  {
    label: 'only commas',
    inputs: { SecretsFilter: ' , ,, ' },
    expect: [/^SecretsFilter is empty\./],
  },
  {
    label: 'only a comment',
    inputs: { SecretsFilter: '# db-password' },
    expect: [/^SecretsFilter is empty\./],
  },
  {
    label: 'a pattern with a variable name',
    inputs: { SecretsFilter: 'X=app-*' },
    expect: [
      /^SecretsFilter entry 'X=app-\*' is not valid: a pattern selects secrets by name only/,
    ],
  },
  {
    label: 'a version that is not a version id',
    inputs: { SecretsFilter: 'rotated/latest' },
    expect: [
      /^SecretsFilter entry 'rotated\/latest' names version 'latest', which is not a Key Vault version id/,
    ],
  },
  {
    label: 'name with _',
    inputs: { SecretsFilter: 'db_password' },
    expect: [/^SecretsFilter entry 'db_password' is not a valid Key Vault secret name/],
  },
  {
    label: 'name with a space',
    inputs: { SecretsFilter: 'db password' },
    expect: [/^SecretsFilter entry 'db password' is not a valid/],
  },
  {
    label: 'name of 128 characters',
    inputs: { SecretsFilter: 'x'.repeat(128) },
    expect: [/^SecretsFilter entry 'x{80}…' is not a valid/],
  },
  {
    label: 'duplicate names differing in case',
    inputs: { SecretsFilter: 'Db,db' },
    expect: [
      /^SecretsFilter entries 'Db' and 'db' both set the variable 'db' \(as 'Db'; variable names ignore case\)/,
    ],
  },
  {
    label: 'logging command in a name',
    inputs: { SecretsFilter: 'x##vso[task.setvariable variable=x]y' },
    expect: [
      /^SecretsFilter entry 'x##_vso\[task\.setvariable variable=x\]y' sets 'x##_vso\[task\.setvariable variable', which is not a valid variable name/,
    ],
  },
  {
    label: 'NUL and tab in a name',
    inputs: { SecretsFilter: 'a\u0000b,c\td' },
    expect: [/^SecretsFilter entry 'a\\u0000b'/, /^SecretsFilter entry 'c\\u0009d'/],
  },
  {
    label: 'non-ASCII name',
    inputs: { SecretsFilter: 'pässword' },
    expect: [/^SecretsFilter entry 'pässword' is not a valid/],
  },
  {
    label: 'a huge filter',
    inputs: { SecretsFilter: Array.from({ length: 5001 }, (_, i) => `s${i}`).join(',') },
    expect: [/^SecretsFilter lists 5001 entries; at most 5000 are accepted/],
  },
  {
    label: 'VariablePrefix with a space',
    inputs: { VariablePrefix: 'my prefix' },
    expect: [/^VariablePrefix 'my prefix' is not valid: use letters, digits, '_', '\.' and '-'/],
  },
  {
    label: 'VariablePrefix the agent reserves',
    inputs: { VariablePrefix: 'System.' },
    expect: [
      /^VariablePrefix 'System\.' starts every name with 'SYSTEM', which belongs to the agent/,
    ],
  },
  {
    label: 'VariableNameFormat unknown',
    inputs: { VariableNameFormat: 'kebab' },
    expect: [
      /^VariableNameFormat is 'kebab'; expected one of: 'asIs', 'upperSnake' \(default 'asIs'\)\.$/,
    ],
  },
  {
    label: 'OutputVariables not a boolean',
    inputs: { OutputVariables: 'yes' },
    expect: [/^OutputVariables is 'yes'; expected one of: 'true', 'false'/],
  },
  {
    label: 'ExpiredSecrets unknown',
    inputs: { ExpiredSecrets: 'ignore' },
    expect: [/^ExpiredSecrets is 'ignore'; expected one of: 'warn', 'fail' \(default 'warn'\)\.$/],
  },
  {
    label: 'TagFilter without a key',
    inputs: { TagFilter: '=prod' },
    expect: [/^TagFilter entry '=prod' has no tag name\./],
  },
  {
    label: 'a reserved variable name',
    inputs: { SecretsFilter: 'Agent.Name=db' },
    expect: [
      /^SecretsFilter entry 'Agent\.Name=db' would set the variable 'Agent\.Name', but names starting with 'AGENT\.'/,
    ],
  },
  {
    label: 'a clash the naming format makes',
    inputs: { SecretsFilter: 'db-password, DB_PASSWORD=other', VariableNameFormat: 'upperSnake' },
    expect: [
      /^SecretsFilter entries 'db-password' and 'DB_PASSWORD=other' both set the variable 'DB_PASSWORD'\./,
    ],
  },
  {
    label: 'Concurrency 0',
    inputs: { Concurrency: '0' },
    expect: [/^Concurrency is '0'; it must be a whole number from 1 to 64 \(default 16\)\./],
  },
  {
    label: 'Concurrency not a number',
    inputs: { Concurrency: 'lots' },
    expect: [/^Concurrency is 'lots'; it must be a whole number from 1 to 64/],
  },
  {
    label: 'Concurrency too high',
    inputs: { Concurrency: '65' },
    expect: [/^Concurrency is '65'/],
  },
  {
    label: 'negative RequestTimeoutSeconds',
    inputs: { RequestTimeoutSeconds: '-1' },
    expect: [/^RequestTimeoutSeconds is '-1'; it must be a whole number from 1 to 600/],
  },
  {
    label: 'TimeoutSeconds too high',
    inputs: { TimeoutSeconds: '99999' },
    expect: [/^TimeoutSeconds is '99999'; it must be a whole number from 1 to 3600/],
  },
  {
    label: 'several problems at once',
    inputs: { KeyVaultName: 'kv', SecretsFilter: 'a_b', Concurrency: '0' },
    expect: [/^KeyVaultName 'kv'/, /^SecretsFilter entry 'a_b'/, /^Concurrency is '0'/],
  },
];

describe('bad input: a clear error naming the input, and nothing changed', function () {
  this.timeout(30_000);
  let azure: AzureEmulator;
  before(async () => {
    azure = await startAzure();
  });
  after(() => azure.close());

  it(`covers at least 30 cases (${CASES.length})`, () => assert.ok(CASES.length >= 30));

  for (const c of CASES) {
    it(c.label, async () => {
      azure.resetLog();
      const agent = memoryAgent({
        inputs: { ...GOOD_INPUTS, ...c.inputs },
        endpoints: [
          c.endpoint ?? endpoint('ServicePrincipal', SP),
          // The agent always hands the job's own connection (docs/agent-interface.md §2).
          {
            id: 'SYSTEMVSSCONNECTION',
            url: 'https://dev.azure.com/contoso/',
            scheme: 'OAuth',
            parameters: { AccessToken: 'job-token' },
            data: {},
          },
        ],
        proxy: { proxyUrl: azure.proxyUrl, username: undefined, password: undefined },
      });
      const error = await run(agent, { now: () => new Date() }).then(
        () => assert.fail('run() accepted bad input'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.problems.length, c.expect.length, error.problems.join('\n'));
      c.expect.forEach((pattern, i) => assert.match(error.problems[i] ?? '', pattern));
      for (const problem of error.problems) {
        assert.doesNotMatch(problem, /##vso\[/i, 'no logging command survives');
        assert.ok(
          [...problem].every((ch) => ch.charCodeAt(0) >= 0x20),
          'one line, no control characters',
        );
      }
      assert.deepEqual(agent.events, [], 'nothing was logged, masked or set');
      assert.deepEqual(azure.requests, []);
      assert.deepEqual(azure.tunnels, []);
    });
  }
});
