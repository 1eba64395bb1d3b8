/**
 * One emulated vault: the Key Vault secrets data plane as docs/azure-protocols.md §2 and the recordings in
 * test/fixtures/recordings describe it (routes, challenge, errors, paging, headers).
 */
import { createHash, randomUUID } from 'node:crypto';
import { jsonReply, type HostService, type IncomingCall, type Reply } from './hostService';
import { takePage } from './paging';
import { pemOfPfx } from './vaultCertificates';
import {
  bundleJson,
  byName,
  currentVersion,
  itemJson,
  SECRET_NAME,
  SecretStore,
  type Retention,
  type SecretEntry,
  type SecretVersion,
} from './secretStore';
import { SlidingWindowLimiter } from './throttle';
import type { TokenSigner } from './tokens';
import type { EmulatedVault, SecretSeed, VaultOptions } from './types';
import {
  assignmentId,
  authenticate,
  bearerToken,
  RBAC_ACTIONS,
  VaultAccess,
  type Permission,
} from './vaultAuth';
import * as errors from './vaultErrors';
import { KIND, parseOperation, parseSetBody, PERMISSION } from './vaultRoutes';

/** What a vault needs from the rest of the emulator. */
export interface VaultEnvironment {
  signer: TokenSigner;
  now: () => number; // epoch ms
  issuersOf: (tenantId: string) => string[];
}

/** api-versions the SDK knows (docs/azure-protocols.md §2); anything else is refused as the service does. */
export const API_VERSIONS = [
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '7.5',
  '7.6-preview.2',
  '7.6',
  '2025-07-01',
  '2026-04-01',
];
const LATEST_API_VERSION = '2026-04-01';
const SERVICE_VERSION = '1.9.3070.2'; // as recorded in April 2026
const MAX_PAGE_SIZE = 25;
const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

export class KeyVaultService implements EmulatedVault, HostService {
  readonly name: string;
  readonly host: string;
  readonly url: string;
  private readonly tenantId: string;
  private readonly resource: string;
  private readonly accessModel: 'rbac' | 'accessPolicy';
  private readonly pageSize: number;
  private readonly leadingEmptyPages: number;
  private readonly region: string;
  private readonly retention: Retention;
  private readonly armId: string;
  private readonly authorityHost: string;
  private readonly store: SecretStore;
  private readonly access = new VaultAccess();
  private readonly limiter?: SlidingWindowLimiter;
  private readonly retryAfter: boolean;
  private readonly rewriteNextLink: (nextLink: string) => string;

  constructor(
    options: VaultOptions,
    private readonly env: VaultEnvironment,
  ) {
    if (!VAULT_NAME.test(options.name)) {
      throw new Error(
        `Invalid vault name '${options.name}': 3-24 letters, digits and hyphens, starting with a letter, ` +
          'ending with a letter or digit, no "--".',
      );
    }
    const dnsSuffix = (options.dnsSuffix ?? 'vault.azure.net').toLowerCase();
    this.name = options.name;
    this.host = `${options.name.toLowerCase()}.${dnsSuffix}`;
    this.url = `https://${this.host}`;
    this.tenantId = options.tenantId;
    this.resource = options.resource ?? `https://${dnsSuffix}`;
    this.accessModel = options.accessModel ?? 'rbac';
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.leadingEmptyPages = options.leadingEmptyPages ?? 0;
    this.region = options.region ?? 'westus';
    this.retention = retentionFor(options.softDeleteRetentionDays ?? 90);
    this.authorityHost = options.authorityHost ?? authorityHostFor(dnsSuffix);
    const subscription = options.subscriptionId ?? uuidFrom(`subscription|${options.name}`);
    const group = options.resourceGroup ?? `rg-${options.name}`;
    this.armId = `/subscriptions/${subscription}/resourcegroups/${group}/providers/microsoft.keyvault/vaults/${options.name}`;
    this.store = new SecretStore(() => Math.floor(env.now() / 1000));
    if (options.throttle) {
      this.limiter = new SlidingWindowLimiter(
        options.throttle.limit,
        options.throttle.windowMs,
        env.now,
      );
    }
    this.retryAfter = options.throttle?.retryAfter ?? true;
    this.rewriteNextLink = options.rewriteNextLink ?? ((link) => link);
  }

