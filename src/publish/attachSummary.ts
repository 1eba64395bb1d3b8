import type { AgentPort } from '../agent/agentPort';

/**
 * Writes the run summary and attaches it to the run. The summary is a report, not the task's
 * work: a file that cannot be written gives a warning, never a failed step.
 */
export function attachSummary(agent: AgentPort, vaultName: string, markdown: string): void {
  try {
    agent.uploadSummary(agent.writeSummaryFile(`Key Vault secrets - ${vaultName}.md`, markdown));
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    agent.warning(
      `The run summary could not be written under Agent.TempDirectory${typeof code === 'string' ? ` (${code})` : ''}; the run itself is not affected.`,
    );
  }
}
