import { strict as assert } from 'node:assert';
import {
  derivedName,
  reservedPrefixOf,
  upperSnake,
  variableNameOf,
} from '../../src/plan/variableNames';
import { exactNameErrors, resolveNameClashes } from '../../src/plan/nameClashes';
import { parseSecretsFilter } from '../../src/config/secretsFilter';

describe('variable names', () => {
  it('upperSnake splits hyphens, dots and camelCase, then upper-cases', () => {
    const cases: Array<[string, string]> = [
      ['db-password', 'DB_PASSWORD'],
      ['db-config.password', 'DB_CONFIG_PASSWORD'],
      ['dbPassword', 'DB_PASSWORD'],
      ['HTTPServer-key', 'HTTP_SERVER_KEY'],
      ['api2Key', 'API2_KEY'],
      ['a--b', 'A__B'],
      ['ALREADY_UPPER', 'ALREADY_UPPER'],
      ['1password', '1PASSWORD'],
    ];
    for (const [from, to] of cases) assert.equal(upperSnake(from), to, from);
  });

  it('adds the prefix as written, to derived names only', () => {
    assert.equal(
      derivedName('db-password', { prefix: 'kv_', format: 'upperSnake' }),
      'kv_DB_PASSWORD',
    );
    assert.equal(derivedName('db-password', { prefix: 'KV_', format: 'asIs' }), 'KV_db-password');
    const [explicit, field] = parseSecretsFilter('Mine=db-password, cfg.user').selection.exact;
    const naming = { prefix: 'KV_', format: 'upperSnake' } as const;
    assert.equal(variableNameOf(explicit!, naming), 'Mine');
    assert.equal(variableNameOf(field!, naming), 'KV_CFG_USER');
  });

  it('finds the prefixes the agent reserves, in both forms, and nothing else', () => {
    for (const name of [
      'System.AccessToken',
      'SYSTEM_X',
      'agent.x',
      'Build_Y',
      'task.z',
      'INPUT_A',
      'secret.b',
      'ENDPOINT_URL_X',
    ])
      assert.notEqual(reservedPrefixOf(name), undefined, name);
    for (const name of [
      'system-x',
      'build-number',
      'secret-key',
      'systemx',
      'my.System.x',
      'path-to',
    ])
      assert.equal(reservedPrefixOf(name), undefined, name);
    assert.equal(reservedPrefixOf('Release.Foo'), 'RELEASE');
  });
});

describe('name clashes', () => {
  it('quotes both entries; case differences are named', () => {
    const { selection } = parseSecretsFilter('db-password, DB-PASSWORD=other, x, X=y');
    assert.deepEqual(exactNameErrors(selection, { prefix: '', format: 'asIs' }), [
      "SecretsFilter entries 'db-password' and 'DB-PASSWORD=other' both set the variable 'DB-PASSWORD' (as 'db-password'; variable names ignore case). Remove one, or give one another name with NAME=entry.",
      "SecretsFilter entries 'x' and 'X=y' both set the variable 'X' (as 'x'; variable names ignore case). Remove one, or give one another name with NAME=entry.",
    ]);
  });

  it('finds clashes only the naming format creates', () => {
    const { selection } = parseSecretsFilter('db-password, DB_PASSWORD=other, dbPassword');
    assert.deepEqual(exactNameErrors(selection, { prefix: '', format: 'asIs' }), []);
    assert.deepEqual(exactNameErrors(selection, { prefix: '', format: 'upperSnake' }), [
      "SecretsFilter entries 'db-password' and 'DB_PASSWORD=other' both set the variable 'DB_PASSWORD'. Remove one, or give one another name with NAME=entry.",
      "SecretsFilter entries 'db-password' and 'dbPassword' both set the variable 'DB_PASSWORD'. Remove one, or give one another name with NAME=entry.",
    ]);
  });

  it('refuses reserved names, explicit or derived', () => {
    const { selection } = parseSecretsFilter('System.AccessToken=a, system-debug, agent.name');
    assert.deepEqual(exactNameErrors(selection, { prefix: '', format: 'upperSnake' }), [
      "SecretsFilter entry 'System.AccessToken=a' would set the variable 'System.AccessToken', but names starting with 'SYSTEM.' or 'SYSTEM_' belong to the agent. Give it another name with NAME=entry, or set VariablePrefix.",
      "SecretsFilter entry 'system-debug' would set the variable 'SYSTEM_DEBUG', but names starting with 'SYSTEM.' or 'SYSTEM_' belong to the agent. Give it another name with NAME=entry, or set VariablePrefix.",
      "SecretsFilter entry 'agent.name' would set the variable 'AGENT_NAME', but names starting with 'AGENT.' or 'AGENT_' belong to the agent. Give it another name with NAME=entry, or set VariablePrefix.",
    ]);
  });

  it('lets a pattern and another entry share a name when they give the same value', () => {
    const { kept, errors } = resolveNameClashes([
      { name: 'db', label: () => "'db'", sourceKey: 'db/#', fromPattern: false },
      { name: 'DB', label: () => "'*' (secret 'DB')", sourceKey: 'db/#', fromPattern: true },
      { name: 'db', label: () => "'d*' (secret 'db')", sourceKey: 'db/#', fromPattern: true },
      { name: 'DB', label: () => "'DB=other'", sourceKey: 'other/#', fromPattern: false },
    ]);
    assert.deepEqual(
      kept.map((k) => k.label()),
      ["'db'"],
    );
    assert.deepEqual(errors, [
      "SecretsFilter entries 'db' and 'DB=other' both set the variable 'DB' (as 'db'; variable names ignore case). Remove one, or give one another name with NAME=entry.",
    ]);
  });
});
