import { expiringMessage, rotationMessage } from '../report/validityMessages';
import { expiryState, rotationDue } from '../secrets/validityWindows';
import type { SecretProperties } from '../vault/secretSource';
import type { PlannedVariable } from './plan';

export interface WarningWindows {
  /** ExpiryWarningDays; 0 is off. */
  expiryDays: number;
  /** RotationWarningDays; 0 is off. */
  rotationDays: number;
}

/**
 * One expiry warning and one rotation warning per secret version the plan sets, not per variable
 * (JSON fields of one secret share its dates). An expired secret is not "expiring": the planner's
 * ExpiredSecrets rule speaks for it.
 */
export function validityWarnings(
  vaultName: string,
  variables: readonly PlannedVariable[],
  windows: WarningWindows,
  now: Date,
): string[] {
  const seen = new Set<string>();
  const versions: SecretProperties[] = [];
  for (const variable of variables) {
    const key = `${variable.properties.name.toLowerCase()}/${variable.properties.version ?? ''}`;
    if (!seen.has(key)) versions.push(variable.properties);
    seen.add(key);
  }
  return versions.flatMap((properties) => {
    const warnings: string[] = [];
    const expiry = expiryState(properties.expiresOn, now, windows.expiryDays);
    if (expiry?.kind === 'expiring' && properties.expiresOn) {
      warnings.push(
        expiringMessage({
          secretName: properties.name,
          vaultName,
          expiresOn: properties.expiresOn,
          daysLeft: expiry.daysLeft,
          warningDays: windows.expiryDays,
        }),
      );
    }
    const rotation = rotationDue(properties.createdOn, now, windows.rotationDays);
    if (rotation && properties.createdOn) {
      warnings.push(
        rotationMessage({
          secretName: properties.name,
          vaultName,
          createdOn: properties.createdOn,
          ageDays: rotation.ageDays,
          rotationDays: windows.rotationDays,
        }),
      );
    }
    return warnings;
  });
}
