// The classic editor's view of task.json: groups, visible rules, help, validation. Written over
// whatever inputs task.json declares, so an input added later is held to the same rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InputError, readTaskConfig } from '../../src/config/taskConfig';
import { INPUT_NAMES } from '../../src/config/inputNames';
import { memoryAgent } from '../support/memoryAgent';
import { CONNECTION_ID, servicePrincipalConnection } from '../e2e/scenario';
import { readTaskJson, repoRoot, type TaskInput } from './repo';
import { parseVisibleRule, type VisibleRuleClause } from './visibleRule';

interface EditorTaskJson {
  helpMarkDown?: string;
  helpUrl?: string;
  releaseNotes?: string;
  groups?: { name: string; displayName: string; isExpanded?: boolean; visibleRule?: string }[];
  inputs: (TaskInput & {
    groupName?: string;
    visibleRule?: string;
    helpMarkDown?: string;
    options?: Record<string, string>;
    validation?: { expression: string; message: string };
  })[];
}

const task = readTaskJson() as unknown as EditorTaskJson;
const inputs = task.inputs;
const groups = task.groups ?? [];
const MARKDOWN_LINK = /\[[^\]]+\]\(https:\/\/[^)\s]+\)/;
/** The functions an input validation expression may call (docs/taskinputvalidation.md). */
const VALIDATION_FUNCTIONS = new Set([
  ...['isUrl', 'isIpV4Address', 'isEmail', 'isEmpty', 'isInRange', 'isSha1', 'isWinUsername'],
  ...['isLowerCase', 'isUpperCase', 'isMinlength', 'isMaxlength', 'isPath', 'isMatch'],
  ...['and', 'or', 'not', 'eq', 'ne'],
]);

/** The values a clause may compare an input with, or undefined when any value may appear. */
function allowedValues(input: EditorTaskJson['inputs'][number]): string[] | undefined {
  if (input.type === 'boolean') return ['true', 'false'];
  if ((input.type === 'pickList' || input.type === 'radio') && input.options) {
    // An editable pick list also takes typed values.
    if (input.properties?.EditableOptions === 'True') return undefined;
    return Object.keys(input.options);
  }
  return undefined;
}

function checkClause(owner: string, clause: VisibleRuleClause): string[] {
  const target = inputs.find((i) => i.name === clause.input);
  if (!target) return [`${owner}: visibleRule names '${clause.input}', which is not an input`];
  if (target.name === owner) return [`${owner}: visibleRule depends on the input itself`];
  const allowed = allowedValues(target);
  if (allowed !== undefined && !allowed.includes(clause.value)) {
    return [`${owner}: '${clause.value}' is not a value of ${target.name} (${allowed.join(', ')})`];
  }
  if (target.type === 'boolean' && !['=', '==', '!='].includes(clause.operator)) {
    return [`${owner}: ${target.name} is a boolean; compare it with = or !=`];
  }
  return [];
}

