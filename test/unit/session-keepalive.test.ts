import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ACTIVITY, InvalidPresencePairError } from '../../main/core/presence/pairs.ts';
import type { PresenceSessionOptions } from '../../main/core/presence/session.ts';
import { PresenceSession, PresenceSessionError } from '../../main/core/presence/session.ts';
import type { PresenceCallOptions, SetPresenceBody } from '../../main/core/presence/writer.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeJournalStore } from '../fakes/journal-store.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakeGraphError, FakePresenceWriter } from '../fakes/presence-writer.ts';

const MINUTE = 60_000;
const IDENTITY = { presenceId: '6e9c3f4a-1b2d-4c5e-8f90-123456789abc', sessionId: 'a1b2c3d4-e5f6-4789-8abc-def012345678' };
const AVAILABLE = { availability: 'Available', activity: DEFAULT_ACTIVITY.Available };
const BUSY = { availability: 'Busy', activity: DEFAULT_ACTIVITY.Busy };

function rig(options: Partial<PresenceSessionOptions> & { writer?: FakePresenceWriter; clock?: FakeClock } = {}) {
  const clock = options.clock ?? new FakeClock();
  const events: string[] = [];
  const writer = options.writer ?? new FakePresenceWriter(clock, events);
  const journal = new FakeJournalStore(undefined, events);
  const log = new MemoryLog();
  const session = new PresenceSession({ identity: () => IDENTITY, ...options, writer, clock, journal, logger: log.logger });
  return { clock, events, writer, journal, log, session };
}

/** Parses the `PT#H#M#S` forms the session sends into ms. */
function durationMs(text: string): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  assert.ok(match, `not an ISO duration: ${text}`);
  return (Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * MINUTE + Number(match[3] ?? 0) * 1000;
}

function setBodies(writer: FakePresenceWriter): SetPresenceBody[] {
  return writer.callsOf('setPresence').map((call) => call.body as SetPresenceBody);
}

test('keep-alive hour has no gap', async () => {
  const { clock, writer, session } = rig();
  const intentUntil = clock.wallMs() + 60 * MINUTE;

  await session.set({ pair: AVAILABLE, intentUntil });
  await clock.advance(70 * MINUTE);

  const sets = writer.callsOf('setPresence');
  const clears = writer.callsOf('clearPresence');
  assert.equal(clears.length, 1);
  assert.equal(clears[0]?.wallMs, intentUntil);
  const writes = [...sets.map((call) => call.monotonicMs), clears[0]!.monotonicMs];
  for (let index = 1; index < writes.length; index += 1) {
    const gap = writes[index]! - writes[index - 1]!;
    assert.ok(gap < 5 * MINUTE, `gap of ${gap} ms before write ${index}`);
  }
  for (const call of sets) {
    assert.ok(call.wallMs < intentUntil, 'set after the intent ended');
    const body = call.body as SetPresenceBody;
    const endsAt = call.wallMs + durationMs(body.expirationDuration);
    // A set with under 5 minutes of intent left must still request PT5M; the clear ends it on time.
    assert.ok(endsAt <= intentUntil || body.expirationDuration === 'PT5M', `set at ${call.wallMs} expires at ${endsAt}`);
  }
  assert.equal(session.state().kind, 'none');
});

