/**
 * What to register with the agent's masker for one secret value. The agent masks each output line
 * on its own, so a value with line breaks never matches whole: every non-empty line is registered
 * on its own (agent-contract.md §6). Blank lines are not registered: masking a lone space
 * would garble every later log line and hide nothing secret.
 */
export function masksFor(value: string): string[] {
  const lines = value.split(/\r\n|\r|\n/).filter((line) => line.trim().length > 0);
  return [...new Set(lines)];
}

export function isMultiLine(value: string): boolean {
  return /[\r\n]/.test(value);
}
