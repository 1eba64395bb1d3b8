/** The agent's guard against multi-line secret variables (docs/agent-interface.md §6). */
export const MULTILINE_GUARD = 'SYSTEM_UNSAFEALLOWMULTILINESECRET';

/** The guard variable as the job carries it, or undefined when the job has none. */
export type GuardVariable = { value: string; secret: boolean } | undefined;

/**
 * Whether multi-line secret variables are allowed already, by both parties that check:
 * - task-lib's setVariable throws unless `"" + process.env.SYSTEM_UNSAFEALLOWMULTILINESECRET`
 *   upper-cased is exactly `TRUE` (azure-pipelines-task-lib node/task.ts, setVariable): no trimming,
 *   so `'true '` is not lifted; and a secret variable never reaches the environment (the agent
 *   hands secrets over apart, task-lib keeps them in its vault), so a secret guard is not lifted
 *   for task-lib whatever its value;
 * - the agent's knob (azure-pipelines-agent AgentKnobs.AllowUnsafeMultilineSecret, read with
 *   StringUtil.ConvertToBoolean) accepts `true` in any case (also `1` and `$true`, which task-lib
 *   refuses), without trimming either.
 * Lifted only when both agree: a public variable whose value is `true` in any case.
 */
export function guardLifted(guard: GuardVariable): boolean {
  return guard !== undefined && !guard.secret && guard.value.toUpperCase() === 'TRUE';
}

export type GuardPlan =
  | { lift: false }
  /** The guard cannot be lifted: task-lib keeps a variable that was secret secret ("once a
   * secret, always a secret", setVariable), so setting it again never reaches the environment. */
  | { lift: false; blocked: true }
  /** Lift it (public `true`) before the variables, then put back `restore` after them. */
  | { lift: true; restore: { value: string; secret: boolean } };

/**
 * Lifting the guard lifts it for the rest of the job (the agent's knob reads the variable from then
 * on), so it is lifted only when a value needs it and put back exactly as it was afterwards: same
 * value, same secrecy (a guard that was secret is set back as a secret, so neither its value nor a
 * lifted guard outlives the step); a job without the variable gets `false`.
 */
export function planGuard(needsMultiLine: boolean, guard: GuardVariable): GuardPlan {
  if (!needsMultiLine || guardLifted(guard)) return { lift: false };
  if (guard?.secret) return { lift: false, blocked: true };
  return { lift: true, restore: guard ?? { value: 'false', secret: false } };
}
