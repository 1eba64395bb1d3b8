/**
 * The warning windows over a secret's dates: about to expire (ExpiryWarningDays) and not rotated
 * for too long (RotationWarningDays). Pure: every function takes the run's one `now`.
 */

export const DAY_MS = 86_400_000;

/** Where a secret's expiry stands at `now`. */
export type ExpiryState =
  | { kind: 'expired' }
  /** Expires within the warning window; `daysLeft` counts whole days (0: within a day). */
  | { kind: 'expiring'; daysLeft: number };

/**
 * Expired (at or before `now`), expiring within `warningDays` days (0 turns the window off; an
 * expired secret is reported either way), or undefined: no expiry, or far enough away.
 */
export function expiryState(
  expiresOn: Date | undefined,
  now: Date,
  warningDays: number,
): ExpiryState | undefined {
  if (!expiresOn) return undefined;
  const left = expiresOn.getTime() - now.getTime();
  if (left <= 0) return { kind: 'expired' };
  if (warningDays > 0 && left <= warningDays * DAY_MS) {
    return { kind: 'expiring', daysLeft: Math.floor(left / DAY_MS) };
  }
  return undefined;
}

/**
 * The age in whole days of a secret's current version when it is older than `rotationDays` days
 * (0 turns the check off), else undefined. A version's `created` date is when its value was set:
 * later attribute changes move `updated`, not the value's age, so `created` is what counts.
 */
export function rotationDue(
  versionCreatedOn: Date | undefined,
  now: Date,
  rotationDays: number,
): { ageDays: number } | undefined {
  if (!versionCreatedOn || rotationDays <= 0) return undefined;
  const age = now.getTime() - versionCreatedOn.getTime();
  return age > rotationDays * DAY_MS ? { ageDays: Math.floor(age / DAY_MS) } : undefined;
}
