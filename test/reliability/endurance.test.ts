/**
 * Endurance on a fake clock: the whole tray app against the sandbox over real sockets, with the
 * sandbox sharing the app's fake clock, so 8 and 24 hours of keep-alive take seconds. It checks
 * the sandbox's own record: every successful set must come before the previous one expired and
 * before an Available session fades (5 minutes), and nothing may outlive the intent.
 */

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { parseIsoDuration } from '../../main/core/graph/duration.ts';
import type { FaultResponse, RequestLogEntry } from '../../main/sandbox/index.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { MatrixWorld } from './support/matrix-world.ts';
import { processFaultMark, processFaultsSince } from './support/process-guard.ts';
import { chooseSeed, seededRandom, type SeededRandom } from './support/seeded-random.ts';
import { withinRealTime } from './support/matrix-scenario.ts';
import { startHarness, type TrayHarness } from './support/tray-harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Graph fades an Available session that was not refreshed for 5 minutes. */
const FADE_MS = 5 * MINUTE;

/** Share of Graph and token requests that fail in the 24-hour run. */
const FAILURE_RATE = 0.02;

/** Responses queued per fault rule; more than the 24-hour run sends. */
const QUEUED_RESPONSES = 5000;

interface SetRecord {
  at: number;
  expiresAt: number;
}

/** Successful setPresence requests as the sandbox logged them. */
function successfulSets(requests: readonly RequestLogEntry[]): SetRecord[] {
  return requests
    .filter((entry) => entry.action === 'setPresence' && entry.status !== null && entry.status >= 200 && entry.status < 300)
    .map((entry) => {
      const duration = (entry.body as { expirationDuration: string }).expirationDuration;
      return { at: entry.at, expiresAt: entry.at + parseIsoDuration(duration) };
    });
}

/** Returns each stretch of more than `limitMs` between two sets, and each lapse between them. */
function findGaps(sets: readonly SetRecord[], limitMs: number): string[] {
  const gaps: string[] = [];
  for (let index = 1; index < sets.length; index += 1) {
    const previous = sets[index - 1] as SetRecord;
    const current = sets[index] as SetRecord;
    if (current.at - previous.at >= limitMs) {
      gaps.push(`${Math.round((current.at - previous.at) / 1000)} s between sets at +${Math.round((previous.at - (sets[0]?.at ?? 0)) / 1000)} s`);
    }
    if (current.at > previous.expiresAt) {
      gaps.push(`the session lapsed for ${Math.round((current.at - previous.expiresAt) / 1000)} s at +${Math.round((previous.expiresAt - (sets[0]?.at ?? 0)) / 1000)} s`);
    }
  }
  return gaps;
}

/** Seeded faults for one rule: 2% of the responses fail in one of four ways, the rest pass. */
function randomFaults(random: SeededRandom): FaultResponse[] {
  const kinds: FaultResponse[] = [{ status: 503 }, { status: 500 }, { reset: true }, { status: 429, headers: { 'Retry-After': '5' } }];
  return Array.from({ length: QUEUED_RESPONSES }, (): FaultResponse => {
    if (random.next() >= FAILURE_RATE) {
      return { passThrough: true };
    }
    return structuredClone(kinds[random.int(0, kinds.length - 1)] as FaultResponse);
  });
}