describe('task.json in the classic editor', () => {
  describe('groups', () => {
    it('has uniquely named groups with display names', () => {
      const names = groups.map((g) => g.name);
      assert.deepEqual([...new Set(names)], names);
      for (const group of groups) assert.ok(group.displayName.trim(), `${group.name} has no name`);
    });

    it('puts every input in a declared group', () => {
      const declared = new Set(groups.map((g) => g.name));
      assert.deepEqual(
        inputs.filter((i) => i.groupName === undefined || !declared.has(i.groupName)),
        [],
      );
    });

    it('uses every group', () => {
      const used = new Set(inputs.map((i) => i.groupName));
      assert.deepEqual(
        groups.filter((g) => !used.has(g.name)).map((g) => g.name),
        [],
      );
    });

    it('keeps the connection and vault group first and the advanced group collapsed', () => {
      assert.equal(groups[0]?.name, 'connection');
      const advanced = groups.find((g) => g.name === 'advanced');
      assert.equal(advanced?.isExpanded, false);
      const connection = inputs.filter((i) => i.groupName === 'connection').map((i) => i.name);
      assert.deepEqual(connection.slice(0, 2), ['ConnectedServiceName', 'KeyVaultName']);
    });
  });

  describe('visible rules', () => {
    const owners = [
      ...inputs.map((i) => ({ owner: i.name, rule: i.visibleRule })),
      ...groups.map((g) => ({ owner: `group ${g.name}`, rule: g.visibleRule })),
    ].filter((o): o is { owner: string; rule: string } => o.rule !== undefined);

    it('parse, and name real inputs and values', () => {
      const problems = owners.flatMap(({ owner, rule }) => {
        try {
          return parseVisibleRule(rule).clauses.flatMap((c) => checkClause(owner, c));
        } catch (error) {
          return [`${owner}: ${(error as Error).message}`];
        }
      });
      assert.deepEqual(problems, []);
    });

    it('never hide a required input', () => {
      assert.deepEqual(
        inputs.filter((i) => i.required === true && i.visibleRule !== undefined).map((i) => i.name),
        [],
      );
    });
  });

  describe('parseVisibleRule', () => {
    it('reads clauses joined by && or ||', () => {
      assert.deepEqual(parseVisibleRule('CertificateFormat = pfx'), {
        joiner: undefined,
        clauses: [{ input: 'CertificateFormat', operator: '=', value: 'pfx' }],
      });
      assert.deepEqual(parseVisibleRule('A != x || B NotEndsWith .pem').clauses, [
        { input: 'A', operator: '!=', value: 'x' },
        { input: 'B', operator: 'NotEndsWith', value: '.pem' },
      ]);
      assert.equal(parseVisibleRule('A = 1 && B >= 2').joiner, '&&');
    });

    for (const bad of ['A = 1 && B = 2 || C = 3', 'A', '= x', 'A =', 'A ~ x', 'A.b = x', 'A=x&&']) {
      it(`rejects '${bad}'`, () => assert.throws(() => parseVisibleRule(bad)));
    }

    it('finds an unknown input, a value a boolean cannot have and a self-reference', () => {
      const [first] = inputs;
      assert.ok(first);
      assert.deepEqual(checkClause('X', { input: 'NoSuchInput', operator: '=', value: 'a' }), [
        "X: visibleRule names 'NoSuchInput', which is not an input",
      ]);
      assert.deepEqual(checkClause(first.name, { input: first.name, operator: '=', value: 'a' }), [
        `${first.name}: visibleRule depends on the input itself`,
      ]);
      const flag = inputs.find((i) => i.type === 'boolean');
      assert.ok(flag);
      assert.deepEqual(checkClause('X', { input: flag.name, operator: '=', value: 'yes' }), [
        `X: 'yes' is not a value of ${flag.name} (true, false)`,
      ]);
    });
  });

  describe('help', () => {
    it('gives every input help with an example and a link', () => {
      const problems = inputs.flatMap((i) => {
        const help = i.helpMarkDown ?? '';
        return [
          ...(MARKDOWN_LINK.test(help) ? [] : [`${i.name}: no [text](https://…) link`]),
          ...(/\be\.g\.|`[^`]+`/.test(help) ? [] : [`${i.name}: no example (e.g. or a code span)`]),
        ];
      });
      assert.deepEqual(problems, []);
    });

    it('has task help with a link, an https helpUrl and release notes', () => {
      assert.match(task.helpMarkDown ?? '', MARKDOWN_LINK);
      assert.match(task.helpUrl ?? '', /^https:\/\/\S+$/);
      assert.ok((task.releaseNotes ?? '').trim().length > 0);
    });
  });

  describe('validation', () => {
    it('calls only functions the editor evaluates, on `value`', () => {
      const problems = inputs.flatMap((i) => {
        if (!i.validation) return [];
        const calls = [...i.validation.expression.matchAll(/([A-Za-z]+)\s*\(/g)].map((m) => m[1]!);
        return [
          ...calls.filter((f) => !VALIDATION_FUNCTIONS.has(f)).map((f) => `${i.name}: ${f}()`),
          ...(/\bvalue\b/.test(i.validation.expression) ? [] : [`${i.name}: no \`value\``]),
        ];
      });
      assert.deepEqual(problems, []);
    });

    const intInputs = inputs.filter((i) => i.type === 'int');
    it('has int inputs to check', () => assert.ok(intInputs.length > 0));

    for (const input of intInputs) {
      describe(`${input.name}`, () => {
        const match = /^isInRange\(value, (\d+), (\d+)\)$/.exec(input.validation?.expression ?? '');
        const [min, max] = [Number(match?.[1]), Number(match?.[2])];

        it('is validated as a range that holds its default and is stated in its help', () => {
          assert.ok(match, `${input.name}: expected validation isInRange(value, min, max)`);
          const value = Number(input.defaultValue);
          assert.ok(value >= min && value <= max, `default ${value} is outside ${min}..${max}`);
          assert.match(input.helpMarkDown ?? '', new RegExp(`\\bfrom ${min} to ${max}\\b`));
          assert.equal(input.validation?.message, `Enter a whole number from ${min} to ${max}.`);
        });

        it('has the range the task enforces', () => {
          const problemsFor = (value: string): string[] => {
            const agent = memoryAgent({
              inputs: {
                ConnectedServiceName: CONNECTION_ID,
                KeyVaultName: 'contoso-kv',
                SecretsFilter: '*',
                [input.name]: value,
              },
              endpoints: [{ data: {}, ...servicePrincipalConnection(), url: undefined }],
            });
            try {
              readTaskConfig(agent);
              return [];
            } catch (error) {
              if (!(error instanceof InputError)) throw error;
              return error.problems.filter((p) => p.startsWith(`${input.name} `));
            }
          };
          assert.deepEqual(problemsFor(String(min)), []);
          assert.deepEqual(problemsFor(String(max)), []);
          assert.equal(problemsFor(String(max + 1)).length, 1);
          if (min > 0) assert.equal(problemsFor(String(min - 1)).length, 1);
        });
      });
    }
  });

  describe('inputs and code', () => {
    // Every input is read through INPUT_NAMES (src/config/inputNames.ts); task.json declaring
    // exactly those names is checked in taskJson.test.ts.
    const sources = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sources(full);
        return entry.name.endsWith('.ts') ? [full] : [];
      });
    const code = sources(path.join(repoRoot, 'src'))
      .filter((file) => !file.endsWith(path.join('config', 'inputNames.ts')))
      .map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

    it('reads every declared input somewhere in src/', () => {
      const unread = Object.entries(INPUT_NAMES)
        .filter(([key]) => !code.some(({ text }) => text.includes(`INPUT_NAMES.${key}`)))
        .map(([, name]) => name);
      assert.deepEqual(unread, []);
    });

    it('reads no input by a literal name that could drift from task.json', () => {
      const literal = code.filter(({ text }) => /getInput\(\s*['"`]|INPUT_[A-Z]+['"`]/.test(text));
      assert.deepEqual(
        literal.map(({ file }) => path.relative(repoRoot, file)),
        [],
      );
    });
  });
});
