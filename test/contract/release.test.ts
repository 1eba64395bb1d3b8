// The release path: azure-pipelines.yml and .ci/run run what the README says, and the Marketplace
// token stays a secret: mapped into one environment variable of the publishing steps, never
// echoed, never on a command line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readJson, repoRoot } from './repo';

const pipeline = fs.readFileSync(path.join(repoRoot, 'azure-pipelines.yml'), 'utf8');
const lines = pipeline.split('\n').filter((l) => !/^\s*#/.test(l));

describe('release pipeline (azure-pipelines.yml) and CI (.ci/run)', () => {
  it('installs, checks, tests on Node 20 and 24, packages both VSIX files and keeps them', () => {
    for (const step of [
      'script: npm ci',
      'script: npm run check',
      'script: npm test',
      'script: npm run package -- --output-dir "$(Build.ArtifactStagingDirectory)/vsix"',
      'artifact: vsix',
    ]) {
      assert.ok(
        lines.some((l) => l.trim() === `- ${step}` || l.trim() === step),
        step,
      );
    }
    assert.match(pipeline, /node20:\s+nodeVersion: 20\.x\s+node24:\s+nodeVersion: 24\.x/);
  });

  it('publishes only from a version tag whose name matches package.json', () => {
    assert.match(pipeline, /tags:\s+include: \['v\*'\]/);
    assert.match(
      pipeline,
      /- stage: Publish[\s\S]*condition: and\(succeeded\(\), startsWith\(variables\['Build\.SourceBranch'\], 'refs\/tags\/v'\)\)/,
    );
    assert.match(pipeline, /if \[ "v\$version" != "\$\(Build\.SourceBranchName\)" \]/);
  });

  it('maps the Marketplace token into MARKETPLACE_TOKEN of the publish steps only', () => {
    const uses = lines.filter((l) => l.includes('MarketplaceToken'));
    assert.ok(uses.length >= 1);
    for (const line of uses) assert.equal(line.trim(), 'MARKETPLACE_TOKEN: $(MarketplaceToken)');
    const steps = pipeline.split(/\n\s*- (?=script:|task:|publish:|download:)/);
    for (const step of steps.filter((s) => s.includes('$(MarketplaceToken)'))) {
      assert.match(step, /npm run publish:vsix/);
    }
  });

  it('never echoes a variable or traces commands', () => {
    assert.deepEqual(
      lines.filter((l) => /set -x|set -o xtrace|echo .*MARKETPLACE_TOKEN|--token/.test(l)),
      [],
    );
  });

  it('names npm scripts that exist', () => {
    const scripts = readJson<{ scripts: Record<string, string> }>('package.json').scripts;
    const named = [...pipeline.matchAll(/npm (?:run )?([\w:-]+)/g)].map((m) => m[1]!);
    const builtIn = new Set(['ci', 'test', 'run']);
    assert.deepEqual(
      named.filter((n) => !builtIn.has(n) && !(n in scripts)),
      [],
    );
    assert.equal(scripts.version, 'tsx scripts/setVersion.ts');
  });

  it('.ci/run installs, checks, then tests', () => {
    const ci = fs
      .readFileSync(path.join(repoRoot, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((l) => /^npm /.test(l));
    assert.deepEqual(ci, ['npm ci', 'npm run check', 'npm test']);
  });
});
