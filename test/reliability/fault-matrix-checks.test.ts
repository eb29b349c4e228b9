/**
 * The fault matrix's own checks, shown to fail. Each test runs a scenario whose trigger does
 * something wrong behind the app's back and expects the report to say so: a session missing
 * from the journal, a write inside a Retry-After, a session longer than the self-expiry bound.
 * Without these, a matrix that passes could be one whose checks never look.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { PresenceClient } from '../../main/core/graph/presence-client.ts';
import { acquireSandboxTokens, SANDBOX_CLIENT_ID } from '../../main/sandbox/index.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FAULTS } from './support/matrix-cases.ts';
import { Scenario, type FaultCase, type TriggerCase } from './support/matrix-scenario.ts';
import { MatrixWorld, USER_ID } from './support/matrix-world.ts';

const NO_FAULT: FaultCase = { id: 'none', title: 'no fault', retryAfterMs: null, arm: async () => {} };

describe('fault matrix checks', () => {
  const world = new MatrixWorld();

  before(async () => {
    await world.open();
  });

  after(async () => {
    await world.close();
  });

  /** Creates a Graph client outside the app, with its own tokens, as another program would have. */
  async function outsideClient(): Promise<PresenceClient> {
    const tokens = await acquireSandboxTokens({ authority: world.sandbox.authority, caPem: world.sandbox.caPem });
    return new PresenceClient({
      transport: world.transport,
      graphBaseUrl: world.gate.origin,
      tokens: { getAccessToken: async () => tokens.accessToken },
      clock: world.driver.clock,
      logger: new MemoryLog().logger,
      apiVersion: 'v1.0',
    });
  }

  /** Returns a trigger that clears from the tray and then runs `after` behind the app's back. */
  function trayClearThen(after: (scenario: Scenario) => Promise<void>): TriggerCase {
    return {
      id: 'sabotage',
      title: 'tray clear with sabotage',
      platform: 'linux',
      action: 'clearPresence',
      budgetMs: Infinity,
      fire: async (scenario) => {
        const elapsed = await scenario.fireClear(() => scenario.harness.tray.contextMenu?.click('clear'), 'the tray clear', Infinity);
        await after(scenario);
        return elapsed;
      },
      recover: async () => {},
    };
  }

  test('hidden session is caught', async () => {
    const client = await outsideClient();
    const trigger = trayClearThen(async (scenario) => {
      const set = client.setPresence(
        USER_ID,
        { sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT10M' },
        { deadlineMs: Infinity },
      );
      await scenario.settle(set, 'the hidden set', 60_000);
    });

    const report = await new Scenario(world, NO_FAULT, trigger).run();

    assert.ok(report.journalMismatches.length > 0, 'a session unknown to the journal went unnoticed');
    assert.ok(report.trayLies.length > 0, 'a tray showing no session while one is live went unnoticed');
  });

  test('unbounded session is caught', async () => {
    const client = await outsideClient();
    const trigger = trayClearThen(async (scenario) => {
      const set = client.setPresence(
        USER_ID,
        { sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT4H' },
        { deadlineMs: Infinity },
      );
      await scenario.settle(set, 'the long set', 60_000);
    });

    const report = await new Scenario(world, NO_FAULT, trigger).run();

    assert.ok(report.unbounded.length > 0, 'a session set for 4 hours went unnoticed');
  });

  test('early write is caught', async () => {
    const throttled = FAULTS.find((fault) => fault.id === '429-41s');
    assert.ok(throttled !== undefined);
    const client = await outsideClient();
    const unaware = await outsideClient();
    const trigger = trayClearThen(async (scenario) => {
      // The app waits out the Retry-After. A second client, which never saw the 429, does not.
      scenario.world.sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ status: 429, headers: { 'Retry-After': '41' } }] });
      const first = client.clearPresence(USER_ID, { sessionId: SANDBOX_CLIENT_ID }, { deadlineMs: world.driver.fake.monotonicMs() + 10_000 });
      await scenario.settle(first.catch(() => null), 'the throttled clear', 60_000);
      await scenario.settle(unaware.clearPresence(USER_ID, { sessionId: SANDBOX_CLIENT_ID }, { deadlineMs: Infinity }), 'the early clear', 60_000);
    });

    const report = await new Scenario(world, throttled, trigger).run();

    assert.ok(report.earlyRequests.length > 0, 'a clear sent 0 s after a 429 with Retry-After 41 s went unnoticed');
  });
});
