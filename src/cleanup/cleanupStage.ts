/**
 * The post-job stage's work: remove what the record names and say what happened. It runs whether
 * the main stage succeeded, failed or was cancelled (the agent runs post-job steps always).
 */
import type { AgentPort } from '../agent/agentPort';
import { quote } from '../report/safeText';
import { CLEANUP_VARIABLE, parseRecord } from './cleanupRecord';
import { removeWritten } from './removeWritten';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
/** Paths can be long; quote them whole. */
const quotePath = (path: string): string => quote(path, 4096);

/**
 * Returns the failure message when something could not be removed (the errors are logged), or
 * undefined when everything named is gone.
 */
export function runCleanup(
  agent: Pick<AgentPort, 'info' | 'error' | 'getVariable'>,
  recordText: string,
): string | undefined {
  const tempDirectory = agent.getVariable('Agent.TempDirectory');
  if (!tempDirectory) {
    return `Agent.TempDirectory is not set, so the files named by the task variable ${CLEANUP_VARIABLE} were not removed.`;
  }
  const record = parseRecord(recordText);
  const outcome = removeWritten(record, tempDirectory);
  agent.info(
    `Removed ${count(outcome.removedFiles, 'file', 'files')} and ${count(outcome.removedDirectories, 'directory', 'directories')} that the task wrote under Agent.TempDirectory (${tempDirectory}).`,
  );
  for (const refused of outcome.refused) {
    agent.error(
      `Did not remove ${quotePath(refused)}: it is not under Agent.TempDirectory (${tempDirectory}), so the task did not write it. The task variable ${CLEANUP_VARIABLE} was changed after the task set it.`,
    );
  }
  for (const { path, code } of outcome.failed) {
    agent.error(
      `Could not remove ${quotePath(path)} (${code}): remove it before the agent runs another job, since it may hold a private key.`,
    );
  }
  const problems = outcome.refused.length + outcome.failed.length;
  return problems === 0
    ? undefined
    : `The post-job cleanup left ${count(problems, 'path', 'paths')} it was asked to remove; see the errors above.`;
}
