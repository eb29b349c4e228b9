import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClearRecord } from '../../main/core/app-state.ts';
import type { JournalRecord } from '../../main/core/presence/journal.ts';
import type { PresenceSessionOptions } from '../../main/core/presence/session.ts';
import { PresenceSession } from '../../main/core/presence/session.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeJournalStore } from '../fakes/journal-store.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakeGraphError, FakePresenceWriter } from '../fakes/presence-writer.ts';

const MINUTE = 60_000;
const IDENTITY = { presenceId: '6e9c3f4a-1b2d-4c5e-8f90-123456789abc', sessionId: 'a1b2c3d4-e5f6-4789-8abc-def012345678' };
const BUSY = { availability: 'Busy', activity: 'InACall' };

function rig(options: Partial<PresenceSessionOptions> & { initialJournal?: JournalRecord } = {}) {
  const clock = new FakeClock();
  const events: string[] = [];
  const writer = new FakePresenceWriter(clock, events);
  const journal = new FakeJournalStore(options.initialJournal, events);
  const log = new MemoryLog();
  const session = new PresenceSession({ identity: () => IDENTITY, ...options, writer, clock, journal, logger: log.logger });
  return { clock, events, writer, journal, log, session };
}

test('three callers one request', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { delayMs: 200 });

  const deadline = clock.monotonicMs() + 3000;
  const fromTray = session.clear({ trigger: 'tray', deadlineMs: Infinity });
  const fromShortcut = session.clear({ trigger: 'shortcut', deadlineMs: Infinity });
  const fromQuit = session.clear({ trigger: 'quit', deadlineMs: deadline });
  await clock.advance(200);
  const records = await Promise.all([fromTray, fromShortcut, fromQuit]);

  assert.equal(writer.callsOf('clearPresence').length, 1);
  for (const record of records) {
    assert.equal(record.result, 'cleared');
    assert.equal(record.trigger, 'tray');
  }
});

test('clear after joined clear sends again', async () => {
  const { writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await session.clear({ trigger: 'tray', deadlineMs: Infinity });
  const second = await session.clear({ trigger: 'shortcut', deadlineMs: Infinity });
  assert.equal(writer.callsOf('clearPresence').length, 1);
  assert.equal(second.result, 'already-cleared');
});

test('clear returns at deadline', async () => {
  const { clock, writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { delayMs: 10_000, ignoreDeadline: true });

  const started = clock.monotonicMs();
  let settledAt: number | null = null;
  const pending = session.clear({ trigger: 'suspend', deadlineMs: started + 1500 }).then((record) => {
    settledAt = clock.monotonicMs();
    return record;
  });
  await clock.advance(1500);

  assert.equal(settledAt, started + 1500);
  const record = await pending;
  assert.equal(record.result, 'journaled');
  assert.match(record.error ?? '', /1500 ms/);
  assert.notEqual(journal.record.entry, null);
  assert.equal(session.state().kind, 'clear-pending');
});

test('writer timeout journals clear', async () => {
  const { clock, writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { delayMs: 10_000 });

  const pending = session.clear({ trigger: 'quit', deadlineMs: clock.monotonicMs() + 3000 });
  await clock.advance(3000);
  const record = await pending;

  assert.equal(record.result, 'journaled');
  assert.notEqual(journal.record.entry, null);
});

test('late clear closes journal', async () => {
  const { clock, writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { delayMs: 10_000, ignoreDeadline: true });

  const pending = session.clear({ trigger: 'suspend', deadlineMs: clock.monotonicMs() + 1500 });
  await clock.advance(1500);
  assert.equal((await pending).result, 'journaled');
  await clock.advance(10_000);

  assert.equal(journal.record.entry, null);
  assert.equal(session.state().kind, 'none');
});

test('404 means already cleared', async () => {
  const { writer, journal, session, log } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.session = null; // the session expired at Microsoft, or an earlier clear's response was lost

  const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });

  assert.equal(record.result, 'already-cleared');
  assert.equal(record.error, undefined);
  assert.equal(writer.callsOf('clearPresence').length, 1);
  assert.equal(journal.record.entry, null);
  assert.equal(session.problem(), null);
  assert.equal(log.lines.filter((line) => line.level === 'warn' || line.level === 'error').length, 0, log.text());
});

test('404 error means already cleared', async () => {
  const { writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { error: new FakeGraphError('not-found', 'no such session (fake)') });

  const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });

  assert.equal(record.result, 'already-cleared');
  assert.equal(writer.callsOf('clearPresence').length, 1);
  assert.equal(journal.record.entry, null);
});

test('nothing to clear sends nothing', async () => {
  const { writer, session } = rig();
  const record = await session.clear({ trigger: 'quit', deadlineMs: 3000 });
  assert.equal(writer.calls.length, 0);
  assert.equal(record.result, 'already-cleared');
  assert.equal(record.requestId, null);
});

