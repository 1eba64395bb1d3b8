import { strict as assert } from 'node:assert';
import { currentVersion } from '../../src/secrets/currentVersion';

const version = (
  id: string,
  created: string | undefined,
): { id: string; createdOn: Date | undefined } => ({
  id,
  createdOn: created === undefined ? undefined : new Date(created),
});

describe('secrets/currentVersion', () => {
  it('takes the version created last, whatever order the list is in', () => {
    const versions = [
      version('0b', '2026-11-01T00:00:00Z'),
      version('1a', '2026-11-30T00:00:00Z'),
      version('ff', '2026-10-01T00:00:00Z'),
    ];
    assert.equal(currentVersion(versions)?.id, '1a');
  });

  it('takes the one listed last among versions of the same second, and none of an empty list', () => {
    assert.equal(
      currentVersion([version('a', '2026-11-01T00:00:00Z'), version('b', '2026-11-01T00:00:00Z')])
        ?.id,
      'b',
    );
    assert.equal(currentVersion([]), undefined);
    assert.equal(currentVersion([version('x', undefined)])?.id, 'x');
  });
});
