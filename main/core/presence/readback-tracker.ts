/**
 * Runs the readback reads of the presence session: one `GET presence` right after a new pair
 * is set, then the growing gaps of `decideReadback`, then one read after each keep-alive refresh.
 * It only reads. It never sends a `setPresence` of its own.
 */

import type { Readback } from '../app-state.ts';
import type { Clock, Logger, TimerHandle } from '../ports.ts';
import { classifyFailure } from './failure.ts';
import type { PresencePair } from './pairs.ts';
import type { ReadbackPhase } from './readback.ts';
import { decideReadback } from './readback.ts';
import type { PresenceWriter } from './writer.ts';

/** Budget of one readback `GET`. */
const READ_BUDGET_MS = 15_000;

export interface ReadbackTrackerOptions {
  writer: Pick<PresenceWriter, 'getPresence'>;
  clock: Clock;
  logger: Logger;
  /** Called after the readback or the shown pair changed. */
  onChange: () => void;
}

interface Target {
  presenceId: string;
  expected: PresencePair;
}

export class ReadbackTracker {
  private readonly writer: Pick<PresenceWriter, 'getPresence'>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly onChange: () => void;

  private valueNow: Readback = { kind: 'unknown' };
  private shownNow: PresencePair | null = null;
  private phase: ReadbackPhase = 'after-set';
  private attempt = 0;
  private timer: TimerHandle | null = null;
  /** Bumped by `start` and `stop`; a read begun under an older generation drops its result. */
  private generation = 0;

  constructor(options: ReadbackTrackerOptions) {
    this.writer = options.writer;
    this.clock = options.clock;
    this.logger = options.logger;
    this.onChange = options.onChange;
  }

  value(): Readback {
    return structuredClone(this.valueNow);
  }

  /** Returns the pair the last successful read returned, or null before the first one. */
  shown(): PresencePair | null {
    return this.shownNow === null ? null : { ...this.shownNow };
  }

  /** Starts the reads that follow a new pair, with the first one at once. */
  start(presenceId: string, expected: PresencePair): void {
    this.stop();
    void this.readBack(this.generation, { presenceId, expected: { ...expected } });
  }

  /** Reads once after a keep-alive refresh, unless the reads after the set are still running. */
  afterRefresh(presenceId: string, expected: PresencePair): void {
    if (this.phase === 'keep-alive' && this.timer === null) {
      void this.readBack(this.generation, { presenceId, expected: { ...expected } });
    }
  }

  /** Cancels pending reads and resets the readback to `unknown`; the shown pair stays. */
  stop(): void {
    this.generation += 1;
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.valueNow = { kind: 'unknown' };
    this.phase = 'after-set';
    this.attempt = 0;
  }

  /** Reads presence once to update the shown pair; returns it, or null when the read failed. */
  async readShown(presenceId: string): Promise<PresencePair | null> {
    try {
      const reading = await this.writer.getPresence(presenceId, { deadlineMs: this.clock.monotonicMs() + READ_BUDGET_MS });
      if (reading.availability === null || reading.activity === null) {
        return null;
      }
      this.shownNow = { availability: reading.availability, activity: reading.activity };
      this.onChange();
      return { ...this.shownNow };
    } catch (error) {
      const failure = classifyFailure(error);
      this.logger.warn('presence read failed', { category: failure.category, requestId: failure.requestId, error: failure.message });
      return null;
    }
  }

  private async readBack(generation: number, target: Target): Promise<void> {
    this.timer = null;
    const shown = await this.readShown(target.presenceId);
    if (generation !== this.generation) {
      return;
    }

    const decision = decideReadback({
      phase: this.phase,
      expected: target.expected,
      shown,
      attempt: this.attempt,
      previous: this.valueNow,
      now: this.clock.wallMs(),
    });
    if (decision.readback.kind !== this.valueNow.kind) {
      this.logger.info('readback changed', {
        readback: decision.readback.kind,
        shown: shown === null ? null : `${shown.availability}/${shown.activity}`,
        attempt: this.attempt,
      });
    }
    this.valueNow = decision.readback;

    if (decision.nextReadInMs === null) {
      this.phase = 'keep-alive';
    } else {
      this.attempt += 1;
      this.timer = this.clock.setTimeout(() => {
        void this.readBack(generation, target);
      }, decision.nextReadInMs);
    }
    this.onChange();
  }
}
