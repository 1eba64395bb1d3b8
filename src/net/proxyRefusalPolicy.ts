import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/** Raised when the agent's proxy refuses to tunnel because its credentials are missing or wrong. */
export class ProxyRefusedError extends Error {
  readonly statusCode = 407;
  constructor() {
    super('The proxy answered 407 Proxy Authentication Required.');
    this.name = 'ProxyRefusedError';
  }
}

/**
 * A 407 reaches the SDK as if the vault had sent it (https-proxy-agent replays the proxy's answer),
 * and the SDK then fails to read it as a Key Vault error body. Stop it here with a named error.
 */
export const proxyRefusalPolicy: PipelinePolicy = {
  name: 'keyVaultSecretsTaskProxyRefusal',
  async sendRequest(request, next): Promise<PipelineResponse> {
    const response = await next(request);
    if (response.status === 407) throw new ProxyRefusedError();
    return response;
  },
};
