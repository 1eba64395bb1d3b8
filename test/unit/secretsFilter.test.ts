import { strict as assert } from 'node:assert';
import {
  ACCEPTED_FORMS,
  MAX_FILTER_ENTRIES,
  parseSecretsFilter,
  type ExactEntry,
  type PatternEntry,
} from '../../src/config/secretsFilter';

const V1 = '0123456789abcdef0123456789abcdef';

function exact(text: string, extra: Partial<ExactEntry> = {}): ExactEntry {
  return {
    kind: 'exact',
    text,
    secretName: text,
    version: undefined,
    field: undefined,
    variable: undefined,
    optional: false,
    ...extra,
  };
}

function pattern(text: string, negated = false): PatternEntry {
  return { kind: 'pattern', text, glob: negated ? text.slice(1) : text, negated };
}

/** Accepted entries, each alone in the filter, and what they parse to. */
const ACCEPTED: Array<[string, ExactEntry | PatternEntry]> = [
  ['db-password', exact('db-password')],
  ['Db-Password', exact('Db-Password')],
  ['1password', exact('1password')],
  [`rotated/${V1}`, exact(`rotated/${V1}`, { secretName: 'rotated', version: V1 })],
  [
    `rotated/${V1.toUpperCase()}`,
    exact(`rotated/${V1.toUpperCase()}`, { secretName: 'rotated', version: V1.toUpperCase() }),
  ],
  [
    'DB_PASSWORD=db-password',
    exact('DB_PASSWORD=db-password', { secretName: 'db-password', variable: 'DB_PASSWORD' }),
  ],
  [
    'my.var-1=db-password',
    exact('my.var-1=db-password', { secretName: 'db-password', variable: 'my.var-1' }),
  ],
  [' X = db-password ', exact('X = db-password', { secretName: 'db-password', variable: 'X' })],
  [
    'db-config.password',
    exact('db-config.password', { secretName: 'db-config', field: ['password'] }),
  ],
  ['a.b.c', exact('a.b.c', { secretName: 'a', field: ['b', 'c'] })],
  [
    `DB_PASS=db-config/${V1}.password?`,
    exact(`DB_PASS=db-config/${V1}.password?`, {
      secretName: 'db-config',
      version: V1,
      field: ['password'],
      variable: 'DB_PASS',
      optional: true,
    }),
  ],
  ['api-key?', exact('api-key?', { secretName: 'api-key', optional: true })],
  ['cfg.user_name', exact('cfg.user_name', { secretName: 'cfg', field: ['user_name'] })],
  ['*', pattern('*')],
  ['app-*', pattern('app-*')],
  ['*-prod', pattern('*-prod')],
  ['a*b*c', pattern('a*b*c')],
];

/** Rejected entries and the exact message each gets. */
const REJECTED: Array<[string, string]> = [
  [
    'db_password',
    "SecretsFilter entry 'db_password' is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
  ],
  [
    'X=db_password',
    "SecretsFilter entry 'X=db_password' names 'db_password', which is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
  ],
  ['=db', "SecretsFilter entry '=db' has no variable name before =."],
  [
    'my var=db',
    "SecretsFilter entry 'my var=db' sets 'my var', which is not a valid variable name: use letters, digits, '_', '.' and '-', starting with a letter, digit or '_'.",
  ],
  [
    'X=',
    "SecretsFilter entry 'X=' names '', which is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
  ],
  [
    'rotated/',
    "SecretsFilter entry 'rotated/' names version '', which is not a Key Vault version id: 32 hexadecimal digits, the last part of the secret's identifier.",
  ],
  [
    'rotated/latest',
    "SecretsFilter entry 'rotated/latest' names version 'latest', which is not a Key Vault version id: 32 hexadecimal digits, the last part of the secret's identifier.",
  ],
  [
    'db-config.',
    "SecretsFilter entry 'db-config.' has an empty or invalid JSON field: write fields as secret.field or secret.a.b, keys without spaces.",
  ],
  [
    'db-config..x',
    "SecretsFilter entry 'db-config..x' has an empty or invalid JSON field: write fields as secret.field or secret.a.b, keys without spaces.",
  ],
  [
    '.password',
    "SecretsFilter entry '.password' names '', which is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
  ],
  [
    'X=app-*',
    "SecretsFilter entry 'X=app-*' is not valid: a pattern selects secrets by name only, so it takes no variable name, version, field or '?'.",
  ],
  [
    'app-*?',
    "SecretsFilter entry 'app-*?' is not valid: a pattern selects secrets by name only, so it takes no variable name, version, field or '?'.",
  ],
  [
    'app-*.password',
    "SecretsFilter entry 'app-*.password' is not valid: a pattern selects secrets by name only, so it takes no variable name, version, field or '?'.",
  ],
  [
    'app_*',
    "SecretsFilter entry 'app_*' is not a valid pattern: patterns have letters, digits, hyphens and * (any run of characters).",
  ],
  [
    '!',
    "SecretsFilter entry '!' is not a valid pattern: patterns have letters, digits, hyphens and * (any run of characters).",
  ],
  [
    'db#1',
    "SecretsFilter entry 'db#1' is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
  ],
  [
    'x##vso[task.complete]y',
    "SecretsFilter entry 'x##_vso[task.complete]y' names 'x##_vso[task', which is not a valid Key Vault secret name: names have 1 to 127 characters, only letters, digits and hyphens.",
  ],
];

