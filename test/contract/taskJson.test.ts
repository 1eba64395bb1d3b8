// task.json contract: the §11 rules (docs/agent-interface.md), AzureKeyVault@2 compatibility, and
// agreement between the declared inputs and the ones the code reads.
import Ajv from 'ajv-draft-04';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { INPUT_NAMES } from '../../src/config/inputNames';
import { renderTaskIcon } from '../../scripts/taskIcon';
import { builtFile, pngSize, readTaskJson, repoRoot, TASK_DIR, type TaskJson } from './repo';

const check = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
  JSON.parse(fs.readFileSync(path.join(__dirname, 'task.schema.json'), 'utf8')) as object,
);

function validate(task: unknown): string[] {
  if (check(task)) return [];
  return (check.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

describe('task.json', () => {
  const task = readTaskJson();

  describe('schema (docs/agent-interface.md §11)', () => {
    it('validates against the contract schema', () => {
      assert.deepEqual(validate(task), []);
    });

    // The schema must reject what §11 forbids, or the test above proves nothing. Each case sets
    // (or, with undefined, deletes) one value at a path in a copy of task.json.
    const validated = task.inputs.findIndex((i) => 'validation' in i);
    const broken: [string, (string | number)[], unknown][] = [
      ['an id that is not a GUID', ['id'], 'not-a-guid'],
      ['a name with a space', ['name'], 'Key Vault'],
      ['a friendlyName over 40 characters', ['friendlyName'], 'x'.repeat(41)],
      ['a version part that is a string', ['version', 'Patch'], '0'],
      ['a minimumAgentVersion with a suffix', ['minimumAgentVersion'], '3.232.1-beta'],
      ['an unknown root property', ['outputs'], []],
      ['an input without a label', ['inputs', 0, 'label'], undefined],
      ['an input name with a dot', ['inputs', 0, 'name'], 'Key.Vault'],
      ['an unknown input type', ['inputs', 0, 'type'], 'dropdown'],
      ['an unknown input property', ['inputs', 0, 'hint'], 'x'],
      ['EditableOptions that is a boolean', ['inputs', 1, 'properties', 'EditableOptions'], true],
      ['an unknown handler', ['execution', 'Node18'], { target: 'dist/main.js' }],
      ['a handler without a target', ['execution', 'Node20_1', 'target'], undefined],
      ['an unknown handler property', ['execution', 'Node24', 'args'], ''],
      [
        'a validation without an expression',
        ['inputs', validated, 'validation', 'expression'],
        undefined,
      ],
      [
        'a validation with an unknown property',
        ['inputs', validated, 'validation', 'explanation'],
        'x',
      ],
    ];
    for (const [what, at, value] of broken) {
      it(`rejects ${what}`, () => {
        const copy = structuredClone(task) as unknown;
        let parent = copy as Record<string | number, unknown>;
        for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        const last = at[at.length - 1]!;
        if (value === undefined) delete parent[last];
        else parent[last] = value;
        assert.notDeepEqual(validate(copy), []);
      });
    }
  });

  describe('identity and handlers', () => {
    it('is the KeyVaultSecrets task with version numbers matching package.json', () => {
      assert.equal(task.name, 'KeyVaultSecrets');
      const { version } = JSON.parse(
        fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
      ) as { version: string };
      const { Major, Minor, Patch } = task.version;
      assert.equal(`${Major}.${Minor}.${Patch}`, version);
    });

    it('asks for the first agent with the Node20_1 handler (docs/agent-interface.md §1)', () => {
      assert.equal(task.minimumAgentVersion, '3.232.1');
    });

    it('runs dist/main.js on Node20_1 and Node24, dist/prejob.js before the job and dist/postjob.js after it', () => {
      const handler = (target: string): unknown => ({ target, argumentFormat: '' });
      assert.deepEqual(task.execution, {
        Node20_1: handler('dist/main.js'),
        Node24: handler('dist/main.js'),
      });
      assert.deepEqual(task.prejobexecution, {
        Node20_1: handler('dist/prejob.js'),
        Node24: handler('dist/prejob.js'),
      });
      assert.deepEqual(task.postjobexecution, {
        Node20_1: handler('dist/postjob.js'),
        Node24: handler('dist/postjob.js'),
      });
    });

    it('has every handler target in the task folder after the build', () => {
      const stages = [task.execution, task.prejobexecution ?? {}, task.postjobexecution ?? {}];
      for (const handler of stages.flatMap((s) => Object.values(s))) {
        builtFile(`${TASK_DIR}/${handler.target}`);
      }
    });

    it('declares no outputVariables and no settableVariables restriction (docs/agent-interface.md §7)', () => {
      // Both would rename or refuse the variables we name after secrets.
      assert.equal(task.outputVariables, undefined);
      assert.equal(task.restrictions?.settableVariables, undefined);
    });

    it('uses only declared inputs in instanceNameFormat', () => {
      const declared = new Set(task.inputs.map((i) => i.name));
      for (const [, name] of task.instanceNameFormat.matchAll(/\$\(([^)]+)\)/g)) {
        assert.ok(declared.has(name!), `instanceNameFormat uses undeclared $(${name})`);
      }
    });
  });

  describe('AzureKeyVault@2 compatibility', () => {
    const input = (name: string): TaskJson['inputs'][0] => {
      const found = task.inputs.find((i) => i.name === name);
      assert.ok(found, `input ${name} is missing`);
      return found;
    };

    it('has ConnectedServiceName, alias azureSubscription, an AzureRM connection', () => {
      const i = input('ConnectedServiceName');
      assert.equal(i.type, 'connectedService:AzureRM');
      assert.deepEqual(i.aliases, ['azureSubscription']);
      assert.equal(i.label, 'Azure subscription');
      assert.equal(i.required, true);
    });

    it('has KeyVaultName, an editable pick list filled from the subscription', () => {
      const i = input('KeyVaultName');
      assert.equal(i.type, 'pickList');
      assert.equal(i.properties?.EditableOptions, 'True');
      assert.equal(i.required, true);
      assert.deepEqual(task.dataSourceBindings, [
        {
          target: 'KeyVaultName',
          endpointId: '$(ConnectedServiceName)',
          dataSourceName: 'AzureKeyVaultsListV2',
          resultTemplate: '{ "Value" : "{{{name}}}", "DisplayValue" : "{{{name}}}" }',
        },
      ]);
    });

    it('has SecretsFilter, a required multi-line string defaulting to *', () => {
      const i = input('SecretsFilter');
      assert.equal(i.type, 'multiLine');
      assert.equal(i.defaultValue, '*');
      assert.equal(i.required, true);
    });

    it('has RunAsPreJob, a boolean defaulting to false', () => {
      const i = input('RunAsPreJob');
      assert.equal(i.type, 'boolean');
      assert.equal(String(i.defaultValue), 'false');
    });
  });

  describe('inputs and code', () => {
    it('declares exactly the inputs listed in src/config/inputNames.ts', () => {
      const declared = task.inputs.map((i) => i.name).sort();
      const read = Object.values(INPUT_NAMES).sort();
      assert.deepEqual(declared, read);
    });

    it('declares each input once', () => {
      const names = task.inputs.flatMap((i) => [i.name, ...(i.aliases ?? [])]);
      assert.deepEqual(
        names.filter(
          (n, index) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== index,
        ),
        [],
      );
    });
  });

  it('ships a 32x32 PNG icon beside task.json, made from the extension icon', () => {
    const icon = path.join(repoRoot, TASK_DIR, 'icon.png');
    assert.deepEqual(pngSize(icon), { width: 32, height: 32 });
    assert.ok(
      fs.readFileSync(icon).equals(renderTaskIcon()),
      'icon.png differs from the extension icon: run `npx tsx scripts/taskIcon.ts`',
    );
  });
});
