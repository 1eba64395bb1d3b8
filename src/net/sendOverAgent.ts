import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Agent } from 'node:http';
import {
  RestError,
  createHttpHeaders,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}

function requestBody(request: PipelineRequest): string | Buffer | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Streams, blobs and form data: no request of this task sends one.
  throw new RestError('Unsupported request body type.', { request });
}

/**
 * Sends one request over `agent` and reads the whole answer as text: what the SDK's Node HTTP
 * client does for the requests of this task (JSON answers, string bodies), without its per-request
 * extras the task never uses (progress streams, streamed answers, its own timer: the retry policy
 * owns timeouts and aborts through the request's signal). Failures keep the SDK's shape: an
 * AbortError, or a RestError carrying Node's error code, which the retry policy and the error
 * classifier read.
 */
export function sendOverAgent(request: PipelineRequest, agent: Agent): Promise<PipelineResponse> {
  const signal = request.abortSignal;
  if (signal?.aborted) return Promise.reject(abortError());
  const url = new URL(request.url);
  // As the SDK's client: plain http only where a client allowed it (the local identity endpoint).
  if (url.protocol !== 'https:' && !request.allowInsecureConnection) {
    return Promise.reject(
      new RestError(`Cannot connect to ${url.origin} over plain http.`, { request }),
    );
  }
  const body = requestBody(request);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name] = value;
  if (body !== undefined && !('content-length' in headers)) {
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise<PipelineResponse>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const req = (url.protocol === 'https:' ? https : http).request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
      },
      (res) => {
        const encoding = res.headers['content-encoding'];
        const stream =
          encoding === 'gzip'
            ? res.pipe(zlib.createGunzip())
            : encoding === 'deflate'
              ? res.pipe(zlib.createInflate())
              : res;
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.once('error', (error: NodeJS.ErrnoException) =>
          settle(() => reject(new RestError(error.message, { code: error.code, request }))),
        );
        stream.once('end', () => {
          const responseHeaders = createHttpHeaders();
          for (const [name, value] of Object.entries(res.headers)) {
            const first = Array.isArray(value) ? value[0] : value;
            if (first) responseHeaders.set(name, first);
          }
          const response: PipelineResponse = {
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            request,
            bodyAsText: Buffer.concat(chunks).toString('utf8'),
          };
          settle(() => resolve(response));
        });
      },
    );
    function onAbort(): void {
      req.destroy();
      settle(() => reject(abortError()));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', (error: NodeJS.ErrnoException) =>
      settle(() =>
        reject(
          new RestError(error.message, {
            code: error.code ?? RestError.REQUEST_SEND_ERROR,
            request,
          }),
        ),
      ),
    );
    req.end(body);
  });
}
