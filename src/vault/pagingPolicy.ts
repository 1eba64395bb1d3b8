import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { ForeignOriginError } from '../net/vaultOriginPolicy';
import { createPageGuard, MAX_PAGES, PagingError } from './pageGuard';

function nextLinkOf(bodyAsText: string | null | undefined): string | undefined {
  if (typeof bodyAsText !== 'string' || !bodyAsText.includes('"nextLink"')) return undefined;
  try {
    const body = JSON.parse(bodyAsText) as { nextLink?: unknown };
    return typeof body.nextLink === 'string' ? body.nextLink : undefined;
  } catch {
    return undefined; // vaultAnswerPolicy reports bodies that are not JSON
  }
}

/**
 * Checks each list page's `nextLink` the moment the page arrives, before the SDK follows it: the
 * SDK's pager follows any link it is given, for ever, and does not expose the link to callers
 * (its page mapping drops `continuationToken`). A refused link fails the listing with a named
 * error instead of a request. One policy, and so one guard, per vault client.
 */
export function pagingPolicy(vaultUrl: string, maxPages = MAX_PAGES): PipelinePolicy {
  const guard = createPageGuard(vaultUrl, maxPages);
  return {
    name: 'keyVaultSecretsTaskPaging',
    async sendRequest(request, next): Promise<PipelineResponse> {
      const response = await next(request);
      if (response.status !== 200) return response;
      const nextLink = nextLinkOf(response.bodyAsText);
      if (nextLink === undefined) return response;
      const verdict = guard.accept(nextLink);
      if (verdict.ok) return response;
      if (verdict.reason === 'foreign-origin')
        throw new ForeignOriginError(verdict.origin, 'nextLink');
      throw new PagingError(
        verdict.reason === 'loop' ? 'PAGING_LOOP' : 'PAGING_LIMIT',
        guard.pages,
      );
    },
  };
}