describe('parseSecretsFilter: the grammar', () => {
  for (const [text, entry] of ACCEPTED) {
    it(`accepts ${JSON.stringify(text)}`, () => {
      const withExclusion = entry.kind === 'pattern' ? [entry] : [];
      assert.deepEqual(parseSecretsFilter(text), {
        selection: {
          exact: entry.kind === 'exact' ? [entry] : [],
          patterns: withExclusion,
        },
        errors: [],
      });
    });
  }

  for (const [text, message] of REJECTED) {
    it(`rejects ${JSON.stringify(text)} with the accepted forms`, () => {
      assert.deepEqual(parseSecretsFilter(text).errors, [`${message} ${ACCEPTED_FORMS}`]);
    });
  }

  it('reports every malformed entry at once, in order, and keeps the good ones', () => {
    const result = parseSecretsFilter('ok, db_password, X=app-*, also-ok, rotated/x');
    assert.deepEqual(
      result.errors.map((e) => e.slice(0, e.indexOf(' ', 'SecretsFilter entry '.length + 1))),
      [
        "SecretsFilter entry 'db_password'",
        "SecretsFilter entry 'X=app-*'",
        "SecretsFilter entry 'rotated/x'",
      ],
    );
    assert.deepEqual(
      result.selection.exact.map((e) => e.text),
      ['ok', 'also-ok'],
    );
  });

  it('splits on commas and new lines, ignores blanks, and drops # comments', () => {
    const result = parseSecretsFilter(
      [
        '# secrets for the app',
        'app-*, !app-legacy-*   # all but the old ones',
        '',
        '  DB_PASS=db-config.password,#not-this',
        '\r\napi-key?\r',
        ' , ,',
      ].join('\n'),
    );
    assert.deepEqual(result, {
      selection: {
        exact: [
          exact('DB_PASS=db-config.password', {
            secretName: 'db-config',
            field: ['password'],
            variable: 'DB_PASS',
          }),
          exact('api-key?', { secretName: 'api-key', optional: true }),
        ],
        patterns: [pattern('app-*'), pattern('!app-legacy-*', true)],
      },
      errors: [],
    });
  });

  it('keeps AzureKeyVault@2 filters: names, trimmed, in order, empty entries ignored', () => {
    const result = parseSecretsFilter(' db-password , ApiKey,,token-1, ');
    assert.deepEqual(
      result.selection.exact.map((e) => e.secretName),
      ['db-password', 'ApiKey', 'token-1'],
    );
    assert.deepEqual(result.errors, []);
  });

  it('accepts * with names: patterns and exact entries together', () => {
    assert.deepEqual(parseSecretsFilter('*, db'), {
      selection: { exact: [exact('db')], patterns: [pattern('*')] },
      errors: [],
    });
  });

  it('accepts a 127-character name and refuses a 128-character one', () => {
    const ok = 'a'.repeat(127);
    assert.deepEqual(parseSecretsFilter(ok).errors, []);
    const errors = parseSecretsFilter('b'.repeat(128)).errors;
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^SecretsFilter entry 'b{80}…' is not a valid Key Vault/);
  });

  it('refuses exclusions with nothing to exclude from', () => {
    assert.deepEqual(parseSecretsFilter('db, !app-legacy-*').errors, [
      "SecretsFilter entry '!app-legacy-*' removes secrets from what patterns select, but no pattern selects any. Add one, such as '*' or 'app-*'.",
    ]);
  });

  for (const empty of [undefined, '', '   ', ',', ' , ,', '# nothing\n  # at all']) {
    it(`refuses an empty filter (${JSON.stringify(empty)})`, () => {
      assert.deepEqual(parseSecretsFilter(empty).errors, [
        "SecretsFilter is empty. Set it to '*' for every enabled secret of the vault, or to a list of secret names separated by commas or new lines.",
      ]);
    });
  }

  it('refuses a filter with more entries than the limit', () => {
    const many = Array.from({ length: MAX_FILTER_ENTRIES + 1 }, (_, i) => `s${i}`).join('\n');
    assert.deepEqual(parseSecretsFilter(many).errors, [
      `SecretsFilter lists ${MAX_FILTER_ENTRIES + 1} entries; at most ${MAX_FILTER_ENTRIES} are accepted. Use patterns such as 'app-*' or '*' to fetch many secrets.`,
    ]);
  });
});
