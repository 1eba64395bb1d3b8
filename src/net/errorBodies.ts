import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/**
 * The SDK drops the body of a failed listing: its paging helper raises "Pagination failed with
 * unexpected statusCode 403" with no trace of Key Vault's inner code or message, which is what
 * tells an RBAC denial from an access policy or a firewall. The body is kept here, keyed by the
 * request the error still carries, for as long as that request lives.
 */
const bodies = new WeakMap<object, string>();

export const errorBodyPolicy: PipelinePolicy = {
  name: 'keyVaultSecretsTaskErrorBodies',
  async sendRequest(request, next): Promise<PipelineResponse> {
    const response = await next(request);
    if (response.status >= 400 && response.bodyAsText) bodies.set(request, response.bodyAsText);
    return response;
  },
};

/** The body of the failed answer to `request`, when one was seen. */
export function errorBodyOf(request: unknown): string | undefined {
  return typeof request === 'object' && request !== null ? bodies.get(request) : undefined;
}
