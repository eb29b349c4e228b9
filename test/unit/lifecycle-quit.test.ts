import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuitCoordinator } from '../../main/core/lifecycle/quit-coordinator.ts';
import type { Clock } from '../../main/core/ports.ts';
import { PresenceSession } from '../../main/core/presence/session.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeJournalStore } from '../fakes/journal-store.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakePresenceWriter } from '../fakes/presence-writer.ts';

function rig(clock: Clock = new FakeClock()) {
  const log = new MemoryLog();
  const coordinator = new QuitCoordinator({ clock, logger: log.logger });
  return { coordinator, log };
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** Runs the quit and returns its report with the monotonic time it settled at. */
async function runQuit(clock: FakeClock, coordinator: QuitCoordinator, advanceMs: number) {
  let settledAt: number | null = null;
  const running = coordinator.run('user-quit').then((report) => {
    settledAt = clock.monotonicMs();
    return report;
  });
  await clock.advance(advanceMs);
  const report = await running;
  return { report, settledAt };
}

test('participants run concurrently', async () => {
  const clock = new FakeClock();
  const { coordinator } = rig(clock);
  coordinator.join('session', () => sleep(clock, 1000), 3000);
  coordinator.join('log', () => sleep(clock, 1000), 3000);

  const { report, settledAt } = await runQuit(clock, coordinator, 5000);

  assert.equal(settledAt, 1000);
  assert.deepEqual(report.participants.map((participant) => participant.outcome), ['done', 'done']);
});

test('hung participant times out', async () => {
  const clock = new FakeClock();
  const { coordinator } = rig(clock);
  coordinator.join('session', () => new Promise<void>(() => {}), 3000);
  coordinator.join('log', () => sleep(clock, 10), 500);

  const { report, settledAt } = await runQuit(clock, coordinator, 10_000);

  assert.equal(settledAt, 3000);
  assert.deepEqual(
    report.participants.map((participant) => [participant.id, participant.outcome]),
    [
      ['session', 'timed-out'],
      ['log', 'done'],
    ],
  );
});

test('failing participant logged', async () => {
  const clock = new FakeClock();
  const { coordinator, log } = rig(clock);
  coordinator.join('session', async () => {
    throw new Error('clear exploded');
  }, 3000);
  coordinator.join('sync', () => {
    throw new Error('threw before a promise');
  }, 3000);

  const { report } = await runQuit(clock, coordinator, 0);

  assert.deepEqual(report.participants.map((participant) => participant.outcome), ['failed', 'failed']);
  const failures = log.lines.filter((line) => line.message === 'quit participant failed');
  assert.deepEqual(failures.map((line) => line.fields.id), ['session', 'sync']);
});

test('quit twice runs once', async () => {
  const clock = new FakeClock();
  const { coordinator } = rig(clock);
  let runs = 0;
  coordinator.join('session', async () => {
    runs += 1;
  }, 3000);

  const first = coordinator.run('user-quit');
  const second = coordinator.run('signal');
  await clock.advance(0);

  assert.equal(runs, 1);
  assert.equal(await first, await second);
  assert.equal(coordinator.isQuitting(), true);
});

test('late join does not run', async () => {
  const clock = new FakeClock();
  const { coordinator, log } = rig(clock);
  const running = coordinator.run('user-quit');
  let ran = false;
  coordinator.join('late', async () => {
    ran = true;
  }, 1000);
  await clock.advance(1000);
  await running;
  assert.equal(ran, false);
  assert.ok(log.lines.some((line) => line.level === 'warn' && line.fields.id === 'late'), log.text());
});

test('unjoin removes participant', async () => {
  const clock = new FakeClock();
  const { coordinator } = rig(clock);
  const leave = coordinator.join('window', async () => {}, 1000);
  leave();
  const { report } = await runQuit(clock, coordinator, 0);
  assert.equal(report.participants.length, 0);
});

test('invalid budget rejected', () => {
  const { coordinator } = rig();
  assert.throws(() => coordinator.join('session', async () => {}, Number.POSITIVE_INFINITY), /finite number/);
  assert.throws(() => coordinator.join('session', async () => {}, -1), /finite number/);
});

test('participant gets its deadline', async () => {
  const clock = new FakeClock();
  const { coordinator } = rig(clock);
  await clock.advance(500);
  let deadline = 0;
  coordinator.join('session', async ({ deadlineMs }) => {
    deadline = deadlineMs;
  }, 3000);
  await runQuit(clock, coordinator, 0);
  assert.equal(deadline, 3500);
});

test('watchdog ends a starved quit', async () => {
  // A clock whose participant timers never fire, as if a budget timer were lost.
  const clock = new FakeClock();
  const lossy: Clock = {
    wallMs: () => clock.wallMs(),
    monotonicMs: () => clock.monotonicMs(),
    setTimeout: (callback, delayMs) => (delayMs === 3000 ? { id: -1 } : clock.setTimeout(callback, delayMs)),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
  const { coordinator, log } = rig(lossy);
  coordinator.join('session', () => new Promise<void>(() => {}), 3000);

  const { report, settledAt } = await runQuit(clock, coordinator, 10_000);

  assert.equal(settledAt, 3250);
  assert.equal(report.participants[0]?.outcome, 'cut-by-watchdog');
  assert.ok(log.lines.some((line) => line.message === 'quit participant cut by the watchdog'), log.text());
});

test('quit logs each step', async () => {
  const clock = new FakeClock();
  const { coordinator, log } = rig(clock);
  coordinator.join('session', async () => {}, 3000);
  await runQuit(clock, coordinator, 0);
  const messages = log.lines.map((line) => `${line.component} ${line.message}`);
  assert.deepEqual(messages, [
    'test.lifecycle quit started',
    'test.lifecycle quit participant started',
    'test.lifecycle quit participant done',
    'test.lifecycle quit finished',
  ]);
});

test('quit with unanswered clear', async () => {
  const clock = new FakeClock();
  const writer = new FakePresenceWriter(clock);
  const journal = new FakeJournalStore();
  const sessionLog = new MemoryLog();
  const identity = { presenceId: '6e9c3f4a-1b2d-4c5e-8f90-123456789abc', sessionId: 'a1b2c3d4-e5f6-4789-8abc-def012345678' };
  const session = new PresenceSession({ writer, clock, journal, logger: sessionLog.logger, identity: () => identity });
  await session.set({ pair: { availability: 'Busy', activity: 'InACall' }, intentUntil: null });
  writer.script('clearPresence', { delayMs: 3600_000, ignoreDeadline: true });

  const { coordinator } = rig(clock);
  coordinator.join('presence', async ({ deadlineMs }) => {
    await session.clear({ trigger: 'quit', deadlineMs });
  }, 3000);
  const { settledAt } = await runQuit(clock, coordinator, 5000);

  assert.equal(settledAt, 3000);
  assert.equal(session.lastClear()?.result, 'journaled');
  assert.notEqual(journal.record.entry, null);
  session.dispose();
});
