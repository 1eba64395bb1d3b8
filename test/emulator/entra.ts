/**
 * Entra ID as MSAL calls it (docs/azure-protocols.md §3): the v2.0 token endpoint for client credentials,
 * openid-configuration, instance discovery and the signing keys. One instance serves every
 * authority host; the host of each request decides the URLs it answers with.
 */
import { randomUUID } from 'node:crypto';
import { authenticateClient } from './clientAuth';
import type { Directory } from './directory';
import * as errors from './entraErrors';
import { jsonReply, type HostService, type IncomingCall, type Reply } from './hostService';
import type { DecodedJwt } from './jwt';
import { appOnlyClaims, type TokenSigner } from './tokens';

export interface EntraEnvironment {
  directory: Directory;
  signer: TokenSigner;
  now: () => number; // epoch ms
  tokenLifetimeSeconds: number;
  /** Authority hosts currently served (built-in clouds plus addAuthorityHost). */
  authorityHosts: () => string[];
  /** True when a federated assertion was signed by an issuer the emulator runs (Azure DevOps). */
  issuerSigned: (jwt: DecodedJwt) => boolean;
}

/** Instance-discovery metadata of the public clouds, as MSAL also has it built in. */
const CLOUD_METADATA = [
  {
    preferred_network: 'login.microsoftonline.com',
    preferred_cache: 'login.windows.net',
    aliases: [
      'login.microsoftonline.com',
      'login.windows.net',
      'login.microsoft.com',
      'sts.windows.net',
    ],
  },
  {
    preferred_network: 'login.partner.microsoftonline.cn',
    preferred_cache: 'login.partner.microsoftonline.cn',
    aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
  },
  {
    preferred_network: 'login.microsoftonline.us',
    preferred_cache: 'login.microsoftonline.us',
    aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  {
    preferred_network: 'login-us.microsoftonline.com',
    preferred_cache: 'login-us.microsoftonline.com',
    aliases: ['login-us.microsoftonline.com'],
  },
];

/** The `iss` of a v1 access token issued through `authorityHost`. */
export function issuerFor(authorityHost: string, tenantId: string): string {
  if (
    authorityHost === 'login.chinacloudapi.cn' ||
    authorityHost === 'login.partner.microsoftonline.cn'
  ) {
    return `https://sts.chinacloudapi.cn/${tenantId}/`;
  }
  if (CLOUD_METADATA.some((c) => c.aliases.includes(authorityHost)))
    return `https://sts.windows.net/${tenantId}/`;
  return `https://${authorityHost}/${tenantId}/`; // a custom (Azure Stack-like) authority issues in its own name
}

type Route =
  | { kind: 'entra.token'; tenant: string }
  | { kind: 'entra.openid'; tenant: string }
  | { kind: 'entra.keys'; tenant: string }
  | { kind: 'entra.discovery' }
  | { kind: 'unknown' };

function route(method: string, path: string): Route {
  let m: RegExpExecArray | null;
  if (method === 'POST' && (m = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/.exec(path))) {
    return { kind: 'entra.token', tenant: decodeURIComponent(m[1] ?? '') };
  }
  if (
    method === 'GET' &&
    (m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))
  ) {
    return { kind: 'entra.openid', tenant: decodeURIComponent(m[1] ?? '') };
  }
  if (method === 'GET' && (m = /^\/([^/]+)\/discovery\/v2\.0\/keys$/.exec(path))) {
    return { kind: 'entra.keys', tenant: decodeURIComponent(m[1] ?? '') };
  }
  if (method === 'GET' && path === '/common/discovery/instance') return { kind: 'entra.discovery' };
  return { kind: 'unknown' };
}

export class EntraService implements HostService {
  constructor(private readonly env: EntraEnvironment) {}

  /** Issuers a vault in `tenantId` accepts: one per served authority host, plus the v2.0 form. */
  issuersOf(tenantId: string): string[] {
    const issuers = this.env.authorityHosts().map((host) => issuerFor(host, tenantId));
    issuers.push(`https://login.microsoftonline.com/${tenantId}/v2.0`);
    return [...new Set(issuers)];
  }

  classify(call: IncomingCall): string {
    return route(call.method, call.path).kind;
  }

  baseHeaders(call: IncomingCall): Record<string, string> {
    const correlationId = this.correlationId(call);
    return {
      'Cache-Control': 'no-store, no-cache',
      Pragma: 'no-cache',
      Expires: '-1',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'X-Content-Type-Options': 'nosniff',
      'client-request-id': correlationId,
      'x-ms-request-id': randomUUID(),
      'x-ms-ests-server': '2.1.0.0 - local Azure emulator',
      'X-XSS-Protection': '0',
    };
  }

