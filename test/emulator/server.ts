/**
 * The HTTPS front door: one TLS listener on 127.0.0.1 for every emulated host name. It presents
 * a leaf certificate per SNI name, routes each request by Host (falling back to SNI), applies
 * latency and fault rules, hands the request to the host's service and records the answer.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FaultRules } from './faults';
import { JSON_CONTENT_TYPE, type HostService, type IncomingCall, type Reply } from './hostService';
import type { RequestLog } from './requestLog';
import type { LeafCertificates } from './testCa';
import type { FaultRule } from './types';

export interface FrontDoorOptions {
  certificates: LeafCertificates;
  log: RequestLog;
  faults: FaultRules;
  latencyMs: number;
}

export class FrontDoor {
  private readonly services = new Map<string, HostService>();
  private readonly connectionIds = new WeakMap<TLSSocket, number>();
  private nextConnectionId = 0;
  private server?: Server;

  constructor(private readonly options: FrontDoorOptions) {}

  register(host: string, service: HostService): void {
    const key = host.toLowerCase();
    if (this.services.has(key)) throw new Error(`The emulator already serves host '${host}'.`);
    this.services.set(key, service);
  }

  serves(host: string): boolean {
    return this.services.has(host.toLowerCase());
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async listen(): Promise<number> {
    // Clients that connect by IP (directUrl) send no SNI and get the 127.0.0.1 certificate.
    const fallback = await this.options.certificates.pemFor('127.0.0.1');
    const server = createServer({
      ...fallback,
      SNICallback: (servername, done) => {
        this.options.certificates.contextFor(servername).then(
          (context) => done(null, context),
          (error: Error) => done(error),
        );
      },
    });
    server.keepAliveTimeout = 60_000; // Azure front ends keep idle connections far longer than Node's 5 s
    server.on('secureConnection', (socket: TLSSocket) => {
      this.connectionIds.set(socket, ++this.nextConnectionId);
      socket.on('error', () => undefined); // client resets are part of the test matrix
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // A client that aborts mid-body must not become an unhandled rejection.
      this.onRequest(req, res).catch(() => req.socket.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const call = this.toCall(req, body);
    const service = this.services.get(call.host);
    const kind = service ? service.classify(call) : 'unknown';
    const record = (status: number, caller?: string): void =>
      this.options.log.record({
        host: call.host,
        method: call.method,
        path: call.path,
        query: call.query,
        headers: call.headers,
        body: call.body,
        status,
        kind,
        ...(caller !== undefined && { caller }),
        connectionId: call.connectionId,
      });
    try {
      if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
      for (const action of this.options.faults.take(call.host, kind, call.path)) {
        if (action.type === 'delay') {
          await sleep(action.ms);
        } else if (action.type === 'reset') {
          record(0);
          req.socket.destroy();
          return;
        } else {
          const reply = faultReply(action, service?.baseHeaders(call) ?? {});
          send(res, reply);
          record(reply.status);
          return;
        }
      }
      const reply = service ? service.handle(call, kind) : unknownHost(call);
      send(res, reply);
      record(reply.status, reply.caller);
    } catch (error) {
      const reply: Reply = {
        status: 500,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: `Local Azure emulator error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      };
      if (!res.headersSent) send(res, reply);
      record(500);
    }
  }

  private toCall(req: IncomingMessage, body: string): IncomingCall {
    const socket = req.socket as TLSSocket;
    const hostHeader = req.headers.host ?? '';
    const byHost = stripPort(hostHeader).toLowerCase();
    const sni = typeof socket.servername === 'string' ? socket.servername.toLowerCase() : '';
    const host = this.services.has(byHost) || !this.services.has(sni) ? byHost : sni;
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      host,
      hostHeader: hostHeader || host,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      clientAddress: (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      connectionId: this.connectionIds.get(socket) ?? 0,
    };
  }
}

function faultReply(
  action: Extract<FaultRule['action'], { type: 'status' }>,
  base: Record<string, string>,
): Reply {
  const { body } = action;
  if (body === undefined) return { status: action.status, headers: { ...base, ...action.headers } };
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : JSON_CONTENT_TYPE;
  return {
    status: action.status,
    headers: { ...base, 'Content-Type': contentType, ...action.headers },
    body: text,
  };
}

function unknownHost(call: IncomingCall): Reply {
  return {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: `The local Azure emulator does not serve host '${call.host}'.`,
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  const noBody = reply.status === 204 || reply.status === 304 || reply.body === undefined;
  headers['Content-Length'] = noBody ? '0' : String(Buffer.byteLength(reply.body ?? ''));
  if (reply.status === 204 || reply.status === 304) delete headers['Content-Length'];
  res.writeHead(reply.status, headers);
  res.end(noBody ? undefined : reply.body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^\d+$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}

/** Real timer on purpose: tests drive it with sinon fake timers instead of sleeping. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
