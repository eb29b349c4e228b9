/**
 * Notices a suspend that sent no event and a wall-clock step (an NTP correction or a manual
 * change) by comparing how far the wall clock and the monotonic clock moved between two ticks.
 *
 * Node's `performance.now()` comes from libuv's `uv_hrtime`. On Linux that is CLOCK_MONOTONIC,
 * which stops during suspend, so after a missed resume the wall clock has moved further than the
 * monotonic one. On macOS libuv has read `mach_continuous_time` since 2020 (libuv PR #2894),
 * which keeps counting during sleep, so the tick itself arrives late instead. Both count as a jump.
 */

import type { Clock, Logger, TimerHandle } from '../ports.ts';

/** Tick period: a missed resume is noticed within this time, well inside the 5-minute presence timeout. */
export const CLOCK_JUMP_TICK_MS = 30_000;

/** Drift that counts as a jump; far above timer jitter on a loaded machine, far below the timeout. */
export const CLOCK_JUMP_THRESHOLD_MS = 60_000;

export interface ClockJump {
  /** `wall-step`: the wall clock moved more or less than the monotonic one. `stall`: the tick came late. */
  kind: 'wall-step' | 'stall';
  wallDeltaMs: number;
  monotonicDeltaMs: number;
  /** Wall progress minus monotonic progress; negative when the wall clock went back. */
  driftMs: number;
}

export interface ClockJumpDetectorOptions {
  clock: Clock;
  logger: Logger;
  onJump: (jump: ClockJump) => void;
  tickMs?: number;
  thresholdMs?: number;
}

/** Compares one tick's progress on both clocks; returns the jump, or null when they agree. */
export function detectJump(
  wallDeltaMs: number,
  monotonicDeltaMs: number,
  tickMs: number,
  thresholdMs: number,
): ClockJump | null {
  const driftMs = wallDeltaMs - monotonicDeltaMs;
  if (Math.abs(driftMs) > thresholdMs) {
    return { kind: 'wall-step', wallDeltaMs, monotonicDeltaMs, driftMs };
  }
  if (monotonicDeltaMs - tickMs > thresholdMs) {
    return { kind: 'stall', wallDeltaMs, monotonicDeltaMs, driftMs };
  }
  return null;
}

export class ClockJumpDetector {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly onJump: (jump: ClockJump) => void;
  private readonly tickMs: number;
  private readonly thresholdMs: number;
  private timer: TimerHandle | null = null;
  private lastWallMs = 0;
  private lastMonotonicMs = 0;

  constructor(options: ClockJumpDetectorOptions) {
    this.clock = options.clock;
    this.logger = options.logger.child('lifecycle');
    this.onJump = options.onJump;
    this.tickMs = options.tickMs ?? CLOCK_JUMP_TICK_MS;
    this.thresholdMs = options.thresholdMs ?? CLOCK_JUMP_THRESHOLD_MS;
  }

  start(): void {
    if (this.timer !== null) {
      return;
    }
    this.logger.info('clock jump detector started', { tickMs: this.tickMs, thresholdMs: this.thresholdMs });
    this.mark();
    this.schedule();
  }

  stop(): void {
    if (this.timer === null) {
      return;
    }
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.logger.info('clock jump detector stopped');
  }

  /** Restarts the comparison from now, after a resume event already handled the interruption. */
  reset(): void {
    this.mark();
  }

  private tick(): void {
    this.timer = null;
    const wallDeltaMs = this.clock.wallMs() - this.lastWallMs;
    const monotonicDeltaMs = this.clock.monotonicMs() - this.lastMonotonicMs;
    this.mark();
    this.schedule();

    const jump = detectJump(wallDeltaMs, monotonicDeltaMs, this.tickMs, this.thresholdMs);
    if (jump === null) {
      return;
    }
    this.logger.warn('clock jump detected', { ...jump });
    try {
      this.onJump(jump);
    } catch (error) {
      this.logger.error('clock jump handler failed', { error: String(error) });
    }
  }

  private mark(): void {
    this.lastWallMs = this.clock.wallMs();
    this.lastMonotonicMs = this.clock.monotonicMs();
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), this.tickMs);
  }
}
