import type { AgentPort } from '../agent/agentPort';
import type { Plan } from '../plan/plan';
import { publishVariables } from './publishVariables';

/**
 * The only step of a run that changes anything: registers every mask, then sets every variable.
 * Masks go first so that nothing printed afterwards (the agent echoes each command it processes)
 * can show a derived value.
 */
export function applyPlan(agent: AgentPort, plan: Plan): void {
  for (const mask of plan.masks) agent.setSecret(mask);
  publishVariables(
    agent,
    plan.variables.map((v) => ({ name: v.name, value: v.value, output: v.output })),
  );
}