test('quit after clear sends nothing', async () => {
  const { writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await session.clear({ trigger: 'tray', deadlineMs: Infinity });
  const callsBefore = writer.calls.length;

  const record = await session.clear({ trigger: 'quit', deadlineMs: 3000 });

  assert.equal(writer.calls.length, callsBefore);
  assert.equal(record.result, 'already-cleared');
});

test('clear failure keeps journal', async () => {
  const { writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  writer.script('clearPresence', { error: new FakeGraphError('network', 'connection refused (fake)', undefined, null) });

  const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });

  assert.equal(record.result, 'journaled');
  assert.match(record.error ?? '', /connection refused/);
  assert.equal(journal.record.entry?.presenceId, IDENTITY.presenceId);
  const state = session.state();
  assert.ok(state.kind === 'clear-pending', state.kind);
  assert.match(state.lastError, /connection refused/);
  assert.equal(session.problem()?.kind, 'offline');
});

test('clear aborts set in flight', async () => {
  const { clock, writer, events, session } = rig();
  writer.script('setPresence', { delayMs: 5000 });
  const setting = session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(100);

  const record = await session.clear({ trigger: 'shortcut', deadlineMs: Infinity });
  await setting;

  assert.equal(record.result, 'already-cleared');
  assert.equal(writer.callsOf('clearPresence').length, 1);
  assert.deepEqual(events.filter((event) => event.startsWith('writer.')), ['writer.setPresence', 'writer.clearPresence']);
  assert.equal(writer.session, null);
});

test('clear stops keep-alive', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await session.clear({ trigger: 'tray', deadlineMs: Infinity });
  await clock.advance(30 * MINUTE);
  assert.equal(writer.callsOf('setPresence').length, 1);
  assert.equal(clock.pendingTimers(), 0);
});

test('expired entry closed without request', async () => {
  const { clock, writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  clock.jumpWall(60 * MINUTE); // wall time moved while the timers were frozen

  const record = await session.clear({ trigger: 'quit', deadlineMs: clock.monotonicMs() + 3000 });

  assert.equal(record.result, 'already-cleared');
  assert.equal(writer.callsOf('clearPresence').length, 0);
  assert.equal(journal.record.entry, null);
});

test('recovered entry uses signed-in ids', async () => {
  const initialJournal: JournalRecord = { version: 1, entry: { presenceId: null, sessionId: null, expiresAt: null }, paused: false };
  const { writer, session } = rig({ initialJournal });
  const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });
  const call = writer.callsOf('clearPresence')[0];
  assert.equal(call?.presenceId, IDENTITY.presenceId);
  assert.deepEqual(call?.body, { sessionId: IDENTITY.sessionId });
  assert.equal(record.result, 'already-cleared');
});

test('signed out recovered entry journaled', async () => {
  const initialJournal: JournalRecord = { version: 1, entry: { presenceId: null, sessionId: null, expiresAt: null }, paused: false };
  const { writer, journal, session } = rig({ initialJournal, identity: () => null });
  const record = await session.clear({ trigger: 'quit', deadlineMs: 3000 });
  assert.equal(writer.calls.length, 0);
  assert.equal(record.result, 'journaled');
  assert.match(record.error ?? '', /Sign in/);
  assert.notEqual(journal.record.entry, null);
});

test('spent deadline sends nothing', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  const record = await session.clear({ trigger: 'suspend', deadlineMs: clock.monotonicMs() });
  assert.equal(writer.callsOf('clearPresence').length, 0);
  assert.equal(record.result, 'journaled');
});

test('clear logs trigger and request id', async () => {
  const { session, log } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  const record: ClearRecord = await session.clear({ trigger: 'shortcut', deadlineMs: Infinity });
  const line = log.lines.find((entry) => entry.message === 'presence cleared');
  assert.ok(line, log.text());
  assert.equal(line.fields.trigger, 'shortcut');
  assert.equal(line.fields.requestId, record.requestId);
});

test('state listener sees clear', async () => {
  const { session } = rig();
  const kinds: string[] = [];
  session.onChange((state) => kinds.push(state.kind));
  await session.set({ pair: BUSY, intentUntil: null });
  await session.clear({ trigger: 'tray', deadlineMs: Infinity });
  assert.equal(kinds[0], 'active');
  assert.equal(kinds.at(-1), 'none');
});

test('failed clear reopens lost entry', async () => {
  const { writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  journal.record = { version: 1, entry: null, paused: false }; // the entry was lost
  writer.script('clearPresence', { error: new FakeGraphError('network', 'offline (fake)') });

  const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });

  assert.equal(record.result, 'journaled');
  assert.equal(journal.record.entry?.presenceId, IDENTITY.presenceId);
});

test('unrecorded failed clear reports failed', async () => {
  const { writer, journal, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  journal.record = { version: 1, entry: null, paused: false };
  journal.failingWrites = 1;
  writer.script('clearPresence', { error: new FakeGraphError('network', 'offline (fake)') });

  const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });

  assert.equal(record.result, 'failed');
});
