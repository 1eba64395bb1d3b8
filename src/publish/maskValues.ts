/**
 * Characters that only give a document its shape: JSON, YAML flow style, INI and most config
 * formats open, close and separate with these. A line made of nothing else carries no secret.
 */
const STRUCTURE_ONLY = /^[\s{}[\]()<>,;:"'`]*$/u;

/**
 * What to register with the agent's masker for one secret value.
 *
 * The agent masks each output line on its own, so a multi-line value never matches whole: its
 * lines are registered one by one (azure-pipelines-agent, SecretMasker works per line). But every
 * registered line is masked in every later step of the job, wherever it appears: registering `{`
 * or `  },` of a JSON value would turn a later `{"status": "ok"}` into `***"status": "ok"***`.
 *
 * The rule, line by line (split on `\r\n`, `\r`, `\n`):
 * - a line made only of whitespace and structural characters (braces, brackets, parentheses,
 *   angle brackets, commas, colons, semicolons, quotes) is not registered: it is the same in every
 *   document of that format, so it tells nothing about the secret, and masking it garbles logs;
 * - every other line is registered exactly as it is, however short: a letter, digit or any other
 *   symbol (`=`, `-`, `+`, `/`, `!`, …) can be part of the secret, such as the `Q==` that ends a
 *   base64 block or a password on its own line;
 * - a single-line value is registered whole whatever it holds (it *is* the secret), unless it is
 *   empty or blank: masking a lone space would garble every later log line and hide nothing.
 * Each line once, in order of first appearance.
 */
export function masksFor(value: string): string[] {
  if (!isMultiLine(value)) return value.trim().length > 0 ? [value] : [];
  const lines = value.split(/\r\n|\r|\n/).filter((line) => !STRUCTURE_ONLY.test(line));
  return [...new Set(lines)];
}

export function isMultiLine(value: string): boolean {
  return /[\r\n]/.test(value);
}
