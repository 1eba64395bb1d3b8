import assert from 'node:assert/strict';
import path from 'node:path';

import { checkHandler, defaultHandler } from './handler';

const TASK_DIR = path.resolve(__dirname, '../../tasks/KeyVaultSecrets');
const TASK_JSON = path.join(TASK_DIR, 'task.json');

describe('harness/handler (the Node handler of a run)', () => {
  it('defaults to Node20_1 on the runner’s Node, or what KVS_TASK_HANDLER/KVS_TASK_NODE say', () => {
    assert.deepEqual(defaultHandler({}), { handler: 'Node20_1', nodePath: process.execPath });
    assert.deepEqual(defaultHandler({ KVS_TASK_HANDLER: 'Node24', KVS_TASK_NODE: '/n24/node' }), {
      handler: 'Node24',
      nodePath: '/n24/node',
    });
    assert.throws(
      () => defaultHandler({ KVS_TASK_HANDLER: 'Node16' }),
      /^Error: KVS_TASK_HANDLER is 'Node16'\. Expected one of: Node24, Node20_1\.$/,
    );
  });

  it('finds the stage that declares a handler with the target', () => {
    assert.equal(
      checkHandler(TASK_JSON, 'Node24', path.join(TASK_DIR, 'dist/main.js')),
      'execution',
    );
    assert.equal(
      checkHandler(TASK_JSON, 'Node20_1', path.join(TASK_DIR, 'dist/prejob.js')),
      'prejobexecution',
    );
    assert.throws(
      () => checkHandler(TASK_JSON, 'Node24', path.join(TASK_DIR, 'dist/other.js')),
      /declares no Node24 handler with the target dist\/other\.js\.$/,
    );
  });
});
