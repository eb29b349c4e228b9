import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClockJump } from '../../main/core/lifecycle/clock-jump.ts';
import { ClockJumpDetector, detectJump } from '../../main/core/lifecycle/clock-jump.ts';
import { FakeClock } from '../fakes/clock.ts';
import { MemoryLog } from '../fakes/logger.ts';

const TICK = 30_000;
const THRESHOLD = 60_000;

test('jump detection table', () => {
  const cases: { name: string; wall: number; monotonic: number; kind: ClockJump['kind'] | null }[] = [
    { name: 'steady', wall: TICK, monotonic: TICK, kind: null },
    { name: 'jitter', wall: TICK + 900, monotonic: TICK, kind: null },
    { name: 'slept, monotonic stopped', wall: 2 * 3600_000, monotonic: TICK, kind: 'wall-step' },
    { name: 'wall stepped back', wall: TICK - 5 * 60_000, monotonic: TICK, kind: 'wall-step' },
    { name: 'slept, monotonic counted', wall: 3600_000, monotonic: 3600_000, kind: 'stall' },
    { name: 'just under threshold', wall: TICK + THRESHOLD, monotonic: TICK, kind: null },
  ];
  for (const { name, wall, monotonic, kind } of cases) {
    assert.equal(detectJump(wall, monotonic, TICK, THRESHOLD)?.kind ?? null, kind, name);
  }
});

test('detector fires on wall jump', async () => {
  const clock = new FakeClock();
  const jumps: ClockJump[] = [];
  const detector = new ClockJumpDetector({ clock, logger: new MemoryLog().logger, onJump: (jump) => jumps.push(jump) });
  detector.start();

  await clock.advance(5 * TICK);
  assert.equal(jumps.length, 0);

  clock.jumpWall(45 * 60_000);
  await clock.advance(TICK);
  assert.equal(jumps.length, 1);
  assert.equal(jumps[0]?.driftMs, 45 * 60_000);

  await clock.advance(TICK);
  assert.equal(jumps.length, 1);
  detector.stop();
  assert.equal(clock.pendingTimers(), 0);
});

test('reset forgets a handled jump', async () => {
  const clock = new FakeClock();
  let jumps = 0;
  const detector = new ClockJumpDetector({ clock, logger: new MemoryLog().logger, onJump: () => (jumps += 1) });
  detector.start();
  clock.jumpWall(45 * 60_000);
  detector.reset();
  await clock.advance(TICK);
  detector.stop();
  assert.equal(jumps, 0);
});

test('handler error logged', async () => {
  const clock = new FakeClock();
  const log = new MemoryLog();
  const detector = new ClockJumpDetector({
    clock,
    logger: log.logger,
    onJump: () => {
      throw new Error('handler broke');
    },
  });
  detector.start();
  clock.jumpWall(-10 * 60_000);
  await clock.advance(TICK);
  detector.stop();
  assert.ok(log.lines.some((line) => line.level === 'error' && String(line.fields.error).includes('handler broke')), log.text());
});
