/**
 * A fake `Clock` whose time moves only when a test calls `advance`. Timers fire in due order,
 * each with the clock set to its due time. `jumpWall` moves wall time alone, as a suspend or an
 * NTP correction does.
 */

import type { Clock, TimerHandle } from '../../main/core/ports.ts';

interface PendingTimer {
  handle: TimerHandle;
  dueMonotonic: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  private monotonic = 0;
  private wall: number;
  private timers: PendingTimer[] = [];
  private nextId = 1;

  constructor(startWallMs = Date.UTC(2026, 11, 4, 9, 0, 0)) {
    this.wall = startWallMs;
  }

  wallMs(): number {
    return this.wall;
  }

  monotonicMs(): number {
    return this.monotonic;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = { id: this.nextId++ };
    this.timers.push({ handle, dueMonotonic: this.monotonic + Math.max(0, delayMs), callback });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.handle.id !== handle.id);
  }

  /** Number of timers not yet fired. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves both clocks forward by `ms`, firing due timers in order. Between timers it awaits
   * pending promise callbacks so async work started by a timer can run before the next one.
   */
  async advance(ms: number): Promise<void> {
    const target = this.monotonic + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue();
      if (next === undefined || next.dueMonotonic > target) {
        break;
      }
      this.moveTo(next.dueMonotonic);
      this.timers = this.timers.filter((timer) => timer !== next);
      next.callback();
    }
    this.moveTo(target);
    await flushMicrotasks();
  }

  /** Moves wall time alone, without firing timers. */
  jumpWall(ms: number): void {
    this.wall += ms;
  }

  private nextDue(): PendingTimer | undefined {
    let earliest: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (earliest === undefined || timer.dueMonotonic < earliest.dueMonotonic) {
        earliest = timer;
      }
    }
    return earliest;
  }

  private moveTo(monotonic: number): void {
    this.wall += monotonic - this.monotonic;
    this.monotonic = monotonic;
  }
}

/** Lets queued promise callbacks run; real I/O still needs real time. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) {
    await Promise.resolve();
  }
  await new Promise((resolve) => setImmediate(resolve));
}
