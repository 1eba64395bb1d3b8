/**
 * Who may call a vault: bearer-token validation (docs/azure-protocols.md §2 "The 401 challenge", AKV10022,
 * AKV10032) and the two authorisation models, RBAC and access policies.
 */
import { createHash } from 'node:crypto';
import type { AccessTokenClaims, TokenSigner } from './tokens';
import * as errors from './vaultErrors';

export type Permission = 'get' | 'list' | 'set';

export interface TokenCheck {
  signer: TokenSigner;
  nowSeconds: () => number;
  /** Accepted audiences (the vault's resource, with and without a trailing slash). */
  audiences: string[];
  tenantId: string;
  /** Issuers Entra uses for a tenant (sts.windows.net/{t}/ and the other clouds' forms). */
  issuersOf: (tenantId: string) => string[];
}

export type Authentication =
  { ok: true; claims: AccessTokenClaims } | { ok: false; error: errors.VaultError };

/** The token of an `Authorization: Bearer …` header; anything else counts as no token. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * Validates an emulator-issued token. Expiry has no clock-skew allowance (the service allows a few
 * minutes) so tests can expire a token by moving the emulator clock one token lifetime ahead.
 */
export function authenticate(token: string, check: TokenCheck): Authentication {
  const verified = check.signer.verify(token);
  if (!verified.ok)
    return { ok: false, error: errors.unresolvedSigningKey(verified.encodedHeader) };
  const claims = verified.claims;
  if (typeof claims.exp !== 'number' || claims.exp <= check.nowSeconds()) {
    return { ok: false, error: errors.expiredToken() };
  }
  if (!check.audiences.includes(String(claims.aud))) {
    return {
      ok: false,
      error: errors.invalidAudience(check.audiences[0] ?? '', String(claims.aud)),
    };
  }
  if (
    claims.tid !== check.tenantId ||
    !check.issuersOf(check.tenantId).includes(String(claims.iss))
  ) {
    return { ok: false, error: errors.invalidIssuer(check.tenantId, String(claims.iss)) };
  }
  return { ok: true, claims };
}

/** Grants of one vault, by appId. RBAC and access policies differ only in how denials read. */
export class VaultAccess {
  private readonly grants = new Map<string, Set<Permission>>();

  grant(appId: string, permissions: Permission[]): void {
    const key = appId.toLowerCase();
    const current = this.grants.get(key) ?? new Set<Permission>();
    for (const p of permissions) current.add(p);
    this.grants.set(key, current);
  }

  revoke(appId: string): void {
    this.grants.delete(appId.toLowerCase());
  }

  allows(appId: string, permission: Permission): boolean {
    return this.grants.get(appId.toLowerCase())?.has(permission) ?? false;
  }

  hasAny(appId: string): boolean {
    return (this.grants.get(appId.toLowerCase())?.size ?? 0) > 0;
  }
}

/** RBAC data actions per permission (Key Vault Secrets User / Officer role definitions). */
export const RBAC_ACTIONS: Record<Permission, string> = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
};

/** `x-ms-keyvault-rbac-assignment-id`: 32 hex digits, the same for every call of one caller. */
export function assignmentId(vaultName: string, appId: string): string {
  return createHash('sha256')
    .update(`${vaultName}|${appId.toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}
