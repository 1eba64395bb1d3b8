import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyPlan, type PlannedVariable } from '../../src/plan/plan';
import { applyPlan } from '../../src/publish/applyPlan';
import { memoryAgent } from '../support/memoryAgent';
import { secretProperties } from '../support/secretProperties';
import { FileContent } from '../../src/plan/fileContent';

const PROPS = secretProperties('cfg', { version: 'v' });

function variable(name: string, value: string, output: boolean): PlannedVariable {
  return {
    name,
    value,
    secret: true,
    output,
    source: { entry: name, secretName: 'cfg', version: 'v', field: undefined },
    properties: PROPS,
  };
}

describe('applyPlan', () => {
  it('registers every mask first, then sets each variable, and its output twin when asked', () => {
    const agent = memoryAgent();
    const plan = emptyPlan({
      variables: [variable('USER', 'svc', false), variable('PEM', 'l1\nl2', true)],
      masks: ['svc', 'l1', 'l2'],
    });
    applyPlan(agent, plan);
    assert.deepEqual(agent.events, [
      { kind: 'secret', value: 'svc' },
      { kind: 'secret', value: 'l1' },
      { kind: 'secret', value: 'l2' },
      { kind: 'variable', name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET', value: 'true', secret: false },
      { kind: 'variable', name: 'USER', value: 'svc', secret: true },
      { kind: 'variable', name: 'PEM', value: 'l1\nl2', secret: true },
      { kind: 'output', name: 'PEM', value: 'l1\nl2', secret: true },
      {
        kind: 'variable',
        name: 'SYSTEM_UNSAFEALLOWMULTILINESECRET',
        value: 'false',
        secret: false,
      },
    ]);
  });

  it('writes the files after the masks and before the variables; paths are not secret', () => {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-apply-'));
    try {
      const dir = path.join(temp, 'keyvault-secrets-1');
      const file = path.join(dir, 'cert.pem');
      const agent = memoryAgent();
      let writtenBeforeVariables = false;
      const setVariable = agent.setVariable.bind(agent);
      agent.setVariable = (...args) => {
        writtenBeforeVariables ||= fs.existsSync(file);
        setVariable(...args);
      };
      applyPlan(agent, {
        variables: [{ ...variable('cert', file, false), secret: false }],
        masks: ['AAAA'],
        files: [
          {
            path: file,
            content: new FileContent(Buffer.from('pem')),
            format: 'pem',
            secretName: 'cert',
            version: 'v',
          },
        ],
        fileDirectory: dir,
        warnings: [],
        infos: [],
        problems: [],
        errors: [],
        rows: [],
      });
      assert.equal(writtenBeforeVariables, true);
      assert.deepEqual(
        agent.events.map((e) => e.kind),
        ['secret', 'taskVariable', 'variable'],
      );
      assert.deepEqual(agent.events[2], {
        kind: 'variable',
        name: 'cert',
        value: file,
        secret: false,
      });
      assert.equal(fs.readFileSync(file, 'utf8'), 'pem');
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  });
});
