/** The attributes that decide whether a secret can be used now. */
export interface ValidityAttributes {
  enabled: boolean | undefined;
  notBefore: Date | undefined;
  expiresOn: Date | undefined;
}

export type SkipReason = 'disabled' | 'expired' | 'not yet valid';

/**
 * Whether a pipeline could use the secret now: Key Vault refuses disabled ones, and returns
 * expired or not-yet-valid ones normally (the `nbf`/`exp` attributes are informational; see
 * https://learn.microsoft.com/azure/key-vault/secrets/about-secrets#secret-attributes), so what
 * to do with those is our choice. `now` is the run's one clock reading.
 */
export function skipReason(secret: ValidityAttributes, now: Date): SkipReason | undefined {
  if (secret.enabled === false) return 'disabled';
  if (secret.expiresOn && secret.expiresOn.getTime() <= now.getTime()) return 'expired';
  if (secret.notBefore && secret.notBefore.getTime() > now.getTime()) return 'not yet valid';
  return undefined;
}