test('keep-alive until cleared', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(60 * MINUTE);

  const bodies = setBodies(writer);
  assert.equal(bodies.length, 16);
  for (const body of bodies) {
    assert.deepEqual(body, { sessionId: IDENTITY.sessionId, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT10M' });
  }
  assert.equal(writer.callsOf('clearPresence').length, 0);
});

test('self expiry setting bounds duration', async () => {
  const { writer, session } = rig({ selfExpiryMs: () => 30 * MINUTE });
  await session.set({ pair: BUSY, intentUntil: null });
  assert.equal(setBodies(writer)[0]?.expirationDuration, 'PT30M');
});

test('journal written before set', async () => {
  const { clock, events, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(20 * MINUTE);

  const setIndexes = events.flatMap((event, index) => (event === 'writer.setPresence' ? [index] : []));
  assert.equal(setIndexes.length, 6);
  for (const index of setIndexes) {
    assert.equal(events[index - 1], 'journal.write', `event before set #${index}: ${events.join(',')}`);
  }
});

test('journal expiry covers each set', async () => {
  const { clock, writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(12 * MINUTE);

  const sets = writer.callsOf('setPresence');
  assert.equal(journal.writes.length, sets.length);
  sets.forEach((call, index) => {
    const expiresAt = journal.writes[index]?.entry?.expiresAt ?? 0;
    const sessionEnds = call.wallMs + durationMs((call.body as SetPresenceBody).expirationDuration);
    assert.ok(expiresAt >= sessionEnds, `entry ${index} expires at ${expiresAt}, session at ${sessionEnds}`);
  });
});

test('state shows next refresh', async () => {
  const { clock, session } = rig();
  const start = clock.wallMs();
  await session.set({ pair: BUSY, intentUntil: null });
  const state = session.state();
  assert.equal(state.kind, 'active');
  assert.ok(state.kind === 'active');
  assert.equal(state.nextRefreshAt, start + 4 * MINUTE);
  assert.equal(state.expiresAt, start + 10 * MINUTE);
});

test('token renewed ahead in keep-alive', async () => {
  const clock = new FakeClock();
  let tokenExpiresAt = clock.wallMs() + 60 * MINUTE;
  let refreshes = 0;
  const renewToken = async (): Promise<void> => {
    if (tokenExpiresAt - clock.wallMs() < 10 * MINUTE) {
      tokenExpiresAt = clock.wallMs() + 60 * MINUTE;
      refreshes += 1;
    }
  };
  // A writer that fails as Graph does when the access token has expired.
  class ExpiringTokenWriter extends FakePresenceWriter {
    override async setPresence(presenceId: string, body: SetPresenceBody, options: PresenceCallOptions) {
      if (clock.wallMs() >= tokenExpiresAt) {
        throw new FakeGraphError('unauthorized', 'access token expired (fake)');
      }
      return super.setPresence(presenceId, body, options);
    }
  }
  const writer = new ExpiringTokenWriter(clock);
  const { session, log } = rig({ clock, writer, renewToken });

  await session.set({ pair: AVAILABLE, intentUntil: null });
  await clock.advance(150 * MINUTE);

  assert.ok(refreshes >= 2, `token refreshed ${refreshes} times`);
  assert.equal(log.lines.filter((line) => line.message === 'setPresence failed').length, 0, log.text());
  const times = writer.callsOf('setPresence').map((call) => call.monotonicMs);
  for (let index = 1; index < times.length; index += 1) {
    assert.ok(times[index]! - times[index - 1]! < 5 * MINUTE, `gap before set ${index}`);
  }
  assert.equal(session.state().kind, 'active');
});

test('renewal failure still refreshes', async () => {
  const renewToken = async (): Promise<void> => {
    throw new FakeGraphError('transient', 'token endpoint unreachable (fake)');
  };
  const { clock, writer, session } = rig({ renewToken });
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(4 * MINUTE);
  assert.equal(writer.callsOf('setPresence').length, 2);
});

test('refresh failures back off', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  const network = (): { error: Error } => ({ error: new FakeGraphError('network', 'connection reset (fake)') });
  writer.script('setPresence', network(), network(), network(), network(), network());

  await clock.advance(30 * MINUTE);

  const times = writer.callsOf('setPresence').map((call) => call.monotonicMs / 1000);
  // Success at 0 s; failures at 240, 270, 330, 450, 690; success at 930 s, then every 240 s.
  assert.deepEqual(times.slice(0, 8), [0, 240, 270, 330, 450, 690, 930, 1170]);
  assert.equal(session.problem(), null);
});

test('refresh failure sets problem', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('setPresence', { error: new FakeGraphError('network', 'connection reset (fake)') });
  await clock.advance(4 * MINUTE);
  assert.equal(session.problem()?.kind, 'offline');
  assert.equal(session.state().kind, 'active');
});

test('retry-after honoured in keep-alive', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('setPresence', { error: new FakeGraphError('throttled', 'too many requests (fake)', 10 * MINUTE) });

  await clock.advance(14 * MINUTE);

  const times = writer.callsOf('setPresence').map((call) => call.monotonicMs / MINUTE);
  assert.deepEqual(times, [0, 4, 14]);
  assert.equal(session.problem(), null);
});