  handle(call: IncomingCall, kind: string): Reply {
    const r = route(call.method, call.path);
    const base = this.baseHeaders(call);
    switch (r.kind) {
      case 'entra.token':
        return this.token(call, r.tenant, base);
      case 'entra.openid':
        return this.openidConfiguration(call, r.tenant, base);
      case 'entra.keys':
        return jsonReply(200, base, this.env.signer.jwks());
      case 'entra.discovery':
        return this.instanceDiscovery(call, base);
      case 'unknown':
        return jsonReply(404, base, {
          error: 'not_found',
          error_description: `${kind}: ${call.method} ${call.path}`,
        });
    }
  }

  private token(call: IncomingCall, tenant: string, base: Record<string, string>): Reply {
    const form = new URLSearchParams(call.body);
    const fail = (e: errors.EntraError): Reply => this.error(call, base, e);
    if (!this.env.directory.isKnownTenant(tenant)) return fail(errors.tenantNotFound(tenant));
    const grantType = form.get('grant_type');
    if (grantType === null) return fail(errors.missingParameter('grant_type'));
    if (grantType !== 'client_credentials') return fail(errors.unsupportedGrantType(grantType));
    const clientId = form.get('client_id');
    if (clientId === null) return fail(errors.missingParameter('client_id'));
    const principal = this.env.directory.find(tenant, clientId);
    if (!principal) return fail(errors.applicationNotFound(clientId, tenant));

    const nowMs = this.env.now();
    const tokenEndpoint = `https://${call.host}/${tenant}/oauth2/v2.0/token`;
    const client = authenticateClient(form, principal, {
      tokenEndpoint,
      nowMs,
      issuerSigned: this.env.issuerSigned,
    });
    if (!client.ok) return fail(client.error);

    const scope = form.get('scope');
    if (scope === null) return fail(errors.missingParameter('scope'));
    // MSAL may add OIDC scopes; the resource is the one scope ending in /.default.
    const resourceScope = scope.split(' ').find((s) => s.endsWith('/.default'));
    if (!resourceScope) return fail(errors.invalidScope(scope));

    const lifetime = this.env.tokenLifetimeSeconds;
    const accessToken = this.env.signer.sign(
      appOnlyClaims({
        aud: resourceScope.slice(0, -'/.default'.length),
        iss: issuerFor(call.host, tenant),
        nowSeconds: Math.floor(nowMs / 1000),
        lifetimeSeconds: lifetime,
        appId: principal.appId,
        objectId: principal.objectId,
        tenantId: tenant,
        appidacr: client.method === 'client_secret' ? '1' : '2',
      }),
    );
    return {
      ...jsonReply(200, base, {
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: accessToken,
      }),
      caller: principal.appId,
    };
  }

  private openidConfiguration(
    call: IncomingCall,
    tenant: string,
    base: Record<string, string>,
  ): Reply {
    const directory = this.env.directory;
    if (!directory.isKnownTenant(tenant) && !directory.isWellKnownTenantName(tenant)) {
      return this.error(call, base, errors.tenantNotFound(tenant));
    }
    const root = `https://${call.host}/${tenant}`;
    // Multi-tenant names get the `{tenantid}` placeholder in `issuer`, as Entra answers.
    const issuerTenant = directory.isWellKnownTenantName(tenant) ? '{tenantid}' : tenant;
    return jsonReply(200, base, {
      token_endpoint: `${root}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${root}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `https://${call.host}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'appid'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    });
  }

  /**
   * Entra only knows the public clouds' hosts; a custom authority gets `invalid_instance`, which is
   * why real clients must disable instance discovery for Azure Stack (docs/azure-protocols.md §3).
   */
  private instanceDiscovery(call: IncomingCall, base: Record<string, string>): Reply {
    let endpoint: URL;
    try {
      endpoint = new URL(call.query.authorization_endpoint ?? '');
    } catch {
      return this.error(call, base, errors.missingParameter('authorization_endpoint'));
    }
    const host = endpoint.hostname.toLowerCase();
    if (!CLOUD_METADATA.some((c) => c.aliases.includes(host)))
      return this.error(call, base, errors.invalidInstance());
    const tenant = endpoint.pathname.split('/')[1] || 'common';
    return jsonReply(200, base, {
      tenant_discovery_endpoint: `https://${host}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: CLOUD_METADATA,
    });
  }

  private error(call: IncomingCall, base: Record<string, string>, e: errors.EntraError): Reply {
    const body = errors.entraErrorBody(e, {
      now: new Date(this.env.now()),
      correlationId: base['client-request-id'] ?? randomUUID(),
      authorityHost: call.host,
    });
    return jsonReply(e.status, base, body);
  }

  /** MSAL's `client-request-id` (query or form) becomes Entra's correlation id. */
  private correlationId(call: IncomingCall): string {
    const fromForm =
      call.method === 'POST' ? new URLSearchParams(call.body).get('client-request-id') : null;
    return (
      call.query['client-request-id'] ??
      fromForm ??
      call.headers['client-request-id'] ??
      randomUUID()
    );
  }
}
