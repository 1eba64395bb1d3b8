import type { AgentPort } from '../agent/agentPort';
import { isMultiLine } from './maskValues';

/** The agent's guard against multi-line secret variables (agent-contract.md §6). */
export const MULTILINE_GUARD = 'SYSTEM_UNSAFEALLOWMULTILINESECRET';

export interface SecretVariable {
  name: string;
  value: string;
  /** Also set as an output variable, for later jobs and stages. */
  output?: boolean;
  /** Default true; false for what is not secret (a certificate file's path, thumbprint, date). */
  secret?: boolean;
}

/**
 * Sets every secret as a secret variable, byte-exact, and, when asked, as an output variable too
 * (the agent stores that one as `<step>.<name>`, beside the job variable). The agent refuses
 * multi-line secret variables unless its guard is lifted, and once lifted it stays lifted for the
 * rest of the job; so it is lifted only around our own multi-line values and put back as it was.
 * Values must already be registered with the masker (see masksFor).
 */
export function publishVariables(agent: AgentPort, variables: SecretVariable[]): void {
  const needsGuardLifted = variables.some((v) => v.secret !== false && isMultiLine(v.value));
  const previous = agent.getVariable(MULTILINE_GUARD);
  const alreadyLifted = previous?.trim().toLowerCase() === 'true';
  if (needsGuardLifted && !alreadyLifted) agent.setVariable(MULTILINE_GUARD, 'true', false);
  try {
    for (const variable of variables) {
      const secret = variable.secret !== false;
      agent.setVariable(variable.name, variable.value, secret);
      if (variable.output === true) agent.setVariable(variable.name, variable.value, secret, true);
    }
  } finally {
    if (needsGuardLifted && !alreadyLifted)
      agent.setVariable(MULTILINE_GUARD, previous ?? 'false', false);
  }
}
