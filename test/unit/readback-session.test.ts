import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PresenceSession } from '../../main/core/presence/session.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeJournalStore } from '../fakes/journal-store.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakeGraphError, FakePresenceWriter } from '../fakes/presence-writer.ts';

const MINUTE = 60_000;
const IDENTITY = { presenceId: '6e9c3f4a-1b2d-4c5e-8f90-123456789abc', sessionId: 'a1b2c3d4-e5f6-4789-8abc-def012345678' };
const BUSY = { availability: 'Busy', activity: 'InACall' };
const OLD = { availability: 'Available', activity: 'Available' };
const PREFERRED_DND = { availability: 'DoNotDisturb', activity: 'DoNotDisturb' };

function rig() {
  const clock = new FakeClock();
  const writer = new FakePresenceWriter(clock);
  const log = new MemoryLog();
  const session = new PresenceSession({ writer, clock, journal: new FakeJournalStore(), logger: log.logger, identity: () => IDENTITY });
  return { clock, writer, session, log };
}

function readback(session: PresenceSession): string {
  const state = session.state();
  return state.kind === 'active' ? state.readback.kind : `not active (${state.kind})`;
}

function readTimes(writer: FakePresenceWriter): number[] {
  return writer.callsOf('getPresence').map((call) => call.monotonicMs / 1000);
}

test('lagging read pending then confirmed', async () => {
  const { clock, writer, session } = rig();
  writer.script('getPresence', { shown: OLD }, { shown: OLD });

  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(0);
  assert.equal(readback(session), 'pending');

  await clock.advance(30_000);
  assert.equal(readback(session), 'pending');

  await clock.advance(2 * MINUTE);
  assert.equal(readback(session), 'confirmed');
  assert.deepEqual(readTimes(writer), [0, 30, 150]);
});

test('readback sends no extra set', async () => {
  const { clock, writer, session } = rig();
  writer.script('getPresence', { shown: OLD }, { shown: OLD }, { shown: OLD }, { shown: OLD });

  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(10 * MINUTE);

  const setTimes = writer.callsOf('setPresence').map((call) => call.monotonicMs / MINUTE);
  assert.deepEqual(setTimes, [0, 4, 8]);
});

test('preferred presence overrides', async () => {
  const { clock, writer, session } = rig();
  writer.script('getPresence', { shown: PREFERRED_DND }, { shown: PREFERRED_DND }, { shown: PREFERRED_DND }, { shown: PREFERRED_DND });

  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(7 * MINUTE);
  assert.equal(readback(session), 'pending');

  await clock.advance(30_000);
  const state = session.state();
  assert.equal(readback(session), 'overridden');
  assert.ok(state.kind === 'active' && state.readback.kind === 'overridden');
  assert.deepEqual(state.readback.shown, PREFERRED_DND);
  assert.deepEqual(readTimes(writer).slice(0, 4), [0, 30, 150, 450]);
});

test('override ends at keep-alive read', async () => {
  const { clock, writer, session } = rig();
  writer.script('getPresence', { shown: PREFERRED_DND }, { shown: PREFERRED_DND }, { shown: PREFERRED_DND }, { shown: PREFERRED_DND });
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(7.5 * MINUTE);
  assert.equal(readback(session), 'overridden');

  await clock.advance(30_000); // keep-alive at 8 min reads once more; the user cleared the preferred presence
  assert.equal(readback(session), 'confirmed');
});

test('keep-alive read notices override', async () => {
  const { clock, writer, session } = rig();
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(0);
  assert.equal(readback(session), 'confirmed');

  writer.script('getPresence', { shown: PREFERRED_DND });
  await clock.advance(4 * MINUTE);
  assert.equal(readback(session), 'overridden');
});

test('failed reads end unknown', async () => {
  const { clock, writer, session } = rig();
  const failed = { error: new FakeGraphError('network', 'offline (fake)') };
  writer.script('getPresence', failed, failed, failed, failed);
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(7.5 * MINUTE);
  assert.equal(readback(session), 'unknown');
});

test('shown pair follows reads', async () => {
  const { clock, writer, session } = rig();
  writer.script('getPresence', { shown: OLD });
  await session.set({ pair: BUSY, intentUntil: null });
  await clock.advance(0);
  assert.deepEqual(session.shown(), OLD);
  await clock.advance(30_000);
  assert.deepEqual(session.shown(), BUSY);
});