describe('endurance on a fake clock', () => {
  const world = new MatrixWorld();
  let harness: TrayHarness | null = null;

  before(async () => {
    await world.open();
  });

  after(async () => {
    await harness?.running.stop();
    await world.close();
  });

  async function startSignedIn(): Promise<TrayHarness> {
    await harness?.running.stop();
    const dataDir = await mkdtemp(join(tmpdir(), 'pt-endurance-'));
    world.folders.push(dataDir);
    const log = new MemoryLog('info');
    world.outputs.addLive(`log of ${dataDir}`, () => log.text());
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
    await withinRealTime(harness.running.presence.signIn('browser'), 30_000, 'the sign-in');
    world.sandbox.control.clearRequests();
    return harness;
  }

  /** Passes `ms` of fake time a minute at a time; returns the minutes when the session was not Available. */
  async function runFor(ms: number, wanted: () => boolean): Promise<string[]> {
    const faded: string[] = [];
    for (let elapsed = 0; elapsed < ms; elapsed += MINUTE) {
      await world.driver.pass(MINUTE);
      const live = world.liveSession();
      if (wanted() && live?.current.activity !== 'Available') {
        faded.push(`minute ${elapsed / MINUTE + 1}: ${live === null ? 'no session' : `${live.current.availability}/${live.current.activity}`}`);
      }
    }
    return faded;
  }

  test('8-hour intent stays Available', async () => {
    const mark = processFaultMark();
    const app = await startSignedIn();
    const intentMs = 8 * HOUR;
    const intentEndsAt = world.sandbox.control.now() + intentMs;

    await world.driver.settle(app.running.presence.setPresence({ availability: 'Available', durationMs: intentMs }), 'the set', { fakeMs: 60_000, realMs: 30_000 });
    const faded = await runFor(intentMs - MINUTE, () => true);
    await world.driver.pass(2 * MINUTE);

    const sets = successfulSets(world.graphRequests());
    const pastIntent = sets.filter((set) => set.expiresAt > Math.max(intentEndsAt, set.at + FADE_MS));
    const lastSet = sets.at(-1);

    assert.ok(sets.length >= 8 * 60 / 5, `only ${sets.length} successful sets in 8 hours`);
    assert.deepEqual(findGaps(sets, FADE_MS), []);
    assert.deepEqual(faded, []);
    assert.deepEqual(pastIntent, [], 'a set asked to outlive the intent by more than the 5-minute minimum');
    assert.ok(lastSet !== undefined, 'no set succeeded');
    assert.ok(lastSet.at < intentEndsAt, 'a set went out after the intent ended');
    assert.equal(world.liveSession(), null, 'the session is live after the intent ended');
    assert.equal(app.running.presence.state().session.kind, 'none');
    assert.deepEqual(processFaultsSince(mark), []);
  });

  test('24 hours with 2% failures never lapse', async (context) => {
    const mark = processFaultMark();
    const random = seededRandom(chooseSeed());
    context.diagnostic(`seed ${random.seed} (set RELIABILITY_SEED=${random.seed} to repeat this run)`);
    const app = await startSignedIn();

    await world.driver.settle(app.running.presence.setPresence({ availability: 'Available', durationMs: null }), 'the set', { fakeMs: 60_000, realMs: 30_000 });
    world.sandbox.control.injectFaults({ pathPattern: '^/(v1\\.0|beta)/', responses: randomFaults(random) });
    world.sandbox.control.injectFaults({ action: 'token', responses: randomFaults(random) });
    const faded = await runFor(24 * HOUR, () => true);
    world.sandbox.control.clearFaults();

    const requests = world.sandbox.control.requests();
    const failed = requests.filter((entry) => entry.fault === 'response' || entry.fault === 'reset').length;
    const sets = successfulSets(requests.filter((entry) => entry.path.startsWith('/v1.0/') || entry.path.startsWith('/beta/')));
    context.diagnostic(`${requests.length} requests, ${failed} failed on purpose, ${sets.length} successful sets`);

    await world.driver.settle(app.running.presence.clearPresence('tray'), 'the final clear', { fakeMs: 10 * MINUTE, realMs: 30_000 });

    assert.ok(failed > 0, 'no request failed, so the run tested nothing');
    assert.ok(sets.length >= 24 * 60 / 5, `only ${sets.length} successful sets in 24 hours`);
    assert.deepEqual(findGaps(sets, FADE_MS), []);
    assert.deepEqual(faded, []);
    assert.equal(world.liveSession(), null, 'the session is live after the final clear');
    assert.deepEqual(processFaultsSince(mark), []);
  });

  test('endurance output holds no secret', async () => {
    const hits = await world.outputs.findSecrets(world.sandbox.control.issuedSecrets());

    assert.deepEqual(hits, []);
  });
});
