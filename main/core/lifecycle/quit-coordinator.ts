/**
 * Runs the work that must happen before the app exits (the presence clear, flushing logs) and
 * ends the wait within the quit budget. Participants join with an id and a budget. `run` starts
 * them all at once, settles each one at its budget, logs every step and never rejects. A
 * watchdog also ends the wait at the largest budget plus a small margin if a participant hangs.
 */

import type { Clock, Logger, QuitReason } from '../ports.ts';

/** Time past the largest participant budget before the watchdog ends the wait. */
export const WATCHDOG_MARGIN_MS = 250;

export interface QuitContext {
  reason: QuitReason;
  /** Monotonic deadline of this participant (`Clock.monotonicMs()` + its budget). */
  deadlineMs: number;
}

export type QuitWork = (context: QuitContext) => Promise<void>;

export type ParticipantOutcome = 'done' | 'failed' | 'timed-out' | 'cut-by-watchdog';

export interface QuitReport {
  reason: QuitReason;
  elapsedMs: number;
  participants: { id: string; outcome: ParticipantOutcome; elapsedMs: number | null; error?: string }[];
}

interface Participant {
  id: string;
  work: QuitWork;
  budgetMs: number;
}

export interface QuitCoordinatorOptions {
  clock: Clock;
  logger: Logger;
  watchdogMarginMs?: number;
}

export class QuitCoordinator {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly marginMs: number;
  private readonly participants = new Map<string, Participant>();
  private running: Promise<QuitReport> | null = null;

  constructor(options: QuitCoordinatorOptions) {
    this.clock = options.clock;
    this.logger = options.logger.child('lifecycle');
    this.marginMs = options.watchdogMarginMs ?? WATCHDOG_MARGIN_MS;
  }

  /**
   * Registers work to run at quit, settled after `budgetMs`. Joining again with the same id
   * replaces the earlier work. Returns a function that removes the participant.
   */
  join(id: string, work: QuitWork, budgetMs: number): () => void {
    if (!Number.isFinite(budgetMs) || budgetMs < 0) {
      throw new RangeError(`Quit participant "${id}" has budget ${budgetMs} ms; use a finite number of ms, 0 or more.`);
    }
    if (this.running !== null) {
      this.logger.warn('quit participant joined after quit began; it will not run', { id });
      return () => {};
    }

    const participant: Participant = { id, work, budgetMs };
    this.participants.set(id, participant);
    return () => {
      if (this.participants.get(id) === participant) {
        this.participants.delete(id);
      }
    };
  }

  /** Returns whether `run` has been called. */
  isQuitting(): boolean {
    return this.running !== null;
  }

  /** Runs every participant once; a second call returns the first call's report. Never rejects. */
  run(reason: QuitReason): Promise<QuitReport> {
    if (this.running !== null) {
      this.logger.info('quit requested again; waiting for the quit in progress', { reason });
      return this.running;
    }
    this.running = this.runAll(reason);
    return this.running;
  }

  private async runAll(reason: QuitReason): Promise<QuitReport> {
    const startedMs = this.clock.monotonicMs();
    const participants = [...this.participants.values()];
    const overallMs = Math.max(0, ...participants.map((participant) => participant.budgetMs)) + this.marginMs;
    this.logger.info('quit started', { reason, participants: participants.map((participant) => participant.id).join(','), budgetMs: overallMs });

    const results = new Map<string, QuitReport['participants'][number]>();
    const settledAll = Promise.all(participants.map((participant) => this.runOne(participant, reason, startedMs, results)));

    let fireWatchdog: () => void = () => {};
    const watchdogFired = new Promise<'watchdog'>((resolve) => {
      fireWatchdog = () => resolve('watchdog');
    });
    const watchdog = this.clock.setTimeout(fireWatchdog, overallMs);
    const winner = await Promise.race([settledAll.then(() => 'settled' as const), watchdogFired]);
    this.clock.clearTimeout(watchdog);

    const report: QuitReport = { reason, elapsedMs: Math.round(this.clock.monotonicMs() - startedMs), participants: [] };
    for (const participant of participants) {
      const result = results.get(participant.id) ?? { id: participant.id, outcome: 'cut-by-watchdog' as const, elapsedMs: null };
      if (result.outcome === 'cut-by-watchdog') {
        this.logger.error('quit participant cut by the watchdog', { id: participant.id, budgetMs: participant.budgetMs });
      }
      report.participants.push(result);
    }

    this.logger.info('quit finished', {
      reason,
      elapsedMs: report.elapsedMs,
      endedBy: winner,
      outcomes: report.participants.map((result) => `${result.id}=${result.outcome}`).join(','),
    });
    return report;
  }

  private async runOne(
    participant: Participant,
    reason: QuitReason,
    startedMs: number,
    results: Map<string, QuitReport['participants'][number]>,
  ): Promise<void> {
    const { id, budgetMs } = participant;
    const deadlineMs = startedMs + budgetMs;
    this.logger.info('quit participant started', { id, budgetMs });

    let work: Promise<void>;
    try {
      work = Promise.resolve(participant.work({ reason, deadlineMs }));
    } catch (error) {
      work = Promise.reject(error);
    }

    let fireTimeout: () => void = () => {};
    const timedOut = new Promise<'timed-out'>((resolve) => {
      fireTimeout = () => resolve('timed-out');
    });
    const timer = this.clock.setTimeout(fireTimeout, budgetMs);
    const finished = work.then(
      () => ({ outcome: 'done' as const }),
      (error: unknown) => ({ outcome: 'failed' as const, error: String(error) }),
    );
    const result = await Promise.race([finished, timedOut]);
    this.clock.clearTimeout(timer);
    const elapsedMs = Math.round(this.clock.monotonicMs() - startedMs);

    if (result === 'timed-out') {
      this.logger.warn('quit participant timed out', { id, budgetMs, elapsedMs });
      results.set(id, { id, outcome: 'timed-out', elapsedMs });
      return;
    }
    if (result.outcome === 'failed') {
      this.logger.error('quit participant failed', { id, elapsedMs, error: result.error });
      results.set(id, { id, outcome: 'failed', elapsedMs, error: result.error });
      return;
    }
    this.logger.info('quit participant done', { id, elapsedMs });
    results.set(id, { id, outcome: 'done', elapsedMs });
  }
}
