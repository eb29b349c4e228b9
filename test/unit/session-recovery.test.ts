import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalRecord } from '../../main/core/presence/journal.ts';
import type { PresenceSessionOptions } from '../../main/core/presence/session.ts';
import { PresenceSession } from '../../main/core/presence/session.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeJournalStore } from '../fakes/journal-store.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakeGraphError, FakePresenceWriter } from '../fakes/presence-writer.ts';

const MINUTE = 60_000;
const IDENTITY = { presenceId: '6e9c3f4a-1b2d-4c5e-8f90-123456789abc', sessionId: 'a1b2c3d4-e5f6-4789-8abc-def012345678' };
const OTHER_USER = '0f1e2d3c-4b5a-4697-8877-665544332211';
const BUSY = { availability: 'Busy', activity: 'InACall' };

/** Starts one app run: a session over a journal and writer that outlive it, as the file and Graph do. */
function launch(journal: FakeJournalStore, writer: FakePresenceWriter, clock: FakeClock, options: Partial<PresenceSessionOptions> = {}) {
  const log = new MemoryLog();
  const session = new PresenceSession({ identity: () => IDENTITY, ...options, writer, clock, journal, logger: log.logger });
  return { session, log };
}

function rig(initialJournal?: JournalRecord) {
  const clock = new FakeClock();
  const events: string[] = [];
  const writer = new FakePresenceWriter(clock, events);
  const journal = new FakeJournalStore(initialJournal, events);
  return { clock, events, writer, journal };
}

function writerEvents(events: string[]): string[] {
  return events.filter((event) => event.startsWith('writer.')).map((event) => event.slice('writer.'.length));
}

test('start replays journal first', async () => {
  const { clock, events, writer, journal } = rig();
  const first = launch(journal, writer, clock).session;
  await first.set({ pair: BUSY, intentUntil: clock.wallMs() + 60 * MINUTE });
  first.dispose(); // the app crashed: no clear
  events.length = 0;

  const { session } = launch(journal, writer, clock);
  await session.start(clock.monotonicMs() + 3000);

  assert.deepEqual(writerEvents(events).slice(0, 2), ['clearPresence', 'setPresence']);
  assert.equal(session.state().kind, 'active');
});

test('start closes expired entry silently', async () => {
  const { clock, writer, journal } = rig();
  const first = launch(journal, writer, clock).session;
  await first.set({ pair: BUSY, intentUntil: null });
  first.dispose();
  clock.jumpWall(24 * 60 * MINUTE); // the next launch is the next day
  writer.calls.length = 0;

  const { session } = launch(journal, writer, clock);
  await session.start(clock.monotonicMs() + 3000);

  assert.equal(writer.calls.length, 0);
  assert.equal(journal.record.entry, null);
  assert.equal(session.state().kind, 'none');
});

test('start with empty journal sends nothing', async () => {
  const { clock, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.start(clock.monotonicMs() + 3000);
  assert.equal(writer.calls.length, 0);
});

test('pause then restart stays paused', async () => {
  const { clock, writer, journal } = rig();
  const first = launch(journal, writer, clock).session;
  await first.set({ pair: BUSY, intentUntil: clock.wallMs() + 60 * MINUTE });

  const record = await first.pause();
  assert.equal(record.result, 'cleared');
  assert.equal(first.state().kind, 'paused');
  await clock.advance(10 * MINUTE);
  assert.equal(writer.callsOf('setPresence').length, 1);
  first.dispose();

  const { session } = launch(journal, writer, clock);
  await session.start(clock.monotonicMs() + 3000);
  assert.equal(writer.callsOf('setPresence').length, 1);
  assert.equal(session.state().kind, 'paused');
});

test('pause with failed clear not re-asserted', async () => {
  const { clock, events, writer, journal } = rig();
  const first = launch(journal, writer, clock).session;
  await first.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { error: new FakeGraphError('network', 'offline (fake)') });
  assert.equal((await first.pause()).result, 'journaled');
  assert.equal(journal.record.paused, true);
  first.dispose();
  events.length = 0;

  const { session } = launch(journal, writer, clock);
  await session.start(clock.monotonicMs() + 3000);

  assert.deepEqual(writerEvents(events), ['clearPresence']);
  assert.equal(session.state().kind, 'paused');
});

