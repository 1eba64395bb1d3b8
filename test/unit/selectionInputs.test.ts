import { strict as assert } from 'node:assert';
import { parseBooleanInput, parseChoiceInput } from '../../src/config/choiceInput';
import { parseTagFilter } from '../../src/config/tagFilter';
import { matchesTags } from '../../src/secrets/tags';
import { globMatcher } from '../../src/secrets/glob';
import { skipReason } from '../../src/secrets/validity';

describe('selection inputs', () => {
  it('pickLists take their values in any case; empty is the default', () => {
    const formats = ['asIs', 'upperSnake'] as const;
    assert.deepEqual(parseChoiceInput('VariableNameFormat', undefined, formats, 'asIs'), {
      value: 'asIs',
    });
    assert.deepEqual(parseChoiceInput('VariableNameFormat', 'uppersnake', formats, 'asIs'), {
      value: 'upperSnake',
    });
    assert.deepEqual(parseChoiceInput('VariableNameFormat', 'snake', formats, 'asIs'), {
      error:
        "VariableNameFormat is 'snake'; expected one of: 'asIs', 'upperSnake' (default 'asIs').",
    });
    assert.deepEqual(parseChoiceInput('ExpiredSecrets', 'FAIL', ['warn', 'fail'], 'warn'), {
      value: 'fail',
    });
  });

  it('booleans: true or false in any case, empty is false, anything else an error', () => {
    assert.deepEqual(parseBooleanInput('OutputVariables', 'True'), { value: true });
    assert.deepEqual(parseBooleanInput('OutputVariables', 'false'), { value: false });
    assert.deepEqual(parseBooleanInput('OutputVariables', undefined), { value: false });
    assert.deepEqual(parseBooleanInput('OutputVariables', 'yes'), {
      error: "OutputVariables is 'yes'; expected one of: 'true', 'false' (default 'false').",
    });
  });

  it('TagFilter: key=value and key, commas, blanks ignored, every empty key reported', () => {
    assert.deepEqual(parseTagFilter(' env = prod , pipeline,, owner=a=b, empty= '), {
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'pipeline', value: undefined },
        { key: 'owner', value: 'a=b' },
        { key: 'empty', value: '' },
      ],
    });
    assert.deepEqual(parseTagFilter('=x, ok, =y'), {
      errors: [
        "TagFilter entry '=x' has no tag name. Write key=value (that value) or key (the tag is present), separated by commas.",
        "TagFilter entry '=y' has no tag name. Write key=value (that value) or key (the tag is present), separated by commas.",
      ],
    });
    assert.deepEqual(parseTagFilter(undefined), { tags: [] });
  });

  it('tags: every condition must hold; names ignore case, values do not', () => {
    const tags = { Env: 'Prod', team: '' };
    assert.equal(matchesTags(tags, []), true);
    assert.equal(matchesTags(tags, [{ key: 'env', value: 'Prod' }]), true);
    assert.equal(matchesTags(tags, [{ key: 'env', value: 'prod' }]), false);
    assert.equal(matchesTags(tags, [{ key: 'TEAM', value: undefined }]), true);
    assert.equal(matchesTags(tags, [{ key: 'team', value: '' }]), true);
    assert.equal(
      matchesTags(tags, [
        { key: 'env', value: 'Prod' },
        { key: 'owner', value: undefined },
      ]),
      false,
    );
  });

  it('globs: * is any run, case-insensitive, anchored', () => {
    const cases: Array<[string, string, boolean]> = [
      ['app-*', 'app-db', true],
      ['app-*', 'APP-', true],
      ['app-*', 'my-app-db', false],
      ['*-prod', 'api-PROD', true],
      ['*', 'anything', true],
      ['a*b', 'ab', true],
      ['a*b', 'a-x-b-c', false],
      ['exact', 'EXACT', true],
      ['exact', 'exactly', false],
    ];
    for (const [glob, name, expected] of cases)
      assert.equal(globMatcher(glob)(name), expected, `${glob} ~ ${name}`);
  });

  it('validity judges against one now', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const at = (iso: string): Date => new Date(iso);
    const base = { enabled: true, notBefore: undefined, expiresOn: undefined };
    assert.equal(skipReason(base, now), undefined);
    assert.equal(skipReason({ ...base, enabled: false }, now), 'disabled');
    assert.equal(skipReason({ ...base, expiresOn: now }, now), 'expired');
    assert.equal(skipReason({ ...base, expiresOn: at('2026-06-01T00:00:01Z') }, now), undefined);
    assert.equal(skipReason({ ...base, notBefore: now }, now), undefined);
    assert.equal(
      skipReason({ ...base, notBefore: at('2026-06-01T00:00:01Z') }, now),
      'not yet valid',
    );
  });
});
