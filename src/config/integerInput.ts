import { quote } from '../report/safeText';

export interface IntegerRange {
  min: number;
  max: number;
  default: number;
}

/** Parses a whole-number input within a range; empty means the default. */
export function parseIntegerInput(
  name: string,
  raw: string | undefined,
  range: IntegerRange,
): { value: number } | { error: string } {
  const text = raw?.trim() ?? '';
  if (text === '') return { value: range.default };
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value) || value < range.min || value > range.max) {
    return {
      error: `${name} is ${quote(text)}; it must be a whole number from ${range.min} to ${range.max} (default ${range.default}).`,
    };
  }
  return { value };
}

export const CONCURRENCY: IntegerRange = { min: 1, max: 64, default: 16 };
export const REQUEST_TIMEOUT_SECONDS: IntegerRange = { min: 1, max: 600, default: 30 };
export const TIMEOUT_SECONDS: IntegerRange = { min: 1, max: 3600, default: 300 };
/** Days before expiry that a secret set by the run gives a warning; 0 turns the warning off. */
export const EXPIRY_WARNING_DAYS: IntegerRange = { min: 0, max: 3650, default: 30 };
/** Age in days of a secret's current version that gives a rotation warning; 0 (default) is off. */
export const ROTATION_WARNING_DAYS: IntegerRange = { min: 0, max: 3650, default: 0 };
