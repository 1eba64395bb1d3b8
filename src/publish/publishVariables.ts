import type { AgentPort } from '../agent/agentPort';
import { isMultiLine } from './maskValues';
import { MULTILINE_GUARD, planGuard } from './multiLineGuard';

export { MULTILINE_GUARD } from './multiLineGuard';

export interface SecretVariable {
  name: string;
  value: string;
  /** Also set as an output variable, for later jobs and stages. */
  output?: boolean;
  /** Default true; false for what is not secret (a certificate file's path, thumbprint, date). */
  secret?: boolean;
}

/**
 * Why the variables cannot all be set, decided before any is set: the job carries the multi-line
 * guard as a secret variable, which task-lib never sees and cannot be lifted (see planGuard).
 */
export function publicationRefusal(
  agent: AgentPort,
  variables: SecretVariable[],
): string | undefined {
  const multiLine = variables
    .filter((v) => v.secret !== false && isMultiLine(v.value))
    .map((v) => `'${v.name}'`);
  const plan = planGuard(multiLine.length > 0, agent.getVariableInfo(MULTILINE_GUARD));
  if (!('blocked' in plan)) return undefined;
  return `Secret${multiLine.length > 1 ? 's' : ''} ${multiLine.join(', ')} hold${multiLine.length > 1 ? '' : 's'} several lines, and this job defines ${MULTILINE_GUARD} as a secret variable: tasks cannot read a secret variable from their environment, so multi-line secret variables stay refused and none could be set. No variables were set. Make ${MULTILINE_GUARD} a plain (not secret) variable, or remove it and let the task allow multi-line values for its own variables.`;
}

/**
 * Sets every secret as a secret variable, byte-exact, all or none: whether the guard must be
 * lifted is decided before the first variable is set, by the rule task-lib and the agent apply
 * (see guardLifted), so task-lib never refuses a multi-line value after others were set. Values must already be registered with the masker (see masksFor).
 */
export function publishVariables(agent: AgentPort, variables: SecretVariable[]): void {
  const guard = agent.getVariableInfo(MULTILINE_GUARD);
  const plan = planGuard(
    variables.some((v) => v.secret !== false && isMultiLine(v.value)),
    guard,
  );
  if ('blocked' in plan) throw new Error(publicationRefusal(agent, variables));
  if (plan.lift) agent.setVariable(MULTILINE_GUARD, 'true', false);
  try {
    for (const variable of variables) {
      const secret = variable.secret !== false;
      agent.setVariable(variable.name, variable.value, secret);
      // The agent stores an output variable as `<step>.<name>`, beside the job variable.
      if (variable.output === true) agent.setVariable(variable.name, variable.value, secret, true);
    }
  } finally {
    if (plan.lift) agent.setVariable(MULTILINE_GUARD, plan.restore.value, plan.restore.secret);
  }
}
