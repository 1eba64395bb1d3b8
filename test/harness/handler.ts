/**
 * Which Node handler the agent picked, and which Node binary it starts the task with.
 *
 * The agent prefers the `Node24` handler and runs its target on `externals/node24`, or on
 * `externals/node20_1` when Node 24 is switched off or cannot start on the host; `Node20_1` runs on
 * Node 20 (azure-pipelines-agent `src/Agent.Worker/Handlers/NodeHandler.cs`; microsoft/
 * azure-pipelines-tasks `docs/migrateNode24.md`). A run names the handler, the harness checks that
 * task.json declares it with that target, and starts the target on the matching binary.
 *
 * scripts/test.ts runs the end-to-end suite twice: once as it is (Node20_1 on the test runner's own
 * Node 20) and once with `KVS_TASK_HANDLER=Node24` and `KVS_TASK_NODE=<the Node 24 binary>`, so the
 * same tests cover both handlers without naming one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const NODE_HANDLERS = ['Node24', 'Node20_1'] as const;
export type NodeHandler = (typeof NODE_HANDLERS)[number];

export interface HandlerChoice {
  handler: NodeHandler;
  /** The Node binary the handler runs the target with. */
  nodePath: string;
}

/** The handler and binary a run uses when its options name none. */
export function defaultHandler(env: NodeJS.ProcessEnv = process.env): HandlerChoice {
  const handler = env.KVS_TASK_HANDLER ?? 'Node20_1';
  if (!(NODE_HANDLERS as readonly string[]).includes(handler)) {
    throw new Error(
      `KVS_TASK_HANDLER is '${handler}'. Expected one of: ${NODE_HANDLERS.join(', ')}.`,
    );
  }
  return { handler: handler as NodeHandler, nodePath: env.KVS_TASK_NODE || process.execPath };
}

type Stage = 'execution' | 'prejobexecution' | 'postjobexecution';
type TaskHandlers = Partial<Record<Stage, Record<string, { target?: string } | undefined>>>;

/**
 * Throws unless task.json declares `handler` with `target` in one of its stages, as the agent
 * would only start a target a declared handler names. Returns the stage that declares it.
 */
export function checkHandler(taskJsonPath: string, handler: NodeHandler, target: string): Stage {
  const task = JSON.parse(fs.readFileSync(taskJsonPath, 'utf8')) as TaskHandlers;
  const taskDir = path.dirname(taskJsonPath);
  const stages: Stage[] = ['execution', 'prejobexecution', 'postjobexecution'];
  for (const stage of stages) {
    const declared = task[stage]?.[handler]?.target;
    if (declared !== undefined && path.resolve(taskDir, declared) === path.resolve(target)) {
      return stage;
    }
  }
  throw new Error(
    `${taskJsonPath} declares no ${handler} handler with the target ${path.relative(taskDir, target)}.`,
  );
}
