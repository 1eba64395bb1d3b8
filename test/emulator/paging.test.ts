/** Key Vault list paging (pure). */
import assert from 'node:assert/strict';
import { takePage, type PageResult } from './paging';

const names = ['a', 'B', 'c', 'D', 'e'];
const key = (s: string): string => s;

function follow(pageSize: number, leadingEmptyPages: number): string[][] {
  const pages: string[][] = [];
  let skipToken: string | undefined;
  for (;;) {
    const page: PageResult<string> = takePage(names, key, {
      pageSize,
      leadingEmptyPages,
      ...(skipToken !== undefined && { skipToken }),
    });
    assert.ok(page.ok);
    pages.push(page.items);
    if (page.nextToken === null) return pages;
    skipToken = page.nextToken;
  }
}

describe('list paging', () => {
  it('emits the leading empty pages, then items, and ends on a short page', () => {
    assert.deepEqual(follow(2, 2), [[], [], ['a', 'B'], ['c', 'D'], ['e']]);
  });

  it('gives a full last page a nextLink and then an empty final page, as recorded', () => {
    assert.deepEqual(follow(5, 0), [['a', 'B', 'c', 'D', 'e'], []]);
    assert.deepEqual(follow(1, 0), [['a'], ['B'], ['c'], ['D'], ['e'], []]);
  });

  it('continues after the marker even when items change between pages', () => {
    const first = takePage(names, key, { pageSize: 2, leadingEmptyPages: 0 });
    assert.ok(first.ok && first.nextToken);
    const grown = ['a', 'aa', 'B', 'bb', 'c'];
    const second = takePage(grown, key, {
      pageSize: 2,
      leadingEmptyPages: 0,
      skipToken: first.nextToken,
    });
    assert.ok(second.ok);
    assert.deepEqual(second.items, ['bb', 'c']);
  });

  it('refuses a token it did not issue', () => {
    assert.deepEqual(
      takePage(names, key, { pageSize: 2, leadingEmptyPages: 0, skipToken: 'Sanitized' }),
      {
        ok: false,
        reason: "Invalid $skiptoken 'Sanitized'.",
      },
    );
  });
});
