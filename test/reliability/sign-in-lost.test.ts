/**
 * A refresh token rejected during the keep-alive (`invalid_grant`, as after a long idle or a
 * revoked session). The keep-alive must stop without a storm of token requests, show one
 * notification, and the tray must ask the user to sign in again.
 */

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { buildTrayModel } from '../../main/core/tray/tray-model.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { withinRealTime } from './support/matrix-scenario.ts';
import { MatrixWorld } from './support/matrix-world.ts';
import { startHarness, type TrayHarness } from './support/tray-harness.ts';

const MINUTE = 60_000;

describe('refresh token rejected in the keep-alive', () => {
  const world = new MatrixWorld();
  let harness: TrayHarness;
  let tokenRequestsAfter = 0;
  let notificationTitles: string[] = [];

  before(async () => {
    await world.open();
    const dataDir = await mkdtemp(join(tmpdir(), 'pt-sign-in-lost-'));
    world.folders.push(dataDir);
    const log = new MemoryLog('info');
    harness = await startHarness({
      dataDir,
      platform: 'linux',
      driver: world.driver,
      transport: world.transport,
      logger: log.logger,
      authority: world.sandbox.authority,
      graphBaseUrl: world.gate.origin,
      caPem: world.sandbox.caPem,
    });
    const presence = harness.running.presence;
    await withinRealTime(presence.signIn('browser'), 30_000, 'the sign-in');
    await world.driver.settle(presence.setPresence({ availability: 'Busy', durationMs: null }), 'the set', { fakeMs: 60_000, realMs: 30_000 });

    // The next keep-alive gets a 401, and the refresh that follows gets invalid_grant.
    world.sandbox.control.revokeRefreshTokens();
    world.sandbox.control.injectFaults({
      action: 'setPresence',
      responses: [{ status: 401, graphError: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }],
    });
    world.sandbox.control.clearRequests();
    await world.driver.pass(30 * MINUTE);

    tokenRequestsAfter = world.sandbox.control.requests().filter((entry) => entry.action === 'token').length;
    notificationTitles = harness.notifications.created.map((notification) => String(notification.options.title));
  });

  after(async () => {
    await harness.running.stop();
    await world.close();
  });

  test('keep-alive stops without a storm', () => {
    assert.ok(tokenRequestsAfter <= 1, `${tokenRequestsAfter} token requests in 30 minutes after the refresh token was rejected`);
    assert.ok(notificationTitles.length <= 1, `notifications: ${notificationTitles.join(', ')}`);
  });

  test('tray asks to sign in again', () => {
    const state = harness.running.presence.state();
    const model = buildTrayModel(state, {
      settings: harness.running.settings.get(),
      platform: 'linux',
      nowWallMs: world.driver.fake.wallMs(),
      shortcutAvailable: true,
    });

    assert.match(model.menu[0]?.label ?? '', /^Sign in again/);
    assert.equal(notificationTitles.length, 1, `one notification asks to sign in again; shown: ${notificationTitles.join(', ') || 'none'}`);
  });
});
