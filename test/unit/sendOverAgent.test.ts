import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { sendOverAgent } from '../../src/net/sendOverAgent';

describe('sendOverAgent', () => {
  let server: http.Server;
  let base: string;
  const agent = new http.Agent({ keepAlive: true });
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/gzip') {
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'x-ms-request-id': 'r1' });
        res.end(zlib.gzipSync('{"value":"ünïcode"}'));
      } else if (req.url === '/echo') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          res.writeHead(201);
          res.end(`${req.method} ${req.headers['content-length']} ${body}`);
        });
      } else {
        // Never answers: the caller aborts.
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads a gzip answer as text, with its headers', async () => {
    const response = await sendOverAgent(
      createPipelineRequest({ url: `${base}/gzip`, allowInsecureConnection: true }),
      agent,
    );
    assert.equal(response.status, 200);
    assert.equal(response.bodyAsText, '{"value":"ünïcode"}');
    assert.equal(response.headers.get('x-ms-request-id'), 'r1');
  });

  it('sends a string body with its length', async () => {
    const request = createPipelineRequest({
      url: `${base}/echo`,
      method: 'POST',
      body: 'a=1&b=é',
      allowInsecureConnection: true,
    });
    const response = await sendOverAgent(request, agent);
    assert.equal(response.status, 201);
    assert.equal(response.bodyAsText, 'POST 8 a=1&b=é');
  });

  it('rejects with an AbortError when the signal aborts', async () => {
    const controller = new AbortController();
    const request = createPipelineRequest({
      url: `${base}/hang`,
      abortSignal: controller.signal,
      allowInsecureConnection: true,
    });
    const sent = sendOverAgent(request, agent);
    setImmediate(() => controller.abort());
    await assert.rejects(sent, { name: 'AbortError' });
  });

  it("rejects with a RestError carrying Node's code when nothing listens", async () => {
    await assert.rejects(
      sendOverAgent(
        createPipelineRequest({ url: 'http://127.0.0.1:9/', allowInsecureConnection: true }),
        agent,
      ),
      { name: 'RestError', code: 'ECONNREFUSED' },
    );
  });

  it('refuses plain http unless the request allows it', async () => {
    await assert.rejects(sendOverAgent(createPipelineRequest({ url: `${base}/gzip` }), agent), {
      name: 'RestError',
      message: `Cannot connect to ${base} over plain http.`,
    });
  });
});
