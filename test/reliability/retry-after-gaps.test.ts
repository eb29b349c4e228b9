/**
 * Retry-After across triggers. The fault matrix fires each recovery after the Retry-After has
 * passed. These tests fire it a minute after a 429 with Retry-After 600 s, as an early resume or
 * relaunch would. Graph's throttling guidance requests no new request before the wait ends, so
 * the replayed clear must wait: the client remembers the wait within a run, and the journal
 * keeps it across a relaunch.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import { FAULTS, TRIGGERS } from './support/matrix-cases.ts';
import { Scenario, type TriggerCase } from './support/matrix-scenario.ts';
import { MatrixWorld } from './support/matrix-world.ts';


describe('Retry-After across triggers', () => {
  const world = new MatrixWorld();
  const throttled = FAULTS.find((fault) => fault.id === '429-600s');
  const suspend = TRIGGERS.find((trigger) => trigger.id === 'suspend');
  const quit = TRIGGERS.find((trigger) => trigger.id === 'quit');

  before(async () => {
    await world.open();
  });

  after(async () => {
    await world.close();
  });

  /** Returns `trigger` with its recovery a minute later, inside the Retry-After. */
  function recoverEarly(trigger: TriggerCase | undefined, recover: (scenario: Scenario) => Promise<void>): TriggerCase {
    assert.ok(trigger !== undefined);
    return { ...trigger, recover };
  }

  test('resume inside Retry-After waits', async () => {
    assert.ok(throttled !== undefined);
    const trigger = recoverEarly(suspend, async (scenario) => {
      scenario.driver.fake.jumpWall(60_000);
      await scenario.settle(scenario.presence.handlePowerEvent('resume'), 'the replay at resume', 120_000);
    });

    const report = await new Scenario(world, throttled, trigger).run();

    assert.deepEqual(report.earlyRequests, []);
  });

  test('relaunch inside Retry-After waits', async () => {
    assert.ok(throttled !== undefined);
    const trigger = recoverEarly(quit, async (scenario) => {
      await scenario.driver.pass(60_000);
      await scenario.relaunch();
    });

    const report = await new Scenario(world, throttled, trigger).run();

    assert.ok(report.triggerMs <= DEFAULT_SETTINGS.budgetsMs.quit + 500, `the quit took ${report.triggerMs} ms`);
    assert.deepEqual(report.earlyRequests, []);
  });
});
