/** The tenants and service principals of the emulated Entra ID. */
import { randomUUID } from 'node:crypto';
import type { ServicePrincipalOptions } from './types';

export interface ServicePrincipal extends ServicePrincipalOptions {
  objectId: string;
}

/** Tenant names that exist in every cloud (used in authority URLs, never in tokens). */
const WELL_KNOWN_TENANTS = new Set(['common', 'organizations', 'consumers']);

export class Directory {
  private readonly tenants = new Set<string>();
  private readonly principals = new Map<string, ServicePrincipal>();

  addTenant(tenantId: string): void {
    this.tenants.add(tenantId.toLowerCase());
  }

  addServicePrincipal(options: ServicePrincipalOptions): ServicePrincipal {
    const principal: ServicePrincipal = { ...options, objectId: options.objectId ?? randomUUID() };
    this.addTenant(options.tenantId);
    this.principals.set(key(options.tenantId, options.appId), principal);
    return principal;
  }

  find(tenantId: string, appId: string): ServicePrincipal | undefined {
    return this.principals.get(key(tenantId, appId));
  }

  /** A tenant exists once a vault or a service principal names it. */
  isKnownTenant(tenantId: string): boolean {
    return this.tenants.has(tenantId.toLowerCase());
  }

  isWellKnownTenantName(tenant: string): boolean {
    return WELL_KNOWN_TENANTS.has(tenant.toLowerCase());
  }
}

const key = (tenantId: string, appId: string): string =>
  `${tenantId.toLowerCase()}/${appId.toLowerCase()}`;