test('sign-out stops keep-alive', async () => {
  let signedIn = true;
  const renewToken = async (): Promise<void> => {
    if (!signedIn) {
      throw new FakeGraphError('signed-out', 'refresh token rejected (fake)');
    }
  };
  const { clock, writer, journal, session } = rig({ renewToken });
  await session.set({ pair: BUSY, intentUntil: null });
  signedIn = false;

  await clock.advance(4 * MINUTE);
  const state = session.state();
  assert.ok(state.kind === 'active', state.kind);
  assert.equal(state.nextRefreshAt, null);
  assert.equal(session.problem()?.kind, 'sign-in-required');

  await clock.advance(60 * MINUTE);
  assert.equal(writer.callsOf('setPresence').length, 1);
  assert.equal(session.state().kind, 'none');
  assert.notEqual(journal.record.entry, null);
});

test('unauthorized set stops keep-alive', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('setPresence', { error: new FakeGraphError('unauthorized', 'token rejected after refresh (fake)') });
  await clock.advance(30 * MINUTE);
  assert.equal(writer.callsOf('setPresence').length, 2);
  assert.equal(session.problem()?.kind, 'sign-in-required');
});

test('first set failure rejects', async () => {
  const { writer, journal, session } = rig();
  writer.script('setPresence', { error: new FakeGraphError('forbidden', 'missing Presence.ReadWrite (fake)') });

  await assert.rejects(session.set({ pair: BUSY, intentUntil: null }), /missing Presence.ReadWrite/);
  assert.equal(session.state().kind, 'none');
  assert.equal(session.problem()?.kind, 'not-allowed');
  assert.notEqual(journal.record.entry, null);
  assert.equal(journal.record.entry?.intent, undefined);
});

test('invalid pair sends nothing', async () => {
  const { writer, journal, session } = rig();
  await assert.rejects(session.set({ pair: { availability: 'Busy', activity: 'Busy' }, intentUntil: null }), InvalidPresencePairError);
  assert.equal(writer.calls.length, 0);
  assert.equal(journal.writes.length, 0);
});

test('past intent rejected', async () => {
  const { clock, writer, session } = rig();
  await assert.rejects(session.set({ pair: BUSY, intentUntil: clock.wallMs() - 1 }), PresenceSessionError);
  assert.equal(writer.calls.length, 0);
});

test('signed out set rejected', async () => {
  const { writer, session } = rig({ identity: () => null });
  await assert.rejects(session.set({ pair: BUSY, intentUntil: null }), /Sign in first/);
  assert.equal(writer.calls.length, 0);
});

test('journal failure blocks set', async () => {
  const { writer, journal, session } = rig();
  journal.failingWrites = 1;
  await assert.rejects(session.set({ pair: BUSY, intentUntil: null }), /presence journal/);
  assert.equal(writer.calls.length, 0);
});

test('new set replaces intent', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(2 * MINUTE);
  await session.set({ pair: AVAILABLE, intentUntil: null });
  await clock.advance(4 * MINUTE);

  const pairs = setBodies(writer).map((body) => body.availability);
  assert.deepEqual(pairs, ['Busy', 'Available', 'Available']);
  assert.equal(writer.callsOf('setPresence')[2]?.monotonicMs, 6 * MINUTE);
});

test('keep-alive logs no token', async () => {
  const { clock, session, log } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(10 * MINUTE);
  assert.ok(log.lines.some((line) => line.message === 'presence set' && line.fields.requestId !== undefined), log.text());
  assert.doesNotMatch(log.text(), /eyJ|Bearer/);
});

test('sign-in resumes stopped keep-alive', async () => {
  let signedIn = true;
  const renewToken = async (): Promise<void> => {
    if (!signedIn) {
      throw new FakeGraphError('signed-out', 'refresh token rejected (fake)');
    }
  };
  const { clock, writer, session } = rig({ renewToken });
  await session.set({ pair: BUSY, intentUntil: null });
  signedIn = false;
  await clock.advance(4 * MINUTE);

  signedIn = true;
  await session.onSignedIn();
  await clock.advance(4 * MINUTE);

  assert.equal(writer.callsOf('setPresence').length, 3);
  assert.equal(session.problem(), null);
});

test('failed change drops old pair', async () => {
  const { writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('setPresence', { error: new FakeGraphError('bad-request', 'invalid pair (fake)') });
  await assert.rejects(session.set({ pair: AVAILABLE, intentUntil: null }));
  assert.equal(session.state().kind, 'none');
});