  // --- EmulatedVault -------------------------------------------------------------------------

  setSecret(name: string, seed: SecretSeed | string): string {
    return this.store.add(name, typeof seed === 'string' ? { value: seed } : seed).version;
  }

  grant(appId: string, permissions: Permission[] = ['get', 'list']): void {
    this.access.grant(appId, permissions);
  }

  revoke(appId: string): void {
    this.access.revoke(appId);
  }

  // --- HostService ---------------------------------------------------------------------------

  classify(call: IncomingCall): string {
    if (bearerToken(call.headers.authorization) === undefined) return 'kv.challenge';
    return KIND[parseOperation(call.method, call.path).op];
  }

  baseHeaders(call: IncomingCall): Record<string, string> {
    const clientRequestId = call.headers['x-ms-client-request-id'];
    const ipv6 = call.clientAddress.includes(':');
    return {
      'Cache-Control': 'no-cache',
      Pragma: 'no-cache',
      Expires: '-1',
      'Strict-Transport-Security': 'max-age=31536000;includeSubDomains',
      'X-Content-Type-Options': 'nosniff',
      ...(clientRequestId !== undefined && { 'x-ms-client-request-id': clientRequestId }),
      'x-ms-request-id': randomUUID(),
      'x-ms-keyvault-region': this.region,
      'x-ms-keyvault-service-version': SERVICE_VERSION,
      'x-ms-keyvault-network-info': ipv6
        ? `conn_type=Ipv6;addr=${call.clientAddress};act_addr_fam=InterNetworkV6;`
        : `conn_type=Ipv4;addr=${call.clientAddress};act_addr_fam=InterNetwork;`,
    };
  }