test('set after pause unpauses', async () => {
  const { clock, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.pause();
  await session.set({ pair: BUSY, intentUntil: null });
  assert.equal(journal.record.paused, false);
  assert.equal(session.state().kind, 'active');
});

test('failed quit clear not re-asserted', async () => {
  const { clock, events, writer, journal } = rig();
  const first = launch(journal, writer, clock).session;
  await first.set({ pair: BUSY, intentUntil: clock.wallMs() + 60 * MINUTE });
  writer.script('clearPresence', { error: new FakeGraphError('network', 'offline (fake)') });
  assert.equal((await first.clear({ trigger: 'quit', deadlineMs: clock.monotonicMs() + 3000 })).result, 'journaled');
  assert.equal(journal.record.entry?.intent, undefined);
  first.dispose();
  events.length = 0;

  const { session } = launch(journal, writer, clock);
  await session.start(clock.monotonicMs() + 3000);

  assert.deepEqual(writerEvents(events), ['clearPresence']);
  assert.equal(session.state().kind, 'none');
});

test('resume re-asserts after suspend', async () => {
  const { clock, events, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: null });
  await session.clear({ trigger: 'suspend', deadlineMs: clock.monotonicMs() + 1500 });
  assert.equal(session.state().kind, 'none');
  events.length = 0;

  await session.onResume();

  assert.deepEqual(writerEvents(events).slice(0, 2), ['getPresence', 'setPresence']);
  assert.equal(session.state().kind, 'active');
});

test('resume replays failed suspend clear', async () => {
  const { clock, events, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { error: new FakeGraphError('network', 'network going down (fake)') });
  await session.clear({ trigger: 'suspend', deadlineMs: clock.monotonicMs() + 1500 });
  events.length = 0;

  await session.onResume();

  assert.deepEqual(writerEvents(events).slice(0, 3), ['clearPresence', 'getPresence', 'setPresence']);
  assert.equal(session.state().kind, 'active');
});

test('resume waits while clear still fails', async () => {
  const { clock, events, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: null });
  const offline = { error: new FakeGraphError('network', 'offline (fake)') };
  writer.script('clearPresence', offline, offline);
  await session.clear({ trigger: 'suspend', deadlineMs: clock.monotonicMs() + 1500 });
  events.length = 0;

  await session.onResume();

  assert.deepEqual(writerEvents(events), ['clearPresence']);
  assert.equal(session.state().kind, 'clear-pending');

  await session.onNetworkUp();
  assert.deepEqual(writerEvents(events).slice(1, 4), ['clearPresence', 'getPresence', 'setPresence']);
});

test('resume after intent passed', async () => {
  const { clock, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: clock.wallMs() + 30 * MINUTE });
  await session.clear({ trigger: 'suspend', deadlineMs: clock.monotonicMs() + 1500 });
  clock.jumpWall(60 * MINUTE);

  await session.onResume();

  assert.equal(writer.callsOf('setPresence').length, 1);
  assert.equal(session.state().kind, 'none');
});

test('clock jump ends passed intent', async () => {
  const { clock, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: clock.wallMs() + 6 * MINUTE });
  clock.jumpWall(6 * MINUTE + 10_000); // slept with no resume event: the timers did not fire

  await session.onClockJump();

  assert.equal(writer.callsOf('setPresence').length, 1);
  assert.equal(writer.callsOf('clearPresence').length, 1);
  assert.equal(session.state().kind, 'none');
});

test('clock jump past expiry sends nothing', async () => {
  const { clock, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: clock.wallMs() + 30 * MINUTE });
  clock.jumpWall(40 * MINUTE);

  await session.onClockJump();

  assert.equal(writer.callsOf('setPresence').length, 1);
  assert.equal(writer.callsOf('clearPresence').length, 0);
  assert.equal(journal.record.entry, null);
  assert.equal(session.state().kind, 'none');
});

test('clock jump refreshes live session', async () => {
  const { clock, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: null });
  clock.jumpWall(3 * MINUTE);

  await session.onClockJump();

  assert.equal(writer.callsOf('clearPresence').length, 0);
  assert.equal(writer.callsOf('setPresence').length, 2);
  assert.equal(session.state().kind, 'active');
});

test('set clears other user first', async () => {
  const initialJournal: JournalRecord = {
    version: 1,
    entry: { presenceId: OTHER_USER, sessionId: IDENTITY.sessionId, expiresAt: Date.UTC(2026, 11, 4, 9, 10) },
    paused: false,
  };
  const { clock, writer, journal } = rig(initialJournal);
  const { session } = launch(journal, writer, clock);

  await session.set({ pair: BUSY, intentUntil: null });

  const calls = writer.calls.filter((call) => call.method !== 'getPresence').map((call) => `${call.method}:${call.presenceId}`);
  assert.deepEqual(calls, [`clearPresence:${OTHER_USER}`, `setPresence:${IDENTITY.presenceId}`]);
});

test('set waits for clear in flight', async () => {
  const { clock, events, writer, journal } = rig();
  const { session } = launch(journal, writer, clock);
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { delayMs: 1000 });
  events.length = 0;

  const clearing = session.clear({ trigger: 'tray', deadlineMs: Infinity });
  const setting = session.set({ pair: { availability: 'Away', activity: 'Away' }, intentUntil: null });
  await clock.advance(1000);
  await Promise.all([clearing, setting]);

  assert.deepEqual(writerEvents(events).slice(0, 2), ['clearPresence', 'setPresence']);
  assert.equal(writer.session?.availability, 'Away');
});
