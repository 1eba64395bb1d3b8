/**
 * The forward proxy the task gets as AGENT_PROXYURL (docs/azure-protocols.md §1). It only tunnels:
 * `CONNECT <host>:443` for a host the emulator serves is answered 200 and then relayed byte for
 * byte to the HTTPS front door, so TLS (with SNI = host) and keep-alive run end to end through it.
 * A host the emulator does not serve stands for a name real DNS would not resolve: 502.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RequestLog } from './requestLog';

export interface ProxyOptions {
  /** Port of the HTTPS front door on 127.0.0.1. */
  upstreamPort: () => number;
  serves: (host: string) => boolean;
  auth?: { username: string; password: string };
  log: RequestLog;
}

export class ConnectProxy {
  private server?: Server;
  private readonly sockets = new Set<Duplex>();

  constructor(private readonly options: ProxyOptions) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async listen(): Promise<number> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      // Clients here only ever tunnel HTTPS; a plain request means a misconfigured client.
      const body = 'The local Azure emulator proxy only supports CONNECT.\n';
      res.writeHead(400, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    });
    server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onConnect(req, socket, head),
    );
    server.on('connection', (socket: Socket) => this.track(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return this.port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onConnect(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.track(client);
    const target = req.url ?? '';
    const proxyAuthorization = req.headers['proxy-authorization'];
    const record = (status: number): void =>
      this.options.log.recordTunnel({
        target,
        ...(proxyAuthorization !== undefined && { proxyAuthorization }),
        status,
      });

    if (this.options.auth && !credentialsMatch(proxyAuthorization, this.options.auth)) {
      record(407);
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\n' +
          'Proxy-Authenticate: Basic realm="emulator"\r\n' +
          'Content-Length: 0\r\nConnection: close\r\n\r\n',
      );
      return;
    }

    const { host, port } = splitTarget(target);
    if (port !== 443 || !this.options.serves(host)) {
      record(502);
      const body = `Cannot resolve '${target}': the local Azure emulator does not serve this host.\n`;
      client.end(
        'HTTP/1.1 502 Bad Gateway\r\n' +
          'Content-Type: text/plain; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }

    const upstream = connect(this.options.upstreamPort(), '127.0.0.1');
    this.track(upstream);
    upstream.once('connect', () => {
      record(200);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    client.on('close', closeBoth);
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }
}

function credentialsMatch(
  header: string | undefined,
  auth: { username: string; password: string },
): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  return Buffer.from(match[1], 'base64').toString('utf8') === `${auth.username}:${auth.password}`;
}

function splitTarget(target: string): { host: string; port: number } {
  const colon = target.lastIndexOf(':');
  if (colon < 0) return { host: target.toLowerCase(), port: 443 };
  return {
    host: target
      .slice(0, colon)
      .replace(/^\[|\]$/g, '')
      .toLowerCase(),
    port: Number(target.slice(colon + 1)),
  };
}