  handle(call: IncomingCall, kind: string): Reply | Promise<Reply> {
    const base = this.baseHeaders(call);
    const token = bearerToken(call.headers.authorization);
    if (kind === 'kv.challenge' || token === undefined)
      return this.unauthorized(base, errors.missingToken());

    const auth = authenticate(token, {
      signer: this.env.signer,
      nowSeconds: () => Math.floor(this.env.now() / 1000),
      audiences: [this.resource, `${this.resource}/`],
      tenantId: this.tenantId,
      issuersOf: this.env.issuersOf,
    });
    if (!auth.ok) return this.unauthorized(base, auth.error);
    const caller = { appid: auth.claims.appid, oid: auth.claims.oid, iss: auth.claims.iss };
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}): Reply => ({
      ...jsonReply(status, { ...base, ...extra }, body),
      caller: caller.appid,
    });
    const fail = (e: errors.VaultError, authorised = true): Reply =>
      reply(e.status, e.body, authorised ? this.assignmentHeader(caller.appid) : {});

    const operation = parseOperation(call.method, call.path);
    if (this.limiter && operation.op !== 'set' && operation.op !== 'unknown') {
      const slot = this.limiter.tryAcquire();
      if (!slot.ok) {
        const e = errors.throttled();
        return reply(
          e.status,
          e.body,
          this.retryAfter ? { 'Retry-After': String(slot.retryAfterSeconds) } : {},
        );
      }
    }

    const apiVersion = call.query['api-version'];
    if (apiVersion === undefined) return fail(errors.missingApiVersion());
    if (!API_VERSIONS.includes(apiVersion))
      return fail(errors.unknownApiVersion(apiVersion, LATEST_API_VERSION));
    if (operation.op === 'unknown') return fail(errors.notEmulated(call.method, call.path));
    if ('name' in operation && !SECRET_NAME.test(operation.name))
      return fail(errors.invalidName(operation.name));

    const permission = PERMISSION[operation.op];
    if (!this.access.allows(caller.appid, permission)) {
      const name = 'name' in operation ? operation.name : undefined;
      return fail(this.denial(caller, permission, name), false);
    }

    const ok = (body: unknown): Reply => reply(200, body, this.assignmentHeader(caller.appid));
    const baseUrl = `https://${call.hostHeader}`;
    switch (operation.op) {
      case 'get':
      case 'getVersion': {
        const found = this.lookup(
          operation.name,
          operation.op === 'getVersion' ? operation.version : undefined,
        );
        if ('error' in found) return fail(found.error);
        const outContentType = supportsOutContentType(apiVersion)
          ? call.query.outContentType
          : undefined;
        const transform = checkOutContentType(outContentType, found.version);
        if (transform) return fail(transform);
        const answer = (version: SecretVersion): Reply =>
          ok(bundleJson(baseUrl, found.entry, version, this.retention));
        if (!needsPemConversion(outContentType, found.version)) return answer(found.version);
        return pemOfPfx(found.version.value).then(
          (pem) => answer({ ...found.version, value: pem, contentType: PEM_CONTENT_TYPE }),
          () => fail(errors.unsupportedTransformation('PEM')),
        );
      }
      case 'list':
      case 'listVersions':
        return this.list(call, operation, baseUrl, ok, fail);
      case 'set': {
        const parsed = parseSetBody(call.body);
        if ('error' in parsed) return fail(parsed.error);
        const version = this.store.add(operation.name, parsed.seed);
        const entry = this.store.find(operation.name) as SecretEntry;
        return ok(bundleJson(baseUrl, entry, version, this.retention));
      }
    }
  }

  // --- internals -----------------------------------------------------------------------------

  private unauthorized(base: Record<string, string>, e: errors.VaultError): Reply {
    // Every vault 401 carries the challenge; its tenant is the path of `authorization`, with no
    // trailing slash, or the SDK reads a wrong tenant (docs/azure-protocols.md §2).
    const challenge = `Bearer authorization="https://${this.authorityHost}/${this.tenantId}", resource="${this.resource}"`;
    return jsonReply(e.status, { ...base, 'WWW-Authenticate': challenge }, e.body);
  }

  /** The RBAC assignment header goes on authorised answers of RBAC vaults only. */
  private assignmentHeader(appId: string): Record<string, string> {
    return this.accessModel === 'rbac' && this.access.hasAny(appId)
      ? { 'x-ms-keyvault-rbac-assignment-id': assignmentId(this.name, appId) }
      : {};
  }

  private denial(
    caller: errors.CallerIdentity,
    permission: Permission,
    secretName: string | undefined,
  ): errors.VaultError {
    const vault = { name: this.name, region: this.region };
    if (this.accessModel === 'accessPolicy') return errors.accessDenied(caller, permission, vault);
    // Listing all secrets is authorised on the vault; everything else on the secret.
    const resource = secretName === undefined ? this.armId : `${this.armId}/secrets/${secretName}`;
    return errors.forbiddenByRbac({ caller, action: RBAC_ACTIONS[permission], resource, vault });
  }

  private lookup(
    name: string,
    version: string | undefined,
  ): { entry: SecretEntry; version: SecretVersion } | { error: errors.VaultError } {
    const entry = this.store.find(name);
    if (version === undefined) {
      if (!entry) return { error: errors.secretNotFound(name) };
      const current = currentVersion(entry);
      if (!current.enabled) return { error: errors.secretDisabled('get') };
      return { entry, version: current };
    }
    const found = entry?.versions.find((v) => v.version === version.toLowerCase());
    if (!entry || !found) return { error: errors.secretNotFound(`${name}/${version}`) };
    if (!found.enabled) return { error: errors.secretDisabled('get') };
    return { entry, version: found };
  }

  private list(
    call: IncomingCall,
    operation: { op: 'list' } | { op: 'listVersions'; name: string },
    baseUrl: string,
    ok: (body: unknown) => Reply,
    fail: (e: errors.VaultError) => Reply,
  ): Reply {
    const maxResults = call.query.maxresults;
    let pageSize = this.pageSize;
    if (maxResults !== undefined) {
      const n = Number(maxResults);
      if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
        return fail(errors.invalidMaxResults(maxResults));
      pageSize = Math.min(pageSize, n);
    }
    const request = {
      skipToken: call.query.$skiptoken,
      pageSize,
      leadingEmptyPages: this.leadingEmptyPages,
    };

    let values: unknown[];
    let nextToken: string | null;
    if (operation.op === 'list') {
      const page = takePage(this.store.all(), (e) => e.name, request);
      if (!page.ok) return fail(errors.badRequestBody(page.reason));
      values = page.items.map((e) =>
        itemJson(baseUrl, e, currentVersion(e), this.retention, false),
      );
      nextToken = page.nextToken;
    } else {
      // Versions come in ascending version-id order (listoperations recording); a missing secret
      // lists as empty, not 404 (list…versions_non_existing recording).
      const entry = this.store.find(operation.name);
      const versions = entry
        ? [...entry.versions].sort((a, b) => byName(a.version, b.version))
        : [];
      const page = takePage(versions, (v) => v.version, request);
      if (!page.ok) return fail(errors.badRequestBody(page.reason));
      values = entry
        ? page.items.map((v) => itemJson(baseUrl, entry, v, this.retention, true))
        : [];
      nextToken = page.nextToken;
    }
    return ok({
      value: values,
      nextLink:
        nextToken === null
          ? null
          : this.rewriteNextLink(this.nextLink(call, nextToken, maxResults)),
    });
  }

  /** Absolute, with an explicit port, api-version first, then $skiptoken and maxresults (recorded form). */
  private nextLink(call: IncomingCall, token: string, maxResults: string | undefined): string {
    const hostWithPort = /:\d+$/.test(call.hostHeader) ? call.hostHeader : `${call.hostHeader}:443`;
    const apiVersion = call.query['api-version'] ?? LATEST_API_VERSION;
    const max = maxResults === undefined ? '' : `&maxresults=${maxResults}`;
    return `https://${hostWithPort}${call.path}?api-version=${apiVersion}&$skiptoken=${token}${max}`;
  }
}

