/** The attributes that decide whether `*` includes a secret. */
export interface SecretAttributes {
  name: string;
  enabled: boolean | undefined;
  notBefore: Date | undefined;
  expiresOn: Date | undefined;
}

export type SkipReason = 'disabled' | 'expired' | 'not yet valid';

/**
 * `*` means every secret a pipeline could use now: Key Vault refuses disabled ones, and returns
 * expired or not-yet-valid ones normally (azure-wire.md §2), so filtering those is our choice.
 */
export function skipReason(secret: SecretAttributes, now: Date): SkipReason | undefined {
  if (secret.enabled === false) return 'disabled';
  if (secret.expiresOn && secret.expiresOn.getTime() <= now.getTime()) return 'expired';
  if (secret.notBefore && secret.notBefore.getTime() > now.getTime()) return 'not yet valid';
  return undefined;
}
