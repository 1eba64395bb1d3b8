import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/** A vault request that would have gone to another origin than the vault's, refused unsent. */
export class ForeignOriginError extends Error {
  /** What classifyProblem reads. */
  readonly code = 'VAULT_FOREIGN_ORIGIN';
  /** Where it would have gone (what errorFacts reads as the host). */
  readonly host: string;
  constructor(
    /** The origin the request was meant for (scheme, host and port: no path, no query). */
    readonly target: string,
    /** What pointed there: a list page's nextLink, or any other request of the vault client. */
    readonly via: 'nextLink' | 'request',
  ) {
    super(`A vault request to ${target} (${via}) was refused: it is not the vault's origin.`);
    this.name = 'ForeignOriginError';
    this.host = target;
  }
}

/** Origins compare as the URL standard does: `https://h:443` is `https://h`; host case ignored. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The vault client sends its bearer token, which every vault the identity can read accepts, with
 * every request. Any URL the vault client is handed from outside (a list page's `nextLink`, a
 * redirect) could point elsewhere, so every request it sends is checked here, after the token was
 * attached (position perRetry runs after the Sign phase, right before the wire) and before it is
 * sent: only the vault's own origin is allowed. Core's redirect policy already skips cross-origin
 * redirects; this holds for every other way a URL can change as well.
 */
export function vaultOriginPolicy(vaultUrl: string): PipelinePolicy {
  const allowed = originOf(vaultUrl);
  return {
    name: 'keyVaultSecretsTaskVaultOrigin',
    sendRequest(request, next): Promise<PipelineResponse> {
      const target = originOf(request.url);
      if (target === undefined || target !== allowed) {
        return Promise.reject(new ForeignOriginError(target ?? '(not a URL)', 'request'));
      }
      return next(request);
    },
  };
}
