import { errorBodyOf } from '../net/errorBodies';
import { readFactsOf, type ReadFacts } from '../vault/readFacts';

/** The facts of a failure, whatever threw it: the SDKs' RestError, identity's errors, or Node. */
export interface ErrorFacts {
  /** Error class name, e.g. "RestError", "AuthenticationError", "CredentialUnavailableError". */
  name: string;
  /**
   * The error's own text, for classification only (pattern matching on AADSTS codes and the
   * like): never printed. An SDK or Node message may quote a response body, and the body of a
   * secret read is the secret (core-client's parse errors quote it whole).
   */
  message: string;
  /**
   * What the service itself wrote as the explanation of an error answer: `error.message` of Key
   * Vault's JSON error body, or Entra's `error_description`. The only service text that is quoted.
   */
  serviceMessage: string | undefined;
  /** `x-ms-request-id` of the answer (Key Vault and Entra send one), for support. */
  requestId: string | undefined;
  /** Host the failed request went to, when known: tells the vault from Entra or Azure DevOps. */
  host: string | undefined;
  /** HTTP status when the service (or a proxy) answered. */
  status: number | undefined;
  /** Outer error code (`error.code` of a Key Vault body) or a Node network code (ENOTFOUND). */
  code: string | undefined;
  /** Key Vault's inner error code, e.g. ForbiddenByRbac (docs/azure-protocols.md §2, "Errors"). */
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

/** Texts identity writes itself when Entra's answer had no OAuth error in it (identity errors.ts). */
const IDENTITY_FALLBACKS = /^(An unknown error|The service indicated that the request was invalid)/;

/** Entra's own explanation in identity's AuthenticationError (`errorResponse.errorDescription`). */
function entraDescription(e: Loose): string | undefined {
  const described = str(asObject(e.errorResponse)?.errorDescription);
  const first = described?.split(/\r?\n/)[0]?.trim();
  return first && !IDENTITY_FALLBACKS.test(first) ? first : undefined;
}

function hostOf(e: Loose): string | undefined {
  // Set by runSignalPolicy: the host a stopped request was waiting on (its token's, say).
  if (Array.isArray(e.stalledOn) && typeof e.stalledOn[0] === 'string') return e.stalledOn[0];
  if (typeof e.host === 'string') return e.host;
  const url = asObject(e.request)?.url;
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname;
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
  const status =
    typeof e.statusCode === 'number' ? e.statusCode : (response?.status as number | undefined);
  // Only an error answer's body is read: a success body is a secret (or a listing), never an error.
  const errorAnswer = typeof status === 'number' && status >= 400;
  const body = errorAnswer
    ? (parseJson(response?.bodyAsText) ?? parseJson(errorBodyOf(e.request)))
    : undefined;
  // The SDK keeps an error answer's parsed body as `details`; paging errors keep none (errorBodies).
  const vaultMessage = errorAnswer
    ? (str(asObject(asObject(e.details)?.error)?.message) ??
      str(asObject(asObject(body)?.error)?.message))
    : undefined;
  const serviceMessage = vaultMessage ?? entraDescription(e);
  return {
    name: str(e.name) ?? 'Error',
    message:
      vaultMessage && /^Pagination failed/.test(String(e.message))
        ? vaultMessage
        : error instanceof Error
          ? error.message
          : String(error),
    serviceMessage,
    requestId: str(getHeader('x-ms-request-id')) ?? str(e.requestId),
    host: hostOf(e),
    status: typeof status === 'number' ? status : undefined,
    code: str(e.code) ?? str(asObject(asObject(body)?.error)?.code),
    innerCode: innerCodeOf(e.details) ?? innerCodeOf(body),
    fromKeyVault: str(getHeader('x-ms-request-id')) !== undefined,
    answer: readFactsOf(getHeader),
  };
}
