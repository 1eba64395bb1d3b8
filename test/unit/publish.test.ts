import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, publishVsix, redact, type TfxRunner } from '../../scripts/publish';

const TOKEN = 'mkt-pat-0123456789abcdefghijklmnopqrstuvwxyz';
const repoRoot = path.resolve(__dirname, '..', '..');

/** A tfx stand-in that records its calls and says what it is told, token included. */
function fakeTfx(
  status: number,
  say: (args: string[]) => string,
): TfxRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run: TfxRunner = (args) => {
    calls.push(args);
    return { status, output: say(args) };
  };
  return Object.assign(run, { calls });
}

describe('scripts/publish (npm run publish:vsix)', () => {
  let dir: string;
  let vsix: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvs-publish-test-'));
    vsix = path.join(dir, 'contoso.keyvault-secrets-1.2.3.vsix');
    fs.writeFileSync(vsix, 'PK');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [what, token] of [
    ['no token', undefined],
    ['an empty token', ''],
    ['a blank token', '  \t'],
  ] as const) {
    it(`refuses to run with ${what}, before starting tfx`, () => {
      const tfx = fakeTfx(0, () => '');
      assert.throws(
        () => publishVsix({ vsixPath: vsix, token }, tfx, () => undefined),
        /^Error: MARKETPLACE_TOKEN is not set\. Set it to a Marketplace personal access token \(scope Marketplace: publish\); nothing was published\.$/,
      );
      assert.deepEqual(tfx.calls, []);
    });
  }

  it('refuses a VSIX that does not exist, before starting tfx', () => {
    const tfx = fakeTfx(0, () => '');
    const missing = path.join(dir, 'missing.vsix');
    assert.throws(
      () => publishVsix({ vsixPath: missing, token: TOKEN }, tfx, () => undefined),
      new Error(`${missing} does not exist: run \`npm run package\` first.`),
    );
    assert.deepEqual(tfx.calls, []);
  });

  it('hands the token to tfx once and never shows it, even when tfx echoes it', () => {
    const lines: string[] = [];
    const tfx = fakeTfx(0, (args) => `publishing with ${args.join(' ')}\ndone ${TOKEN}\n`);
    publishVsix({ vsixPath: vsix, token: TOKEN, shareWith: ['contoso'] }, tfx, (l) =>
      lines.push(l),
    );
    assert.deepEqual(tfx.calls, [
      [
        'extension',
        'publish',
        '--vsix',
        vsix,
        '--auth-type',
        'pat',
        '--token',
        TOKEN,
        '--no-prompt',
        '--no-color',
        '--share-with',
        'contoso',
      ],
    ]);
    assert.equal(lines.length, 1);
    assert.ok(!lines.join('\n').includes(TOKEN));
    assert.match(lines[0]!, /--token \*\*\* --no-prompt[\s\S]*\ndone \*\*\*$/);
  });

  it('fails with its own message when tfx fails, without the token', () => {
    const lines: string[] = [];
    const tfx = fakeTfx(255, () => `error: Access denied for token ${TOKEN}`);
    assert.throws(
      () => publishVsix({ vsixPath: vsix, token: TOKEN }, tfx, (l) => lines.push(l)),
      new Error(
        'tfx extension publish failed with exit code 255 for contoso.keyvault-secrets-1.2.3.vsix.',
      ),
    );
    assert.deepEqual(lines, ['error: Access denied for token ***']);
  });

  it('redacts every occurrence', () => {
    assert.equal(redact(`a ${TOKEN} b ${TOKEN}`, TOKEN), 'a *** b ***');
    assert.equal(redact('nothing', ''), 'nothing');
  });

  describe('command line', () => {
    it('takes the token from MARKETPLACE_TOKEN only', () => {
      assert.equal(parseArgs([], { MARKETPLACE_TOKEN: TOKEN }).token, TOKEN);
      for (const argv of [['--token', TOKEN], [`--token=${TOKEN}`]]) {
        assert.throws(
          () => parseArgs(argv, {}),
          /^Error: Pass the token in MARKETPLACE_TOKEN, not on the command line\.$/,
        );
      }
    });

    it('finds the packaged VSIX of this version, the dev one with --dev', () => {
      const { version } = JSON.parse(
        fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
      ) as { version: string };
      assert.equal(
        parseArgs(['--publisher', 'contoso'], {}).vsixPath,
        path.join(repoRoot, 'dist', `contoso.keyvault-secrets-${version}.vsix`),
      );
      assert.equal(
        parseArgs(['--dev'], { KVS_PUBLISHER: 'contoso' }).vsixPath,
        path.join(repoRoot, 'dist', `contoso.keyvault-secrets-dev-${version}.vsix`),
      );
      assert.deepEqual(
        parseArgs(['--share-with', 'fabrikam'], { KVS_SHARE_WITH: 'contoso, tailspin' }).shareWith,
        ['contoso', 'tailspin', 'fabrikam'],
      );
    });
  });

  it('as a command, exits 1 without a token and prints only the refusal', function () {
    this.timeout(30_000);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts', 'publish.ts'), '--vsix', vsix],
      { cwd: repoRoot, env, encoding: 'utf8' },
    );
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'MARKETPLACE_TOKEN is not set. Set it to a Marketplace personal access token (scope Marketplace: publish); nothing was published.\n',
    );
  });
});
