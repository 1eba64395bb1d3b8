/**
 * What happens to one parsed request on any emulated endpoint, HTTPS (server.ts) or the plain-http
 * managed identity endpoints (managedIdentity.ts): latency, fault rules, the service's answer and
 * the request log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRules } from './faults';
import { JSON_CONTENT_TYPE, type HostService, type IncomingCall, type Reply } from './hostService';
import type { RequestLog } from './requestLog';
import type { FaultRule } from './types';

export interface DispatchOptions {
  log: RequestLog;
  faults: FaultRules;
  latencyMs: number;
}

/** Answers `call` with `service` (undefined: a host nobody serves) and records the outcome. */
export async function dispatch(
  call: IncomingCall,
  service: HostService | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  options: DispatchOptions,
): Promise<void> {
  const kind = service ? service.classify(call) : 'unknown';
  // A client that gives up (its request timeout) closes the connection before the answer: that
  // is recorded at once, as abandoned, and the late answer is not recorded again.
  let recorded = false;
  res.once('close', () => {
    if (!res.writableFinished && !recorded) record(0, undefined, {}, true);
  });
  const record = (
    status: number,
    caller?: string,
    replyHeaders: Reply['headers'] = {},
    abandoned?: boolean,
  ): void => {
    if (recorded) return;
    recorded = true;
    options.log.record({
      host: call.host,
      method: call.method,
      path: call.path,
      query: call.query,
      headers: call.headers,
      body: call.body,
      status,
      responseHeaders: Object.fromEntries(
        Object.entries(replyHeaders).map(([name, value]) => [name.toLowerCase(), value]),
      ),
      kind,
      ...(caller !== undefined && { caller }),
      ...(abandoned && { abandoned }),
      connectionId: call.connectionId,
    });
  };
  try {
    if (options.latencyMs > 0) await sleep(options.latencyMs);
    let breakBody: BodyBreak | undefined;
    for (const action of options.faults.take(call.host, kind, call.path)) {
      if (action.type === 'malformed') {
        breakBody = action.form;
      } else if (action.type === 'delay') {
        await sleep(action.ms);
      } else if (action.type === 'hook') {
        action.run();
      } else if (action.type === 'reset') {
        record(0);
        req.socket.destroy();
        return;
      } else {
        const reply = faultReply(action, service?.baseHeaders(call) ?? {});
        send(res, reply);
        record(reply.status, undefined, reply.headers);
        return;
      }
    }
    let reply = service ? await service.handle(call, kind) : unknownHost(call);
    if (breakBody !== undefined && reply.body !== undefined) {
      reply = { ...reply, body: brokenBody(reply.body, breakBody) };
      options.log.brokenBodies.push(reply.body as string);
    }
    send(res, reply);
    record(reply.status, reply.caller, reply.headers);
  } catch (error) {
    const reply: Reply = {
      status: 500,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: `Local Azure emulator error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    };
    if (!res.headersSent) send(res, reply);
    record(500, undefined, reply.headers);
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Lower-case header names, repeated headers joined, as IncomingCall wants them. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Fields whose text is secret: a secret's value, a token answer's tokens. */
export const SECRET_FIELDS = ['value', 'access_token', 'refresh_token', 'id_token'];

type BodyBreak = Extract<FaultRule['action'], { type: 'malformed' }>['form'];

/** A body as a failing network or gateway might deliver it: cut short, with a BOM, or with more. */
export function brokenBody(body: string, form: BodyBreak): string {
  switch (form) {
    case 'bom':
      return `\uFEFF${body}`;
    case 'trailing':
      return `${body}\n{"more":true}`;
    case 'cut': {
      // In the middle of the value, where a parse error's quote of the body would show it.
      const field = SECRET_FIELDS.map((f) => `"${f}":"`).find((f) => body.includes(f));
      if (field === undefined) return body.slice(0, Math.floor(body.length / 2));
      const valueStart = body.indexOf(field) + field.length;
      const valueEnd = body.indexOf('"', valueStart + 1);
      const middle =
        valueStart + Math.ceil(((valueEnd < 0 ? body.length : valueEnd) - valueStart) / 2);
      return body.slice(0, Math.max(middle, valueStart + 1));
    }
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

/** Real timer on purpose: tests drive it with sinon fake timers instead of sleeping. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