const PFX_CONTENT_TYPE = 'application/x-pkcs12';
const PEM_CONTENT_TYPE = 'application/x-pem-file';

/**
 * `outContentType` came with api-version 2025-07-01 (@azure/keyvault-secrets 4.11, whose
 * `GetSecretOptions.outContentType` documents it); older versions ignore the parameter, as Key
 * Vault ignores unknown query parameters.
 */
function supportsOutContentType(apiVersion: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(apiVersion) && apiVersion >= '2025-07-01';
}

/**
 * `outContentType` converts a certificate-backed PFX secret to PEM; asked of any other secret the
 * service answers the recorded 400 ("The 'Unsupported' to 'PEM' transformation is not supported.
 * Only PFX to PEM transformation is supported."). A certificate's secret asked for the format it
 * is stored in comes back as stored; a PEM one asked for PFX is refused the same way.
 */
function checkOutContentType(
  outContentType: string | undefined,
  version: SecretVersion,
): errors.VaultError | undefined {
  if (outContentType === undefined) return undefined;
  if (!version.managed) {
    if (outContentType === PEM_CONTENT_TYPE) return errors.unsupportedTransformation('PEM');
    if (outContentType === PFX_CONTENT_TYPE) return errors.unsupportedTransformation('PFX');
    return undefined;
  }
  if (outContentType === PFX_CONTENT_TYPE && version.contentType === PEM_CONTENT_TYPE)
    return errors.unsupportedTransformation('PFX', 'PEM');
  return undefined;
}

function needsPemConversion(outContentType: string | undefined, version: SecretVersion): boolean {
  return (
    outContentType === PEM_CONTENT_TYPE &&
    version.managed &&
    version.contentType === PFX_CONTENT_TYPE
  );
}

/** 90 days is the default retention (`Recoverable+Purgeable`); a shorter one is "customized". */
function retentionFor(days: number): Retention {
  if (!Number.isInteger(days) || days < 7 || days > 90) {
    throw new Error(`Invalid softDeleteRetentionDays ${days}: Key Vault allows 7 to 90.`);
  }
  return {
    recoveryLevel: days === 90 ? 'Recoverable+Purgeable' : 'CustomizedRecoverable+Purgeable',
    recoverableDays: days,
  };
}

function authorityHostFor(dnsSuffix: string): string {
  if (dnsSuffix.endsWith('azure.cn')) return 'login.chinacloudapi.cn';
  if (dnsSuffix.endsWith('usgovcloudapi.net')) return 'login.microsoftonline.us';
  return 'login.microsoftonline.com';
}

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
