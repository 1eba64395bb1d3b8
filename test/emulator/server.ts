/**
 * The HTTPS front door: one TLS listener on 127.0.0.1 for every emulated host name. It presents
 * a leaf certificate per SNI name, routes each request by Host (falling back to SNI) and hands it
 * to dispatch.ts (latency, fault rules, the host's service, the request log).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { dispatch, flatHeaders, readBody } from './dispatch';
import type { FaultRules } from './faults';
import type { HostService, IncomingCall } from './hostService';
import type { RequestLog } from './requestLog';
import type { LeafCertificates } from './testCa';

export interface FrontDoorOptions {
  certificates: LeafCertificates;
  log: RequestLog;
  faults: FaultRules;
  latencyMs: number;
}

export class FrontDoor {
  private readonly services = new Map<string, HostService>();
  private readonly connectionIds = new WeakMap<TLSSocket, number>();
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
      this.connectionIds.set(socket, this.options.log.newConnectionId());
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
    const call = this.toCall(req, await readBody(req));
    await dispatch(call, this.services.get(call.host), req, res, this.options);
  }

  private toCall(req: IncomingMessage, body: string): IncomingCall {
    const socket = req.socket as TLSSocket;
    const hostHeader = req.headers.host ?? '';
    const byHost = stripPort(hostHeader).toLowerCase();
    const sni = typeof socket.servername === 'string' ? socket.servername.toLowerCase() : '';
    const host = this.services.has(byHost) || !this.services.has(sni) ? byHost : sni;
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    return {
      host,
      hostHeader: hostHeader || host,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      body,
      clientAddress: (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      connectionId: this.connectionIds.get(socket) ?? 0,
    };
  }
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^\d+$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}
