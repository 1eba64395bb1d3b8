import { rawRunAsPreJob, rawSecretInputs, runsInStage, skipMessage, type Stage } from './stage';

const EXIT_GRACE_MS = 10_000;

/**
 * Entry point for both handler targets (dist/main.js and the dist/prejob.js shim). Wires the real
 * agent to run() and sets the result in one place. Heavy modules load only in the working stage.
 */
export async function runStage(stage: Stage): Promise<void> {
  if (!runsInStage(stage, rawRunAsPreJob(process.env))) {
    console.log(skipMessage(stage));
    return;
  }
  // Read before task-lib loads (it moves inputs out of the environment), masked right after.
  const secretInputs = rawSecretInputs(process.env);
  const tl = await import('azure-pipelines-task-lib/task');
  const { createTaskLibAgent } = await import('./agent/taskLibAgent');
  const { masksFor } = await import('./publish/maskValues');
  for (const line of secretInputs.flatMap(masksFor)) tl.setSecret(line);
  const { run, RunFailure } = await import('./run');
  const { InputError } = await import('./config/taskConfig');
  const { failureMessage } = await import('./report/failureMessage');
  const { readTaskVersion } = await import('./taskVersion');
  const agent = createTaskLibAgent();
  // With AZURE_LOG_LEVEL set, the SDKs log to stderr, past the ordered output stream that masks
  // and commands go through: their lines become this task's debug lines instead.
  const { AzureLogger } = await import('@azure/logger');
  const { format } = await import('node:util');
  AzureLogger.log = (...args: unknown[]): void => agent.debug(format(...args));
  const cancel = new AbortController();
  const onSignal = (): void => cancel.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await run(agent, {
      now: () => new Date(),
      signal: cancel.signal,
      env: process.env,
      taskVersion: readTaskVersion(__dirname),
    });
    tl.setResult(tl.TaskResult.Succeeded, '');
  } catch (error) {
    if (error instanceof InputError)
      for (const problem of error.problems.slice(0, -1)) agent.error(problem);
    const message = failureMessage(error, (e) =>
      e instanceof InputError
        ? (e.problems.at(-1) ?? e.message)
        : e instanceof RunFailure
          ? e.message
          : undefined,
    );
    tl.setResult(tl.TaskResult.Failed, message);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    agent.flush();
    // The result is set; a handle some library left open must not hold the job. The timer is
    // unref'd, so a process that ends by itself is not kept waiting for it.
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  }
}

/**
 * The post-job stage with a record of written files (see src/postjob.ts): removes them and sets
 * the result. A failure here fails the post-job step, so a key left on disk never goes unnoticed.
 */
export async function runCleanupStage(record: string): Promise<void> {
  const tl = await import('azure-pipelines-task-lib/task');
  const { createTaskLibAgent } = await import('./agent/taskLibAgent');
  const { runCleanup } = await import('./cleanup/cleanupStage');
  try {
    const failure = runCleanup(createTaskLibAgent(), record);
    if (failure === undefined) tl.setResult(tl.TaskResult.Succeeded, '');
    else tl.setResult(tl.TaskResult.Failed, failure);
  } catch (error) {
    tl.setResult(tl.TaskResult.Failed, error instanceof Error ? error.message : String(error));
  }
}

if (require.main === module) void runStage('execution');
