import { quote } from '../report/safeText';

/**
 * Parses a pickList input: one of `allowed`, matched ignoring case (YAML users type them);
 * empty means the default. The error lists the allowed values.
 */
export function parseChoiceInput<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T,
): { value: T } | { error: string } {
  const text = raw?.trim() ?? '';
  if (text === '') return { value: fallback };
  const value = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  return value !== undefined
    ? { value }
    : {
        error: `${name} is ${quote(text)}; expected one of: ${allowed.map((a) => `'${a}'`).join(', ')} (default '${fallback}').`,
      };
}

/**
 * Parses a boolean input as the agent hands it (`true`/`false`, any case); empty means false.
 * task-lib's getBoolInput reads anything but "true" as false, which would turn a typo such as
 * `yes` into a silent no: here it is an error.
 */
export function parseBooleanInput(
  name: string,
  raw: string | undefined,
): { value: boolean } | { error: string } {
  const parsed = parseChoiceInput(name, raw, ['true', 'false'], 'false');
  return 'error' in parsed ? parsed : { value: parsed.value === 'true' };
}
