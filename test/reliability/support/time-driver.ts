/**
 * Moves a `FakeClock` while real sockets and files do their work. While a request or a file
 * operation is in flight, fake time follows real time, so a hung connection costs its real
 * duration and a deadline timer can fire during it. When nothing is in flight for a few polls,
 * the app can only be waiting for a timer, so fake time jumps to the next one. A 600 s
 * Retry-After therefore costs no real time, and every wait the code makes is measured on the
 * clock the code uses.
 */

import type { Clock, TimerHandle } from '../../../main/core/ports.ts';
import { FakeClock } from '../../fakes/clock.ts';

/** Polls of 1 ms with nothing in flight before fake time may jump to the next timer. */
const QUIET_POLLS = 3;

/**
 * Resource types that stay open while the app waits (listening servers, idle keep-alive
 * sockets, stdio, real timers). Every other type Node lists, such as `FSReqPromise`, `CloseReq`
 * or `TCPConnectWrap`, is work in progress, so fake time does not jump while one exists.
 */
const WAITING_RESOURCE_TYPES = new Set([
  'TCPSocketWrap',
  'TCPServerWrap',
  'PipeWrap',
  'PipeServerWrap',
  'TTYWrap',
  'Timeout',
  'ProcessWrap',
  'SignalWrap',
  'FSEventWrap',
  'StatWatcher',
  'UDPWrap',
  'MessagePort',
]);

export interface DriveLimits {
  /** Fake milliseconds the wait may take before it fails. */
  fakeMs: number;
  /** Real milliseconds the wait may take before it fails. */
  realMs: number;
}

/** A `Clock` over a `FakeClock` that also reports when its next timer is due. */
export class TrackedClock implements Clock {
  readonly fake: FakeClock;
  private readonly due = new Map<number, number>();

  constructor(fake: FakeClock) {
    this.fake = fake;
  }

  wallMs(): number {
    return this.fake.wallMs();
  }

  monotonicMs(): number {
    return this.fake.monotonicMs();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = this.fake.setTimeout(() => {
      this.due.delete(handle.id);
      callback();
    }, delayMs);
    this.due.set(handle.id, this.fake.monotonicMs() + Math.max(0, delayMs));
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.due.delete(handle.id);
    this.fake.clearTimeout(handle);
  }

  /** Returns the monotonic time of the next timer, or null when none is pending. */
  nextDueMs(): number | null {
    let next: number | null = null;
    for (const due of this.due.values()) {
      if (next === null || due < next) {
        next = due;
      }
    }
    return next;
  }
}

/** Returns true while Node lists a request in progress (a file operation, a connect, a close). */
export function requestPending(): boolean {
  return process.getActiveResourcesInfo().some((type) => !WAITING_RESOURCE_TYPES.has(type));
}

export class TimeDriver {
  readonly clock: TrackedClock;
  private readonly inFlight: () => number;

  /**
   * `inFlight` returns how many network requests are open; other pending work (file operations,
   * connects) is read from Node itself.
   */
  constructor(startWallMs: number, inFlight: () => number) {
    this.clock = new TrackedClock(new FakeClock(startWallMs));
    this.inFlight = inFlight;
  }

  get fake(): FakeClock {
    return this.clock.fake;
  }

  /** Returns true when no request and no file operation is in flight. */
  idle(): boolean {
    return this.inFlight() === 0 && !requestPending();
  }

  /**
   * Runs fake time until `done()` holds; throws with `what` when a limit passes first. Jumps
   * never go past `stopAtMs` (monotonic), so a caller can let an exact span of time pass.
   */
  async until(done: () => boolean, what: string, limits: DriveLimits, stopAtMs = Infinity): Promise<void> {
    const startedReal = performance.now();
    const startedFake = this.fake.monotonicMs();
    let lastReal = startedReal;
    let quietPolls = 0;

    while (!done()) {
      const realElapsed = performance.now() - startedReal;
      const fakeElapsed = this.fake.monotonicMs() - startedFake;
      if (realElapsed > limits.realMs || fakeElapsed > limits.fakeMs) {
        throw new Error(
          `Timed out waiting for ${what}: ${Math.round(realElapsed)} ms real and ${Math.round(fakeElapsed)} ms fake passed ` +
            `(limits ${limits.realMs} and ${limits.fakeMs}); ${this.inFlight()} requests in flight, next timer ` +
            `${describeNext(this.clock.nextDueMs(), this.fake.monotonicMs())}.`,
        );
      }

      await sleepReal(1);
      // Whole milliseconds, as `Date.now()` gives them: the journal stores wall times as integers.
      const now = performance.now();
      const step = Math.floor(now - lastReal);
      lastReal += step;

      if (!this.idle()) {
        quietPolls = 0;
        await this.fake.advance(step);
        continue;
      }
      quietPolls += 1;
      if (quietPolls < QUIET_POLLS) {
        await this.fake.advance(step);
        continue;
      }

      quietPolls = 0;
      const target = Math.min(this.clock.nextDueMs() ?? Infinity, stopAtMs, startedFake + limits.fakeMs + 1);
      const jump = Number.isFinite(target) ? Math.max(0, Math.ceil(target - this.fake.monotonicMs())) : step;
      await this.fake.advance(jump);
    }
  }

  /** Drives fake time until `promise` settles and returns its value, rethrowing its error. */
  async settle<T>(promise: Promise<T>, what: string, limits: DriveLimits): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
    promise.then(
      (value) => {
        outcome = { ok: true, value };
      },
      (error: unknown) => {
        outcome = { ok: false, error };
      },
    );
    await this.until(() => outcome !== null, what, limits);
    const settled = outcome as unknown as { ok: true; value: T } | { ok: false; error: unknown };
    if (!settled.ok) {
      throw settled.error;
    }
    return settled.value;
  }

  /** Lets `ms` of fake time pass, with real work in between running as it comes. */
  async pass(ms: number, realLimitMs = 60_000): Promise<void> {
    const target = this.fake.monotonicMs() + ms;
    await this.until(
      () => this.fake.monotonicMs() >= target && this.idle(),
      `${ms} ms of fake time`,
      { fakeMs: ms + 60_000, realMs: realLimitMs },
      target,
    );
  }
}

function describeNext(next: number | null, now: number): string {
  return next === null ? 'none' : `in ${Math.round(next - now)} ms`;
}

function sleepReal(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
