import { quote } from '../report/safeText';

/**
 * Parses a boolean input; empty means the default. The agent hands booleans over as text and
 * task-lib's getBoolInput reads anything but "true" as false, so a typo would silently mean
 * false: here it is an input error instead.
 */
export function parseBooleanInput(
  name: string,
  raw: string | undefined,
  defaultValue: boolean,
): { value: boolean } | { error: string } {
  const text = raw?.trim() ?? '';
  if (text === '') return { value: defaultValue };
  if (/^true$/i.test(text)) return { value: true };
  if (/^false$/i.test(text)) return { value: false };
  return {
    error: `${name} is ${quote(text)}; it must be true or false (default ${String(defaultValue)}).`,
  };
}
