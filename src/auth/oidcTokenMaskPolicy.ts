import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/**
 * Masks the OIDC token Azure DevOps issues for workload identity federation the moment it arrives.
 * That token is a credential in its own right: for its lifetime Entra exchanges it for access
 * tokens of the connection's app (docs/agent-interface.md §9). The credential keeps it to itself,
 * but its error texts may quote the exchange, so it is registered with the masker like every
 * access token, before anything could print it. The answer is `{"oidcToken":"<JWT>"}`
 * (Azure DevOps REST API, Distributed Task - Oidctoken - Create).
 */
export function oidcTokenMaskPolicy(mask: (value: string) => void): PipelinePolicy {
  return {
    name: 'keyVaultSecretsTaskOidcTokenMask',
    async sendRequest(request, next): Promise<PipelineResponse> {
      const response = await next(request);
      const body = response.bodyAsText;
      if (typeof body === 'string' && body.includes('"oidcToken"')) {
        const token = oidcTokenIn(body);
        if (token !== undefined) mask(token);
      }
      return response;
    },
  };
}

/** The `oidcToken` of an Azure DevOps answer, or undefined when the body holds none. */
export function oidcTokenIn(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const token =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { oidcToken?: unknown }).oidcToken
        : undefined;
    return typeof token === 'string' && token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}
