/**
 * Managed identity endpoints as MSAL's ManagedIdentityApplication calls them (docs/azure-protocols.md §4):
 * plain http on 127.0.0.1, not behind the proxy, one listener per `startManagedIdentity`.
 *
 * - IMDS: `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…[&client_id=…]`
 *   with `Metadata: true`. MSAL builds the URL from AZURE_POD_IDENTITY_AUTHORITY_HOST and
 *   canonicalises it with a trailing slash (`…/token/?api-version…`), so both forms are accepted.
 * - App Service: `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…[&client_id=…]` with
 *   `X-IDENTITY-HEADER: {IDENTITY_HEADER}`.
 *
 * Tokens are signed and shaped exactly like Entra's (tokens.ts), so vaults accept them alike.
 * Error bodies: IMDS `{"error":"invalid_request","error_description":"Identity not found"}` and
 * "Required metadata header not specified" as the service sends them; the api-version / resource
 * texts and the App Service `{"statusCode","message","correlationId"}` answers are the emulator's
 * approximations.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dispatch, flatHeaders, readBody, type DispatchOptions } from './dispatch';
import { issuerFor } from './entra';
import { jsonReply, type HostService, type IncomingCall, type Reply } from './hostService';
import { appOnlyClaims, type TokenSigner } from './tokens';
import type { ManagedIdentityEndpoint, ManagedIdentityOptions } from './types';

export const MI_HOST = '127.0.0.1';
const IMDS_PATH = '/metadata/identity/oauth2/token';
const APP_SERVICE_PATH = '/msi/token';

export interface ManagedIdentityEnvironment extends DispatchOptions {
  signer: TokenSigner;
  now: () => number;
  tokenLifetimeSeconds: number;
}

interface Identity {
  appId: string;
  objectId: string;
  tenantId: string;
  userAssignedClientId?: string;
}

export class ManagedIdentityService implements HostService {
  private readonly identities: Identity[];
  private readonly identityHeader = randomBytes(16).toString('hex');
  private readonly connectionIds = new WeakMap<Socket, number>();
  private server?: Server;

  constructor(
    private readonly options: ManagedIdentityOptions,
    private readonly env: ManagedIdentityEnvironment,
  ) {
    const systemAssigned = options.identities.filter((i) => i.userAssignedClientId === undefined);
    if (systemAssigned.length > 1) {
      throw new Error(
        `A machine has at most one system-assigned identity; got ${systemAssigned.length} without userAssignedClientId (${systemAssigned.map((i) => i.appId).join(', ')}).`,
      );
    }
    this.identities = options.identities.map((i) => ({
      ...i,
      objectId: i.objectId ?? randomUUID(),
    }));
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Starts listening; returns the variables that point MSAL here. */
  async start(): Promise<ManagedIdentityEndpoint> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch(() => req.socket.destroy());
    });
    server.on('connection', (socket: Socket) => {
      this.connectionIds.set(socket, this.env.log.newConnectionId());
      socket.on('error', () => undefined);
    });
    this.server = server;
    await listen(server);
    const closedPort = await unusedPort();
    return {
      env: this.envFor(this.port),
      url: this.urlFor(this.port),
      closedEnv: this.envFor(closedPort),
    };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  classify(call: IncomingCall): string {
    const path = call.path.replace(/\/$/, '');
    const tokenPath = this.options.source === 'imds' ? IMDS_PATH : APP_SERVICE_PATH;
    return call.method === 'GET' && path.toLowerCase() === tokenPath ? 'mi.token' : 'unknown';
  }

  baseHeaders(): Record<string, string> {
    return this.options.source === 'imds'
      ? { Server: 'IMDS/150.870.65.1544', 'x-ms-request-id': randomUUID() }
      : { 'x-ms-request-id': randomUUID(), Date: new Date(this.env.now()).toUTCString() };
  }

  handle(call: IncomingCall, kind: string): Reply {
    return this.options.source === 'imds' ? this.imds(call, kind) : this.appService(call, kind);
  }

  private imds(call: IncomingCall, kind: string): Reply {
    const base = this.baseHeaders();
    const fail = (status: number, error: string, description: string): Reply =>
      jsonReply(status, base, { error, error_description: description });
    if (kind !== 'mi.token')
      return fail(404, 'not_found', `${call.method} ${call.path} is not an IMDS route.`);
    if (call.headers.metadata?.toLowerCase() !== 'true') {
      return fail(400, 'invalid_request', 'Required metadata header not specified');
    }
    if (!call.query['api-version']) {
      return fail(400, 'invalid_request', "Required query variable 'api-version' is missing");
    }
    const resource = call.query.resource;
    if (!resource)
      return fail(400, 'invalid_request', "Required query variable 'resource' is missing");
    const identity = this.select(call.query);
    if (!identity) return fail(400, 'invalid_request', 'Identity not found');

    const issued = this.issue(identity, resource);
    const lifetime = String(this.env.tokenLifetimeSeconds);
    // IMDS sends every value as a string, keys in alphabetical order.
    return {
      ...jsonReply(200, base, {
        access_token: issued.token,
        client_id: identity.appId,
        expires_in: lifetime,
        expires_on: String(issued.claims.exp),
        ext_expires_in: lifetime,
        not_before: String(issued.claims.nbf),
        resource,
        token_type: 'Bearer',
      }),
      caller: identity.appId,
    };
  }

  private appService(call: IncomingCall, kind: string): Reply {
    const base = this.baseHeaders();
    const fail = (status: number, message: string): Reply =>
      jsonReply(status, base, { statusCode: status, message, correlationId: randomUUID() });
    if (kind !== 'mi.token')
      return fail(404, `${call.method} ${call.path} is not a managed identity route.`);
    if (call.headers['x-identity-header'] !== this.identityHeader) {
      return fail(
        400,
        'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.',
      );
    }
    if (!call.query['api-version'])
      return fail(400, "Required query parameter 'api-version' is missing.");
    const resource = call.query.resource;
    if (!resource) return fail(400, "Required query parameter 'resource' is missing.");
    const identity = this.select(call.query);
    if (!identity) return fail(400, 'Unable to load the proper Managed Identity.');

    const issued = this.issue(identity, resource);
    return {
      ...jsonReply(200, base, {
        access_token: issued.token,
        expires_on: String(issued.claims.exp),
        resource,
        token_type: 'Bearer',
        client_id: identity.appId,
      }),
      caller: identity.appId,
    };
  }

  /** The system-assigned identity, or a user-assigned one by client id or object id. */
  private select(query: Record<string, string>): Identity | undefined {
    const clientId = query.client_id?.toLowerCase();
    const objectId = (query.object_id ?? query.principal_id)?.toLowerCase();
    if (clientId !== undefined) {
      return this.identities.find((i) => i.userAssignedClientId?.toLowerCase() === clientId);
    }
    if (objectId !== undefined) {
      return this.identities.find(
        (i) => i.userAssignedClientId !== undefined && i.objectId.toLowerCase() === objectId,
      );
    }
    if (query.msi_res_id !== undefined || query.mi_res_id !== undefined) return undefined; // not emulated
    return this.identities.find((i) => i.userAssignedClientId === undefined);
  }

  private issue(
    identity: Identity,
    resource: string,
  ): { token: string; claims: { exp: number; nbf: number } } {
    const claims = appOnlyClaims({
      aud: resource,
      iss: issuerFor('login.microsoftonline.com', identity.tenantId),
      nowSeconds: Math.floor(this.env.now() / 1000),
      lifetimeSeconds: this.env.tokenLifetimeSeconds,
      appId: identity.appId,
      objectId: identity.objectId,
      tenantId: identity.tenantId,
      appidacr: '2',
    });
    return { token: this.env.signer.sign(claims), claims };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', `http://${MI_HOST}`);
    const call: IncomingCall = {
      host: MI_HOST,
      hostHeader: req.headers.host ?? MI_HOST,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      body,
      clientAddress: (req.socket.remoteAddress ?? MI_HOST).replace(/^::ffff:/, ''),
      connectionId: this.connectionIds.get(req.socket) ?? 0,
    };
    await dispatch(call, this, req, res, { ...this.env, latencyMs: 0 });
  }

  private urlFor(port: number): string {
    return `http://${MI_HOST}:${port}${this.options.source === 'imds' ? IMDS_PATH : APP_SERVICE_PATH}`;
  }

  private envFor(port: number): Record<string, string> {
    return this.options.source === 'imds'
      ? { AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://${MI_HOST}:${port}` }
      : { IDENTITY_ENDPOINT: this.urlFor(port), IDENTITY_HEADER: this.identityHeader };
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, MI_HOST, () => resolve());
  });
}

/** A port that was just bound and released: nothing listens there, so connecting is refused. */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  await listen(probe);
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
