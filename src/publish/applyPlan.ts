import type { AgentPort } from '../agent/agentPort';
import type { Plan } from '../plan/plan';
import { publishVariables } from './publishVariables';
import { writeFiles } from './writeFiles';

/**
 * The only step of a run that changes anything: registers every mask, then writes the
 * certificate files, then sets every variable. Masks go first so that nothing printed afterwards
 * (the agent echoes each command it processes) can show a derived value; files before variables,
 * so no variable names a file that is not there. Throws FileWriteError with nothing set.
 */
export function applyPlan(agent: AgentPort, plan: Plan): void {
  for (const mask of plan.masks) agent.setSecret(mask);
  if (plan.fileDirectory !== undefined) writeFiles(agent, plan.fileDirectory, plan.files);
  publishVariables(
    agent,
    plan.variables.map((v) => ({
      name: v.name,
      value: v.value,
      output: v.output,
      secret: v.secret,
    })),
  );
}
