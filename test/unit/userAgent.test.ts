import { strict as assert } from 'node:assert';
import { readRunIdentity, type RunIdentity } from '../../src/audit/runIdentity';
import { runMarker, userAgentPrefix } from '../../src/audit/userAgent';

const BUILD_VARIABLES: Record<string, string> = {
  'System.CollectionId': 'a6c1f3d2-1c84-4625-995a-f7f143a1e43d',
  'System.TeamProjectId': '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
  'System.DefinitionId': '12',
  'Build.BuildId': '345',
  'System.JobAttempt': '2',
};

const from =
  (variables: Record<string, string>) =>
  (name: string): string | undefined =>
    variables[name];

describe('audit/userAgent', () => {
  it('names the task, its version and the build run', () => {
    assert.equal(
      userAgentPrefix('1.4.2', runMarker(readRunIdentity(from(BUILD_VARIABLES)))),
      'KeyVaultSecretsTask/1.4.2 (org=a6c1f3d2-1c84-4625-995a-f7f143a1e43d; project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; definition=12; build=345; attempt=2)',
    );
  });

  it('names a classic release by its release id, even though Build.BuildId is set there too', () => {
    const identity = readRunIdentity(
      from({ ...BUILD_VARIABLES, 'Release.ReleaseId': '77', 'System.DefinitionId': '3' }),
    );
    assert.deepEqual(identity.run, { kind: 'release', id: '77' });
    assert.equal(
      runMarker(identity),
      '(org=a6c1f3d2-1c84-4625-995a-f7f143a1e43d; project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; definition=3; release=77; attempt=2)',
    );
  });

  it('leaves out ids the agent did not set, and the marker when it set none', () => {
    const partial = readRunIdentity(from({ 'Build.BuildId': '9', 'System.JobAttempt': '1' }));
    assert.equal(runMarker(partial), '(build=9; attempt=1)');
    const none: RunIdentity = readRunIdentity(from({}));
    assert.equal(runMarker(none), undefined);
    assert.equal(userAgentPrefix('1.0.0', runMarker(none)), 'KeyVaultSecretsTask/1.0.0');
  });

  it('never puts text that is not a plain id into the header', () => {
    const identity = readRunIdentity(
      from({
        'System.CollectionId': 'evil\r\nX-Injected: 1',
        'System.TeamProjectId': ' 6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c ',
        'Build.BuildId': '1; attempt=9)',
        'System.JobAttempt': '1',
      }),
    );
    assert.equal(runMarker(identity), '(project=6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c; attempt=1)');
    assert.equal(
      userAgentPrefix('1.0.0-beta', runMarker(identity)).split(' ')[0],
      'KeyVaultSecretsTask/unknown',
    );
  });
});
