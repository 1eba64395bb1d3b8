/** The CONNECT proxy: tunnels to served hosts, 502 for others, 407 without the right credentials. */
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { startAzure } from './index';
import type { AzureEmulator } from './types';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

interface ProxyAnswer {
  statusLine: string;
  head: string;
  socket: Socket;
  /** Bytes after the header block (the error body for non-200 answers). */
  rest: string;
}

/** Sends one CONNECT and reads the proxy's answer head. */
function sendConnect(
  proxyUrl: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<ProxyAnswer> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(proxy.port), proxy.hostname);
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const head = buffer.slice(0, end);
      resolve({
        statusLine: head.split('\r\n')[0] ?? '',
        head,
        socket,
        rest: buffer.slice(end + 4),
      });
    };
    socket.on('data', onData);
    socket.on('error', reject);
    const extra = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(
      `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nProxy-Connection: Keep-Alive\r\n${extra}\r\n`,
    );
  });
}

/** Reads the rest of a response whose body ends when the peer closes. */
function readToEnd(socket: Socket, already: string): Promise<string> {
  return new Promise((resolve) => {
    let text = already;
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
  });
}

/** One HTTP/1.1 exchange on an open TLS socket (responses carry Content-Length). */
function exchange(tls: TLSSocket, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      tls.off('data', onData);
      resolve({
        status: Number(head.split(' ')[1]),
        body: buffer.subarray(end + 4, end + 4 + length).toString('utf8'),
      });
    };
    tls.on('data', onData);
    tls.once('error', reject);
    tls.write(request);
  });
}

describe('emulator CONNECT proxy', () => {
  let emulator: AzureEmulator;
  let vaultHost: string;

  before(async () => {
    emulator = await startAzure();
    vaultHost = emulator.addVault({ name: 'proxy-kv', tenantId: TENANT }).host;
  });
  beforeEach(() => emulator.resetLog());
  after(() => emulator.close());

  it('tunnels to a served host and keeps the TLS connection alive through the tunnel', async () => {
    const answer = await sendConnect(emulator.proxyUrl, `${vaultHost}:443`);
    assert.equal(answer.statusLine, 'HTTP/1.1 200 Connection Established');
    const tls = tlsConnect({
      socket: answer.socket,
      servername: vaultHost,
      ca: emulator.caCertPem,
    });
    await new Promise<void>((resolve, reject) =>
      tls.once('secureConnect', resolve).once('error', reject),
    );
    assert.equal(tls.authorized, true, String(tls.authorizationError));

    const request = `GET /secrets/x/?api%2Dversion=2025-07-01 HTTP/1.1\r\nHost: ${vaultHost}\r\n\r\n`;
    const first = await exchange(tls, request);
    const second = await exchange(tls, request);
    tls.destroy();

    assert.equal(first.status, 401);
    assert.equal(second.status, 401);
    assert.deepEqual(JSON.parse(first.body), {
      error: {
        code: 'Unauthorized',
        message: 'AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token.',
      },
    });
    const [a, b] = emulator.requests;
    assert.equal(a?.kind, 'kv.challenge');
    assert.equal(a.connectionId, b?.connectionId, 'both requests used one TLS connection');
    assert.deepEqual(emulator.tunnels, [{ target: `${vaultHost}:443`, status: 200 }]);
  });

  it('answers 502 for a host the emulator does not serve, as for a name DNS cannot resolve', async () => {
    const answer = await sendConnect(emulator.proxyUrl, 'never-added.vault.azure.net:443');
    const text = await readToEnd(answer.socket, answer.rest);
    assert.equal(answer.statusLine, 'HTTP/1.1 502 Bad Gateway');
    assert.match(text, /never-added\.vault\.azure\.net:443/);
    assert.deepEqual(emulator.tunnels, [
      { target: 'never-added.vault.azure.net:443', status: 502 },
    ]);
  });

  it('answers 502 for a served host on a port other than 443', async () => {
    const answer = await sendConnect(emulator.proxyUrl, `${vaultHost}:80`);
    assert.equal(answer.statusLine, 'HTTP/1.1 502 Bad Gateway');
    answer.socket.destroy();
  });

  it('answers 400 to a plain HTTP request', async () => {
    const proxy = new URL(emulator.proxyUrl);
    const socket = netConnect(Number(proxy.port), proxy.hostname);
    socket.write(
      `GET http://${vaultHost}/ HTTP/1.1\r\nHost: ${vaultHost}\r\nConnection: close\r\n\r\n`,
    );
    const text = await readToEnd(socket, '');
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  describe('with proxy credentials', () => {
    let guarded: AzureEmulator;
    const basic = (user: string, password: string): string =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    before(async () => {
      guarded = await startAzure({ proxyAuth: { username: 'agent', password: 's3cret' } });
      guarded.addVault({ name: 'proxy-kv', tenantId: TENANT });
    });
    after(() => guarded.close());

    it('answers 407 with a Basic challenge when Proxy-Authorization is missing', async () => {
      const answer = await sendConnect(guarded.proxyUrl, `${vaultHost}:443`);
      answer.socket.destroy();
      assert.equal(answer.statusLine, 'HTTP/1.1 407 Proxy Authentication Required');
      assert.match(answer.head, /\r\nProxy-Authenticate: Basic realm="emulator"/);
    });

    it('answers 407 for wrong credentials, before looking at the host', async () => {
      const answer = await sendConnect(guarded.proxyUrl, 'unknown.vault.azure.net:443', {
        'Proxy-Authorization': basic('agent', 'wrong'),
      });
      answer.socket.destroy();
      assert.equal(answer.statusLine, 'HTTP/1.1 407 Proxy Authentication Required');
    });

    it('tunnels with the right credentials and records them', async () => {
      const answer = await sendConnect(guarded.proxyUrl, `${vaultHost}:443`, {
        'Proxy-Authorization': basic('agent', 's3cret'),
      });
      answer.socket.destroy();
      assert.equal(answer.statusLine, 'HTTP/1.1 200 Connection Established');
      assert.deepEqual(guarded.tunnels.at(-1), {
        target: `${vaultHost}:443`,
        proxyAuthorization: basic('agent', 's3cret'),
        status: 200,
      });
    });
  });
});
