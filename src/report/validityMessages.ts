/** The warning issues of the expiry and rotation windows (secrets/validityWindows.ts). */
import { formatDate } from './markdown';
import { quote } from './safeText';

function days(count: number): string {
  return count === 1 ? '1 day' : `${count} days`;
}

/** "in 19 days", or "within a day". */
export function timeLeft(daysLeft: number): string {
  return daysLeft === 0 ? 'within a day' : `in ${days(daysLeft)}`;
}

export function expiringMessage(input: {
  secretName: string;
  vaultName: string;
  expiresOn: Date;
  daysLeft: number;
  warningDays: number;
}): string {
  const name = quote(input.secretName);
  return `Secret ${name} in vault '${input.vaultName}' expires on ${formatDate(input.expiresOn)} (${timeLeft(input.daysLeft)}; ExpiryWarningDays is ${input.warningDays}). Set a new version before then (az keyvault secret set --vault-name ${input.vaultName} --name ${input.secretName} --expires <date> …), or move its expiry (az keyvault secret set-attributes --vault-name ${input.vaultName} --name ${input.secretName} --expires <date>).`;
}

export function rotationMessage(input: {
  secretName: string;
  vaultName: string;
  createdOn: Date;
  ageDays: number;
  rotationDays: number;
}): string {
  const name = quote(input.secretName);
  return `Secret ${name} in vault '${input.vaultName}' has had the same value for ${days(input.ageDays)}: its current version was created on ${formatDate(input.createdOn)} (RotationWarningDays is ${input.rotationDays}). Rotate it: change the credential at its source, then set the new value as a new version (az keyvault secret set --vault-name ${input.vaultName} --name ${input.secretName} …).`;
}
