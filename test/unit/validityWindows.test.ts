import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { DAY_MS, expiryState, rotationDue } from '../../src/secrets/validityWindows';
import { expiringMessage, rotationMessage } from '../../src/report/validityMessages';

describe('secrets/validityWindows', () => {
  // One fixed `now` for the whole run, read from a fake clock as run() reads it.
  let clock: sinon.SinonFakeTimers;
  let now: Date;
  beforeEach(() => {
    clock = sinon.useFakeTimers(new Date('2026-12-01T12:00:00Z'));
    now = new Date();
  });
  afterEach(() => clock.restore());
  const at = (offsetMs: number): Date => new Date(now.getTime() + offsetMs);

  describe('expiry (ExpiryWarningDays)', () => {
    it('warns within the window, counting whole days left', () => {
      assert.deepEqual(expiryState(at(30 * DAY_MS), now, 30), { kind: 'expiring', daysLeft: 30 });
      assert.deepEqual(expiryState(at(19 * DAY_MS + 3600_000), now, 30), {
        kind: 'expiring',
        daysLeft: 19,
      });
      assert.deepEqual(expiryState(at(1), now, 30), { kind: 'expiring', daysLeft: 0 });
    });

    it('says nothing past the window, without an expiry, or with the window off (0)', () => {
      assert.equal(expiryState(at(30 * DAY_MS + 1), now, 30), undefined);
      assert.equal(expiryState(undefined, now, 30), undefined);
      assert.equal(expiryState(at(DAY_MS), now, 0), undefined);
    });

    it('tells an expired secret apart, at the very instant too, whatever the window', () => {
      assert.deepEqual(expiryState(at(0), now, 30), { kind: 'expired' });
      assert.deepEqual(expiryState(at(-DAY_MS), now, 0), { kind: 'expired' });
    });

    it('does not move when the clock does: the run keeps its one now', () => {
      const expiresOn = at(30 * DAY_MS);
      clock.tick(2 * DAY_MS);
      assert.deepEqual(expiryState(expiresOn, now, 30), { kind: 'expiring', daysLeft: 30 });
    });
  });

  describe('rotation (RotationWarningDays)', () => {
    it('warns when the current version is older than the window', () => {
      assert.deepEqual(rotationDue(at(-(90 * DAY_MS + 1)), now, 90), { ageDays: 90 });
      assert.deepEqual(rotationDue(at(-400 * DAY_MS), now, 365), { ageDays: 400 });
    });

    it('says nothing at or inside the window, without a date, or when off (the default 0)', () => {
      assert.equal(rotationDue(at(-90 * DAY_MS), now, 90), undefined);
      assert.equal(rotationDue(undefined, now, 90), undefined);
      assert.equal(rotationDue(at(-4000 * DAY_MS), now, 0), undefined);
    });
  });

  it('words the warnings with the secret, the vault, the date and the fix', () => {
    assert.equal(
      expiringMessage({
        secretName: 'api-key',
        vaultName: 'contoso-kv',
        expiresOn: at(19 * DAY_MS),
        daysLeft: 19,
        warningDays: 30,
      }),
      "Secret 'api-key' in vault 'contoso-kv' expires on 2026-12-20 12:00 UTC (in 19 days; ExpiryWarningDays is 30). Set a new version before then (az keyvault secret set --vault-name contoso-kv --name api-key --expires <date> …), or move its expiry (az keyvault secret set-attributes --vault-name contoso-kv --name api-key --expires <date>).",
    );
    assert.match(
      expiringMessage({
        secretName: 'api-key',
        vaultName: 'contoso-kv',
        expiresOn: at(3600_000),
        daysLeft: 0,
        warningDays: 30,
      }),
      /\(within a day; ExpiryWarningDays is 30\)/,
    );
    assert.equal(
      rotationMessage({
        secretName: 'db-password',
        vaultName: 'contoso-kv',
        createdOn: at(-400 * DAY_MS),
        ageDays: 400,
        rotationDays: 365,
      }),
      "Secret 'db-password' in vault 'contoso-kv' has had the same value for 400 days: its current version was created on 2025-10-27 12:00 UTC (RotationWarningDays is 365). Rotate it: change the credential at its source, then set the new value as a new version (az keyvault secret set --vault-name contoso-kv --name db-password …).",
    );
  });
});
