/**
 * What a request to a vault asks for: the operation its method and path name, the permission it
 * needs, and the PUT body it carries (docs/azure-protocols.md §2, operations table).
 */
import type { SecretSeed } from './types';
import type { Permission } from './vaultAuth';
import * as errors from './vaultErrors';

export type Operation =
  | { op: 'get'; name: string }
  | { op: 'getVersion'; name: string; version: string }
  | { op: 'list' }
  | { op: 'listVersions'; name: string }
  | { op: 'set'; name: string }
  | { op: 'unknown' };

export const KIND: Record<Operation['op'], string> = {
  get: 'kv.get',
  getVersion: 'kv.getVersion',
  list: 'kv.list',
  listVersions: 'kv.listVersions',
  set: 'kv.set',
  unknown: 'unknown',
};

export const PERMISSION: Record<Exclude<Operation['op'], 'unknown'>, Permission> = {
  get: 'get',
  getVersion: 'get',
  list: 'list',
  listVersions: 'list',
  set: 'set',
};

/** Maps method and path to an operation. `/secrets/{name}/` (empty version) is "get latest". */
export function parseOperation(method: string, path: string): Operation {
  const segments = path.replace(/^\/+/, '').split('/');
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  if (segments[0] !== 'secrets') return { op: 'unknown' };
  const name = segments[1] === undefined ? undefined : safeDecode(segments[1]);
  const third = segments[2] === undefined ? undefined : safeDecode(segments[2]);
  if (segments.length === 1 && method === 'GET') return { op: 'list' };
  if (segments.length === 2 && name !== undefined) {
    if (method === 'GET') return { op: 'get', name };
    if (method === 'PUT') return { op: 'set', name };
  }
  if (segments.length === 3 && name !== undefined && third !== undefined && method === 'GET') {
    return third === 'versions'
      ? { op: 'listVersions', name }
      : { op: 'getVersion', name, version: third };
  }
  return { op: 'unknown' };
}

/** The body of `PUT /secrets/{name}`: value, contentType, tags, attributes {enabled, nbf, exp}. */
export function parseSetBody(body: string): { seed: SecretSeed } | { error: errors.VaultError } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: errors.badRequestBody('The request body is not valid JSON.') };
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { value?: unknown }).value !== 'string'
  ) {
    return { error: errors.badRequestBody("Property 'value' is required and must be a string.") };
  }
  const p = parsed as {
    value: string;
    contentType?: string;
    tags?: Record<string, string>;
    attributes?: { enabled?: boolean; nbf?: number; exp?: number };
  };
  return {
    seed: {
      value: p.value,
      ...(p.contentType !== undefined && { contentType: p.contentType }),
      ...(p.tags !== undefined && { tags: p.tags }),
      ...(p.attributes?.enabled !== undefined && { enabled: p.attributes.enabled }),
      ...(p.attributes?.nbf !== undefined && { nbf: p.attributes.nbf }),
      ...(p.attributes?.exp !== undefined && { exp: p.attributes.exp }),
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
