import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { originOf } from './vaultOriginPolicy';

/**
 * An answer of the vault that is not what Key Vault sends: a success whose body is not JSON, or a
 * redirect (Key Vault never redirects). Carries structured facts only, never the body: the body of
 * a secret read holds the secret value, and the SDK's own parse error quotes it whole
 * (core-client deserializationPolicy: `Error "…" occurred while parsing the response body - <body>`).
 */
export class VaultAnswerError extends Error {
  constructor(
    /** What classifyProblem reads. */
    readonly code: 'VAULT_NOT_JSON' | 'VAULT_REDIRECT',
    readonly statusCode: number,
    readonly requestId: string | undefined,
    /** For a redirect: the origin of its Location, when it has one. */
    readonly location: string | undefined,
  ) {
    super(
      code === 'VAULT_NOT_JSON'
        ? `The vault answered HTTP ${statusCode} with a body that is not valid JSON.`
        : `The vault answered with a redirect (HTTP ${statusCode}).`,
    );
    this.name = 'VaultAnswerError';
  }
}

/** True when `text` is one JSON document, as JSON.parse (which the SDK uses) reads it. */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks every answer of the vault before the SDK reads it (position perRetry: responses pass
 * here before the Deserialize phase). A 2xx must carry a JSON body, a 3xx is never expected; either
 * becomes a {@link VaultAnswerError}, so no SDK error built from the body (parse errors that quote
 * it, "Cannot read properties of undefined" from a body it did not parse) ever exists.
 * Error answers (4xx, 5xx) go on: their bodies are Key Vault's error objects, never a value.
 */
export const vaultAnswerPolicy: PipelinePolicy = {
  name: 'keyVaultSecretsTaskVaultAnswer',
  async sendRequest(request, next): Promise<PipelineResponse> {
    const response = await next(request);
    const requestId = response.headers.get('x-ms-request-id') ?? undefined;
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      throw new VaultAnswerError(
        'VAULT_REDIRECT',
        response.status,
        requestId,
        location ? originOf(new URL(location, request.url).href) : undefined,
      );
    }
    if (response.status >= 200 && response.status < 300 && response.status !== 204) {
      if (typeof response.bodyAsText !== 'string' || !isJson(response.bodyAsText)) {
        throw new VaultAnswerError('VAULT_NOT_JSON', response.status, requestId, undefined);
      }
    }
    return response;
  },
};
