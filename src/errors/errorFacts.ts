import { errorBodyOf } from '../net/errorBodies';
import { readFactsOf, type ReadFacts } from '../vault/readFacts';

/** The facts of a failure, whatever threw it: the SDKs' RestError, identity's errors, or Node. */
export interface ErrorFacts {
  /** Error class name, e.g. "RestError", "AuthenticationError", "CredentialUnavailableError". */
  name: string;
  message: string;
  /** HTTP status when the service (or a proxy) answered. */
  status: number | undefined;
  /** Outer error code (`error.code` of a Key Vault body) or a Node network code (ENOTFOUND). */
  code: string | undefined;
  /** Key Vault's inner error code, e.g. ForbiddenByRbac (azure-wire.md §2, "Errors"). */
  innerCode: string | undefined;
  /** True when the answer came from Key Vault itself (it always sends x-ms-request-id). */
  fromKeyVault: boolean;
  /** Key Vault's answer headers for the run summary, when Key Vault answered. */
  answer: ReadFacts | undefined;
}

type Loose = Record<string, unknown>;

function asObject(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null ? (value as Loose) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Finds `error.innererror.code` (any casing) in a Key Vault error body. */
function innerCodeOf(body: unknown): string | undefined {
  const error = asObject(asObject(body)?.error);
  const inner = asObject(error?.innerError ?? error?.innererror);
  return str(inner?.code);
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function errorFacts(error: unknown): ErrorFacts {
  const e = asObject(error) ?? {};
  const response = asObject(e.response);
  const headers = asObject(response?.headers);
  const getHeader =
    typeof headers?.get === 'function'
      ? (name: string): unknown => (headers.get as (n: string) => unknown).call(headers, name)
      : (): unknown => undefined;
  // Paging errors carry a generic message; the service's own words are in the body.
  const body = parseJson(response?.bodyAsText) ?? parseJson(errorBodyOf(e.request));
  const serviceMessage = str(asObject(asObject(body)?.error)?.message);
  const status =
    typeof e.statusCode === 'number' ? e.statusCode : (response?.status as number | undefined);
  return {
    name: str(e.name) ?? 'Error',
    message:
      serviceMessage && /^Pagination failed/.test(String(e.message))
        ? serviceMessage
        : error instanceof Error
          ? error.message
          : String(error),
    status: typeof status === 'number' ? status : undefined,
    code: str(e.code) ?? str(asObject(asObject(body)?.error)?.code),
    innerCode: innerCodeOf(e.details) ?? innerCodeOf(body),
    fromKeyVault: str(getHeader('x-ms-request-id')) !== undefined,
    answer: readFactsOf(getHeader),
  };
}
