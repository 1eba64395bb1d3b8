/**
 * The secrets of one vault: names, versions and attributes, plus their JSON forms with the key
 * orders the service uses (test/fixtures/recordings; docs/azure-protocols.md §2 "Bodies").
 */
import { randomUUID } from 'node:crypto';
import type { SecretSeed } from './types';

export interface SecretVersion {
  version: string;
  value: string;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  contentType?: string;
  tags?: Record<string, string>;
  managed: boolean;
  created: number;
  updated: number;
}

export interface SecretEntry {
  /** The name as first created: Key Vault keeps that spelling and matches any case. */
  name: string;
  /** In creation order; the last one is the current version. */
  versions: SecretVersion[];
}

/** Soft-delete settings echoed in every `attributes` object. */
export interface Retention {
  recoveryLevel: string;
  recoverableDays: number;
}

export const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION_ID = /^[0-9a-f]{32}$/;

/** Case-insensitive order of names. Names hold only [0-9A-Za-z-], so lower-casing is ordinal-safe. */
export const byName = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

export class SecretStore {
  private readonly entries = new Map<string, SecretEntry>();

  constructor(private readonly nowSeconds: () => number) {}

  /** Adds a version. Throws on a name or version id Key Vault would not accept. */
  add(name: string, seed: SecretSeed): SecretVersion {
    if (!SECRET_NAME.test(name)) {
      throw new Error(
        `Invalid secret name '${name}': Key Vault allows 1-127 letters, digits and hyphens.`,
      );
    }
    const version = seed.version ?? randomUUID().replace(/-/g, '');
    if (!VERSION_ID.test(version)) {
      throw new Error(
        `Invalid version id '${version}' for secret '${name}': expected 32 lower-case hex digits.`,
      );
    }
    const now = this.nowSeconds();
    const entry = this.entries.get(name.toLowerCase()) ?? { name, versions: [] };
    const created = seed.created ?? now;
    const stored: SecretVersion = {
      version,
      value: seed.value,
      enabled: seed.enabled ?? true,
      ...(seed.nbf !== undefined && { nbf: seed.nbf }),
      ...(seed.exp !== undefined && { exp: seed.exp }),
      ...(seed.contentType !== undefined && { contentType: seed.contentType }),
      ...(seed.tags !== undefined && { tags: { ...seed.tags } }),
      managed: seed.managed ?? false,
      created,
      updated: seed.updated ?? created,
    };
    entry.versions = entry.versions.filter((v) => v.version !== version).concat(stored);
    this.entries.set(name.toLowerCase(), entry);
    return stored;
  }

  find(name: string): SecretEntry | undefined {
    return this.entries.get(name.toLowerCase());
  }

  /** Every secret with its current version, sorted case-insensitively by name. */
  all(): SecretEntry[] {
    return [...this.entries.values()].sort((a, b) => byName(a.name, b.name));
  }
}

export const currentVersion = (entry: SecretEntry): SecretVersion => {
  const latest = entry.versions[entry.versions.length - 1];
  if (!latest) throw new Error(`Secret '${entry.name}' has no versions`);
  return latest;
};

/** `attributes`, key order enabled, nbf, exp, created, updated, recoveryLevel, recoverableDays. */
export function attributesJson(v: SecretVersion, retention: Retention): Record<string, unknown> {
  return {
    enabled: v.enabled,
    ...(v.nbf !== undefined && { nbf: v.nbf }),
    ...(v.exp !== undefined && { exp: v.exp }),
    created: v.created,
    updated: v.updated,
    recoveryLevel: retention.recoveryLevel,
    recoverableDays: retention.recoverableDays,
  };
}

/**
 * SecretBundle (get, set): value, contentType, id, managed, attributes, tags, kid. The
 * certificates recording shows `value, contentType, id, managed, attributes, kid`; `tags` sits
 * where the list items put it.
 */
export function bundleJson(
  baseUrl: string,
  entry: SecretEntry,
  v: SecretVersion,
  retention: Retention,
): Record<string, unknown> {
  return {
    value: v.value,
    ...(v.contentType !== undefined && { contentType: v.contentType }),
    id: `${baseUrl}/secrets/${entry.name}/${v.version}`,
    ...(v.managed && { managed: true }),
    attributes: attributesJson(v, retention),
    ...(v.tags !== undefined && { tags: v.tags }),
    ...(v.managed && { kid: `${baseUrl}/keys/${entry.name}/${v.version}` }),
  };
}

/** SecretItem (lists): contentType, id, managed, attributes, tags; never `value`. */
export function itemJson(
  baseUrl: string,
  entry: SecretEntry,
  v: SecretVersion,
  retention: Retention,
  versioned: boolean,
): Record<string, unknown> {
  return {
    ...(v.contentType !== undefined && { contentType: v.contentType }),
    id: `${baseUrl}/secrets/${entry.name}${versioned ? `/${v.version}` : ''}`,
    ...(v.managed && { managed: true }),
    attributes: attributesJson(v, retention),
    ...(v.tags !== undefined && { tags: v.tags }),
  };
}
