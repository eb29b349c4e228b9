/**
 * The app's Microsoft Graph presence session: the user's intent, the keep-alive that refreshes
 * it, the clear that ends it, the journal that makes a failed clear a pending one, and the
 * readback that reports whether Teams shows it.
 *
 * Ordering rules, each of which a test checks:
 * - The journal records a session before the `setPresence` that creates or refreshes it.
 * - One clear is in flight at a time. Callers that arrive meanwhile join it.
 * - A clear stops the keep-alive and aborts a `setPresence` in flight before it is sent, so a
 *   late refresh cannot re-create the session the clear ends.
 * - An open journal entry is cleared at start, on resume and when the network returns, before
 *   anything else is sent.
 */

import type { ClearRecord, ClearTrigger, SessionState } from '../app-state.ts';
import type { Clock, Logger, TimerHandle } from '../ports.ts';
import type { Failure } from './failure.ts';
import { classifyFailure, isRetryable } from './failure.ts';
import type { JournalEntry, JournalRecord, JournalStore } from './journal.ts';
import { isEntryExpired } from './journal.ts';
import { formatIsoDuration } from '../graph/duration.ts';
import { computeExpirationMs, DEFAULT_SELF_EXPIRY_MS, KEEP_ALIVE_INTERVAL_MS, nextRefreshDelayMs } from './keep-alive.ts';
import type { PresencePair } from './pairs.ts';
import { assertSessionPair } from './pairs.ts';
import { ReadbackTracker } from './readback-tracker.ts';
import type { PresenceWriter, SessionIdentity } from './writer.ts';

/**
 * Budget of one `setPresence`, the client's retries included. The journal adds it to each
 * entry's expiry, because Microsoft starts the expiration when the request arrives.
 */
const SET_BUDGET_MS = 30_000;
/** Budget of a replayed clear when the caller gives none; no OS deadline applies on resume. */
export const REPLAY_BUDGET_MS = 30_000;
/** Budget of the clear at the end of the user's intent. */
const INTENT_END_CLEAR_BUDGET_MS = 60_000;
/** How long a clear waits for an aborted `setPresence` to settle before it is sent anyway. */
const ABORT_SETTLE_MS = 500;

/**
 * Clears after which the user still wants the intent back: the machine slept or locked, or a
 * pending clear was replayed. Every other trigger ends the intent.
 */
const TRIGGERS_KEEPING_INTENT: ReadonlySet<ClearTrigger> = new Set<ClearTrigger>(['suspend', 'lock', 'journal-replay']);

export interface PresenceIntent {
  pair: PresencePair;
  /** Wall-clock ms when the user's intent ends, or null for "until cleared". */
  intentUntil: number | null;
}

export interface ClearRequest {
  trigger: ClearTrigger;
  /** Monotonic deadline; Infinity for user actions that wait until done. */
  deadlineMs: number;
}

/** A problem the user should see, in the terms of the tray. */
export interface SessionProblem {
  kind: 'sign-in-required' | 'not-allowed' | 'offline' | 'throttled' | 'error';
  message: string;
}

export interface PresenceSessionOptions {
  writer: PresenceWriter;
  clock: Clock;
  logger: Logger;
  journal: JournalStore;
  /** The signed-in user's object ID and the app's session ID, or null when signed out. */
  identity: () => SessionIdentity | null;
  /** Refreshes the access token if it expires soon, so a clear at suspend needs no token request. */
  renewToken?: () => Promise<unknown>;
  /** Upper bound of each set's `expirationDuration` in ms; clamped to 5..240 minutes. */
  selfExpiryMs?: () => number;
  /**
   * Receives, at start, the end of a Graph `Retry-After` that an earlier run's pending clear
   * received, so the client waits it out before the replayed clear.
   */
  onRetryNotBefore?: (wallMs: number) => void;
}

/** Thrown by `set` when the request cannot be sent at all; the message names the next step. */
export class PresenceSessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PresenceSessionError';
  }
}

interface LiveSession {
  identity: SessionIdentity;
  pair: PresencePair;
  /** Wall-clock ms when the last successful set expires at Microsoft. */
  expiresAt: number;
}

type SetReason = 'set' | 'keep-alive' | 're-assert';

type SetOutcome = { kind: 'ok' } | { kind: 'superseded' } | { kind: 'failed'; failure: Failure; error: unknown };

type TimerName = 'keepAlive' | 'intentEnd' | 'expiry';

type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown } | { status: 'timed-out' };

export class PresenceSession {
  private readonly writer: PresenceWriter;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly journal: JournalStore;
  private readonly identity: () => SessionIdentity | null;
  private readonly renewToken: (() => Promise<unknown>) | undefined;
  private readonly selfExpiryMs: () => number;
  private readonly onRetryNotBefore: ((wallMs: number) => void) | undefined;

  private intent: PresenceIntent | null = null;
  private paused = false;
  private live: LiveSession | null = null;
  private pendingClear: { since: number; lastError: string } | null = null;
  private nextRefreshAt: number | null = null;
  private refreshFailures = 0;
  private problemValue: SessionProblem | null = null;
  private lastClearValue: ClearRecord | null = null;

  /** Bumped by every new intent and every clear; work begun under an older epoch drops its result. */
  private epoch = 0;
  private readonly timers: Record<TimerName, TimerHandle | null> = { keepAlive: null, intentEnd: null, expiry: null };
  private inFlightSet: { controller: AbortController; settled: Promise<void> } | null = null;
  private inFlightClear: Promise<ClearRecord> | null = null;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private lastPublished = '';
  private readonly readback: ReadbackTracker;

  constructor(options: PresenceSessionOptions) {
    this.writer = options.writer;
    this.clock = options.clock;
    this.logger = options.logger.child('session');
    this.journal = options.journal;
    this.identity = options.identity;
    this.renewToken = options.renewToken;
    this.selfExpiryMs = options.selfExpiryMs ?? (() => DEFAULT_SELF_EXPIRY_MS);
    this.onRetryNotBefore = options.onRetryNotBefore;
    this.readback = new ReadbackTracker({ writer: this.writer, clock: this.clock, logger: this.logger, onChange: () => this.publish() });
  }

  state(): SessionState {
    if (this.pendingClear !== null) {
      return { kind: 'clear-pending', since: this.pendingClear.since, lastError: this.pendingClear.lastError };
    }
    if (this.live !== null && this.intent !== null) {
      return {
        kind: 'active',
        pair: { ...this.live.pair },
        intentUntil: this.intent.intentUntil,
        expiresAt: this.live.expiresAt,
        nextRefreshAt: this.nextRefreshAt,
        readback: this.readback.value(),
      };
    }
    if (this.paused) {
      return { kind: 'paused' };
    }
    return { kind: 'none' };
  }

  problem(): SessionProblem | null {
    return this.problemValue === null ? null : { ...this.problemValue };
  }

  /** Returns the pair the last successful `GET presence` read, or null before the first read. */
  shown(): PresencePair | null {
    return this.readback.shown();
  }

  lastClear(): ClearRecord | null {
    return this.lastClearValue === null ? null : { ...this.lastClearValue };
  }

  /** Calls `listener` after every change of the state, problem, shown pair or last clear. */
  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Runs at launch: replays an open journal entry before anything else is sent, then
   * re-asserts the saved intent if its session had not yet expired, the intent has not passed,
   * and the user did not pause.
   */
  async start(deadlineMs: number): Promise<void> {
    const stored = await this.journal.read();
    this.paused = stored.paused;
    if (stored.retryNotBefore !== undefined && stored.retryNotBefore > this.clock.wallMs()) {
      this.logger.info('an earlier run was asked to wait before its next Graph request', {
        retryNotBefore: new Date(stored.retryNotBefore).toISOString(),
      });
      this.onRetryNotBefore?.(stored.retryNotBefore);
    }
    // Only a session that may still be live is continued. Once its expiration has passed, the
    // user has been without it for a while, and bringing it back unasked would surprise them.
    const entry = stored.entry;
    const continuable = !stored.paused && entry !== null && !isEntryExpired(entry, this.clock.wallMs());
    const saved = continuable ? (entry.intent ?? null) : null;
    this.logger.info('session starting', {
      paused: stored.paused,
      journalEntryOpen: stored.entry !== null,
      savedIntent: saved === null ? null : `${saved.pair.availability}/${saved.pair.activity}`,
    });
    this.publish();

    const replay = await this.replayJournal(deadlineMs);
    if (saved === null || this.intent !== null) {
      return;
    }
    if (this.hasPassed(saved.intentUntil)) {
      this.logger.info('saved intent ended while the app was not running; not re-asserting it', {
        intentUntil: isoOrNull(saved.intentUntil),
      });
      return;
    }

    const identity = this.identity();
    if (identity === null || entry === null || entry.presenceId !== identity.presenceId || entry.sessionId !== identity.sessionId) {
      this.logger.info('saved intent belongs to another sign-in; not re-asserting it');
      return;
    }

    this.intent = saved;
    if (replay !== null && isUnfinished(replay)) {
      this.logger.info('pending clear is still open; re-asserting the saved intent after it succeeds');
      this.publish();
      return;
    }
    await this.reassert();
  }

  /**
   * Sets the app's presence session and keeps it alive until `intentUntil` or a clear.
   * Resolves after the first `setPresence` succeeded; rejects with the client's error when it
   * failed, or with `PresenceSessionError` when nothing could be sent.
   */
  async set(intent: PresenceIntent): Promise<void> {
    assertSessionPair(intent.pair);
    if (this.hasPassed(intent.intentUntil)) {
      throw new PresenceSessionError(
        `The presence end time ${isoOrNull(intent.intentUntil)} has already passed. ` +
          'Choose a time in the future, or none to keep the presence until cleared.',
      );
    }
    const identity = this.identity();
    if (identity === null) {
      throw new PresenceSessionError('Cannot set presence while signed out. Sign in first.');
    }

    // A clear still in flight would end the new session if it landed after it.
    await this.settleClearInFlight();
    await this.replayForOtherIdentity(identity);

    const epoch = this.beginEpoch();
    await this.abortInFlightSet(Infinity);
    if (epoch !== this.epoch) {
      return;
    }

    this.intent = { pair: { ...intent.pair }, intentUntil: intent.intentUntil };
    this.paused = false;
    this.refreshFailures = 0;
    this.readback.stop();
    this.logger.info('set requested', {
      availability: intent.pair.availability,
      activity: intent.pair.activity,
      intentUntil: isoOrNull(intent.intentUntil),
    });

    const outcome = await this.sendSet(identity, epoch, 'set');
    if (outcome.kind === 'superseded') {
      return;
    }
    if (outcome.kind === 'failed') {
      // A session set before stays at Microsoft until it expires; the open journal entry
      // keeps its clear pending.
      this.intent = null;
      this.live = null;
      this.setProblem(outcome.failure);
      await this.dropIntentFromJournal();
      this.publish();
      throw outcome.error;
    }
    this.onSetSucceeded(epoch, 'new-pair');
  }

  /**
   * Ends the session with one `clearPresence`; concurrent callers join the clear in flight.
   * Never rejects: a failure or a passed deadline leaves the journal entry open and returns
   * `journaled`. Sends nothing when there is no session and no pending clear.
   */
  clear(request: ClearRequest): Promise<ClearRecord> {
    if (this.inFlightClear !== null) {
      this.logger.info('clear joined the clear in flight', { trigger: request.trigger });
      return this.inFlightClear;
    }

    const run = this.runClear(request).finally(() => {
      if (this.inFlightClear === run) {
        this.inFlightClear = null;
      }
    });
    this.inFlightClear = run;
    return run;
  }

  /** Clears, stops the keep-alive and saves that the next launch must not re-assert anything. */
  async pause(deadlineMs = Infinity): Promise<ClearRecord> {
    this.paused = true;
    this.intent = null;
    this.logger.info('pause requested');

    const record = await this.clear({ trigger: 'pause', deadlineMs });

    // A clear that was already in flight when the pause came may have saved `paused: false`.
    await this.savePausedFlag();
    this.publish();
    return record;
  }

  /**
   * Clears an open journal entry whose session may still be live, or closes one that expired
   * without a request. Returns the clear's record, or null when nothing was sent.
   */
  async replayJournal(deadlineMs: number): Promise<ClearRecord | null> {
    if (this.inFlightClear !== null) {
      return this.inFlightClear;
    }
    if (this.live !== null) {
      // The open entry is the live session, which the user still wants.
      return null;
    }

    const stored = await this.journal.read();
    if (stored.entry === null) {
      return null;
    }
    if (isEntryExpired(stored.entry, this.clock.wallMs())) {
      await this.closeExpiredEntry(stored);
      return null;
    }

    this.logger.info('replaying a pending clear from the journal', {
      presenceId: stored.entry.presenceId,
      sessionId: stored.entry.sessionId,
      expiresAt: isoOrNull(stored.entry.expiresAt),
    });
    return this.clear({ trigger: 'journal-replay', deadlineMs });
  }

  /** After a resume: replays the journal, re-reads presence, re-asserts the intent if still wanted. */
  onResume(deadlineMs?: number): Promise<void> {
    return this.recover('resume', deadlineMs);
  }

  /** After the wall clock jumped with no resume event (a missed resume or an NTP correction). */
  onClockJump(deadlineMs?: number): Promise<void> {
    return this.recover('clock-jump', deadlineMs);
  }

  /** After the network came back. */
  onNetworkUp(deadlineMs?: number): Promise<void> {
    return this.recover('network-up', deadlineMs);
  }

  /** After a sign-in: sends a clear left pending while signed out, and resumes a stopped keep-alive. */
  onSignedIn(deadlineMs?: number): Promise<void> {
    return this.recover('sign-in', deadlineMs);
  }

  /**
   * Records that the app's own session was cleared by a request sent outside the session (the
   * command line's `clear` with explicit ids or headers). It stops the keep-alive, drops the
   * intent and closes the journal entry, so the next launch does not re-assert the old presence.
   */
  async recordExternalClear(record: ClearRecord): Promise<void> {
    this.beginEpoch();
    this.inFlightSet?.controller.abort();
    this.readback.stop();
    this.intent = null;
    this.live = null;
    this.pendingClear = null;
    this.problemValue = null;

    const stored = await this.journal.read();
    await this.saveJournal({ version: 1, entry: null, paused: stored.paused }, stored);
    this.lastClearValue = record;
    this.logger.info('session cleared by a request outside the session; journal closed', {
      trigger: record.trigger,
      requestId: record.requestId,
    });
    this.publish();
  }

  /** Stops every timer and aborts a set in flight, without clearing; for app shutdown and tests. */
  dispose(): void {
    this.beginEpoch();
    this.readback.stop();
    this.inFlightSet?.controller.abort();
    this.listeners.clear();
  }

  // ----- keep-alive -----

  /** Sends one `setPresence` for the current intent, with the journal entry written first. */
  private async sendSet(identity: SessionIdentity, epoch: number, reason: SetReason): Promise<SetOutcome> {
    const intent = this.intent;
    if (intent === null) {
      return { kind: 'superseded' };
    }

    if (this.renewToken !== undefined) {
      try {
        await this.renewToken();
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.category === 'sign-in-required' || failure.category === 'not-allowed') {
          return { kind: 'failed', failure, error };
        }
        // Best effort: the set below gets a token itself if the current one has expired.
        this.logger.warn('token renewal ahead of need failed; sending with the current token', { reason, error: failure.message });
      }
      if (epoch !== this.epoch) {
        return { kind: 'superseded' };
      }
    }

    const sentAtWall = this.clock.wallMs();
    const intentLeftMs = intent.intentUntil === null ? null : intent.intentUntil - sentAtWall;
    const expirationMs = computeExpirationMs(this.selfExpiryMs(), intentLeftMs);
    const entry: JournalEntry = {
      presenceId: identity.presenceId,
      sessionId: identity.sessionId,
      expiresAt: sentAtWall + expirationMs + SET_BUDGET_MS,
      intent: { pair: { ...intent.pair }, intentUntil: intent.intentUntil },
    };
    try {
      await this.journal.write({ version: 1, entry, paused: false });
    } catch (error) {
      const wrapped = new PresenceSessionError(
        `Could not record the session in the presence journal, so it was not set: ${String(error)}. ` +
          "Check that the app's data folder is writable and has free space.",
      );
      this.logger.error('journal write failed; setPresence not sent', { reason, error: String(error) });
      return { kind: 'failed', failure: classifyFailure(wrapped), error: wrapped };
    }
    if (epoch !== this.epoch) {
      return { kind: 'superseded' };
    }

    const controller = new AbortController();
    const expirationDuration = formatIsoDuration(expirationMs);
    const request = this.writer.setPresence(
      identity.presenceId,
      { sessionId: identity.sessionId, availability: intent.pair.availability, activity: intent.pair.activity, expirationDuration },
      { deadlineMs: this.clock.monotonicMs() + SET_BUDGET_MS, signal: controller.signal },
    );
    const inFlight = { controller, settled: request.then(ignore, ignore) };
    this.inFlightSet = inFlight;

    let requestId: string | null;
    try {
      requestId = (await request).requestId;
    } catch (error) {
      const failure = classifyFailure(error);
      if (epoch !== this.epoch || failure.category === 'aborted') {
        return { kind: 'superseded' };
      }
      this.logger.warn('setPresence failed', { reason, category: failure.category, requestId: failure.requestId, error: failure.message });
      return { kind: 'failed', failure, error };
    } finally {
      if (this.inFlightSet === inFlight) {
        this.inFlightSet = null;
      }
    }
    if (epoch !== this.epoch) {
      return { kind: 'superseded' };
    }

    this.live = { identity, pair: { ...intent.pair }, expiresAt: sentAtWall + expirationMs };
    this.logger.info('presence set', {
      reason,
      availability: intent.pair.availability,
      activity: intent.pair.activity,
      expirationDuration,
      requestId,
    });
    return { kind: 'ok' };
  }

  private onSetSucceeded(epoch: number, phase: 'new-pair' | 'refresh'): void {
    this.refreshFailures = 0;
    this.pendingClear = null;
    this.problemValue = null;
    this.cancelTimer('expiry');
    this.scheduleKeepAlive(epoch, KEEP_ALIVE_INTERVAL_MS);
    this.scheduleIntentEnd(epoch);

    const live = this.live;
    if (live !== null && phase === 'new-pair') {
      this.readback.start(live.identity.presenceId, live.pair);
    } else if (live !== null) {
      this.readback.afterRefresh(live.identity.presenceId, live.pair);
    }
    this.publish();
  }

  /** Runs one keep-alive tick: ends the intent if it passed, else refreshes the session. */
  private async refresh(epoch: number): Promise<void> {
    this.nextRefreshAt = null;
    if (epoch !== this.epoch || this.intent === null) {
      return;
    }
    if (this.hasPassed(this.intent.intentUntil)) {
      await this.endIntent();
      return;
    }

    const identity = this.identity();
    const expected = this.live?.identity ?? null;
    if (identity === null) {
      this.stopKeepAlive({ category: 'sign-in-required', message: 'Signed out, so the presence session is no longer refreshed. Sign in again to keep it.' });
      return;
    }
    if (expected !== null && !sameIdentity(identity, expected)) {
      this.stopKeepAlive({
        category: 'sign-in-required',
        message: `The signed-in account changed (was ${expected.presenceId}), so its presence session is no longer refreshed.`,
      });
      return;
    }

    const wasLive = this.live !== null;
    const outcome = await this.sendSet(identity, epoch, wasLive ? 'keep-alive' : 're-assert');
    if (outcome.kind === 'superseded') {
      return;
    }
    if (outcome.kind === 'ok') {
      this.onSetSucceeded(epoch, wasLive ? 'refresh' : 'new-pair');
      return;
    }
    this.onRefreshFailed(epoch, outcome.failure);
  }

  private onRefreshFailed(epoch: number, failure: Failure): void {
    if (!isRetryable(failure.category)) {
      this.stopKeepAlive(failure);
      return;
    }

    this.refreshFailures += 1;
    const delayMs = nextRefreshDelayMs(this.refreshFailures, failure.retryAfterMs);
    this.logger.warn('presence refresh failed; retrying later', {
      failures: this.refreshFailures,
      retryInMs: delayMs,
      category: failure.category,
      requestId: failure.requestId,
      error: failure.message,
    });
    this.setProblem(failure);
    this.scheduleKeepAlive(epoch, delayMs);
    this.publish();
  }

  /**
   * Stops refreshing after a failure that retrying cannot fix. The session then ends at
   * Microsoft on its own when its expiration passes; the journal entry stays open.
   */
  private stopKeepAlive(failure: Pick<Failure, 'category' | 'message'>): void {
    this.cancelTimer('keepAlive');
    this.nextRefreshAt = null;
    this.setProblem(failure);
    this.logger.error('keep-alive stopped', { category: failure.category, error: failure.message });

    const live = this.live;
    if (live !== null) {
      const epoch = this.epoch;
      this.startTimer('expiry', Math.max(0, live.expiresAt - this.clock.wallMs()), () => {
        if (epoch === this.epoch && this.live === live) {
          this.live = null;
          this.logger.info('presence session expired at Microsoft after the keep-alive stopped');
          this.publish();
        }
      });
    }
    this.publish();
  }

  private async endIntent(): Promise<void> {
    this.logger.info('intent ended; clearing', { intentUntil: isoOrNull(this.intent?.intentUntil ?? null) });
    await this.clear({ trigger: 'intent-ended', deadlineMs: this.clock.monotonicMs() + INTENT_END_CLEAR_BUDGET_MS });
  }

  private async reassert(): Promise<void> {
    const intent = this.intent;
    if (intent === null || this.paused) {
      return;
    }
    if (this.hasPassed(intent.intentUntil)) {
      this.intent = null;
      this.publish();
      return;
    }
    const identity = this.identity();
    if (identity === null) {
      this.logger.info('not re-asserting the intent while signed out');
      return;
    }

    const epoch = this.beginEpoch();
    await this.abortInFlightSet(Infinity);
    if (epoch !== this.epoch) {
      return;
    }
    this.refreshFailures = 0;
    this.readback.stop();
    this.logger.info('re-asserting the intent', {
      availability: intent.pair.availability,
      activity: intent.pair.activity,
      intentUntil: isoOrNull(intent.intentUntil),
    });

    const outcome = await this.sendSet(identity, epoch, 're-assert');
    if (outcome.kind === 'ok') {
      this.onSetSucceeded(epoch, 'new-pair');
    } else if (outcome.kind === 'failed') {
      this.onRefreshFailed(epoch, outcome.failure);
    }
  }

  private async recover(reason: 'resume' | 'clock-jump' | 'network-up' | 'sign-in', deadlineMs?: number): Promise<void> {
    this.logger.info('recovering: replay journal, re-read presence, re-assert intent', { reason });
    const replay = await this.replayJournal(deadlineMs ?? this.clock.monotonicMs() + REPLAY_BUDGET_MS);
    if (replay !== null && isUnfinished(replay)) {
      this.logger.info('pending clear is still open; not re-asserting yet', { reason });
      return;
    }

    const identity = this.identity();
    if (identity !== null) {
      await this.readback.readShown(identity.presenceId);
    }

    if (this.live !== null && this.inFlightSet === null) {
      // Refreshing at once also ends an intent that passed while the timers were frozen.
      this.cancelTimer('keepAlive');
      await this.refresh(this.epoch);
      return;
    }
    if (this.live === null) {
      await this.reassert();
    }
  }

  // ----- clear -----

  private async runClear(request: ClearRequest): Promise<ClearRecord> {
    const { trigger, deadlineMs } = request;
    const startedMs = this.clock.monotonicMs();
    const epoch = this.beginEpoch();

    let record: ClearRecord;
    try {
      await this.abortInFlightSet(deadlineMs);
      if (!TRIGGERS_KEEPING_INTENT.has(trigger)) {
        this.intent = null;
      }
      const live = this.live;
      this.live = null;
      this.nextRefreshAt = null;
      this.readback.stop();
      this.logger.info('clear started', { trigger, budgetMs: budgetOf(deadlineMs, startedMs) });

      record = await this.clearTarget(trigger, deadlineMs, live, epoch, startedMs);
    } catch (error) {
      // Defensive: every expected failure is handled below, so this is a bug.
      this.logger.error('clear failed unexpectedly', { trigger, error: String(error) });
      record = { at: this.clock.wallMs(), trigger, result: 'failed', requestId: null, error: String(error) };
    }

    this.lastClearValue = record;
    this.publish();
    return record;
  }

  private async clearTarget(
    trigger: ClearTrigger,
    deadlineMs: number,
    live: LiveSession | null,
    epoch: number,
    startedMs: number,
  ): Promise<ClearRecord> {
    const stored = await this.journal.read();
    const entry = stored.entry;

    if (entry === null && live === null) {
      await this.saveJournal({ version: 1, entry: null, paused: this.paused }, stored);
      this.pendingClear = null;
      this.logger.info('nothing to clear: no session and no pending clear', { trigger });
      return this.clearRecord(trigger, 'already-cleared', null);
    }
    if (entry !== null && isEntryExpired(entry, this.clock.wallMs())) {
      await this.saveJournal({ version: 1, entry: null, paused: this.paused }, stored);
      this.pendingClear = null;
      this.logger.info('journal entry already expired at Microsoft; closed it without a request', { trigger });
      return this.clearRecord(trigger, 'already-cleared', null);
    }

    // The entry to keep open if this clear fails. An entry recovered from a damaged file has no
    // ids, so the signed-in identity fills them in.
    const signedIn = this.identity();
    let expiresAt: number | null = null;
    if (entry !== null) {
      expiresAt = entry.expiresAt;
    } else if (live !== null) {
      expiresAt = live.expiresAt + SET_BUDGET_MS;
    }
    const pending: JournalEntry = {
      presenceId: entry?.presenceId ?? live?.identity.presenceId ?? signedIn?.presenceId ?? null,
      sessionId: entry?.sessionId ?? live?.identity.sessionId ?? signedIn?.sessionId ?? null,
      expiresAt,
    };
    const { presenceId, sessionId } = pending;
    if (presenceId === null || sessionId === null) {
      const message = 'Cannot clear presence while signed out. Sign in, and the pending clear is sent then.';
      return this.clearFailed(trigger, stored, pending, { category: 'sign-in-required', message, retryAfterMs: null, requestId: null });
    }

    // Keep the journal in step before the request: an intent that ended must not come back at
    // the next launch, even if this clear fails.
    if (entry !== null) {
      const keptEntry = this.intent === null && entry.intent !== undefined ? withoutIntent(entry) : entry;
      await this.saveJournal({ version: 1, entry: keptEntry, paused: this.paused }, stored);
    }

    if (this.clock.monotonicMs() >= deadlineMs) {
      const message = 'The clear ran out of time before it was sent; it is sent again at the next start, resume or network change.';
      return this.clearFailed(trigger, stored, pending, { category: 'unreachable', message, retryAfterMs: null, requestId: null });
    }

    const request = this.writer.clearPresence(presenceId, { sessionId }, { deadlineMs });
    const settled = await this.settleBy(request, deadlineMs);
    const elapsedMs = Math.round(this.clock.monotonicMs() - startedMs);

    if (settled.status === 'timed-out') {
      this.closeJournalIfLateClearSucceeds(request, epoch);
      const message =
        `Clearing presence did not finish within ${budgetOf(deadlineMs, startedMs)} ms; ` +
        'it is sent again at the next start, resume or network change.';
      this.logger.warn('clear timed out; kept the pending clear in the journal', { trigger, elapsedMs });
      return this.clearFailed(trigger, stored, pending, { category: 'unreachable', message, retryAfterMs: null, requestId: null });
    }

    if (settled.status === 'rejected' && !isNotFound(settled.reason)) {
      const failure = classifyFailure(settled.reason);
      this.logger.warn('clear failed; kept the pending clear in the journal', {
        trigger,
        category: failure.category,
        requestId: failure.requestId,
        elapsedMs,
        error: failure.message,
      });
      return this.clearFailed(trigger, stored, pending, failure);
    }

    const outcome = settled.status === 'fulfilled' ? settled.value.outcome : 'already-cleared';
    const requestId = settled.status === 'fulfilled' ? settled.value.requestId : classifyFailure(settled.reason).requestId;
    await this.saveJournal({ version: 1, entry: null, paused: this.paused }, null);
    this.pendingClear = null;
    this.problemValue = null;
    this.logger.info('presence cleared', { trigger, outcome, requestId, elapsedMs });
    return this.clearRecord(trigger, outcome, requestId);
  }

  /**
   * Records a failed clear as pending. Returns `journaled` when the journal contains the entry for
   * a later replay, or `failed` when not even that could be written.
   */
  private async clearFailed(trigger: ClearTrigger, stored: JournalRecord, pending: JournalEntry, failure: Failure): Promise<ClearRecord> {
    this.pendingClear = { since: this.clock.wallMs(), lastError: failure.message };
    this.setProblem(failure);

    let journaled = stored.entry !== null;
    const retryNotBefore = failure.retryAfterMs === null ? null : this.clock.wallMs() + failure.retryAfterMs;
    if (!journaled || retryNotBefore !== null) {
      try {
        // Read again: the clear may have rewritten the entry (without its ended intent) since `stored`.
        const current = journaled ? (await this.journal.read()).entry : null;
        const record: JournalRecord = { version: 1, entry: current ?? pending, paused: this.paused };
        if (retryNotBefore !== null) {
          record.retryNotBefore = retryNotBefore;
        }
        await this.journal.write(record);
        journaled = true;
      } catch (error) {
        this.logger.error('could not record the pending clear in the journal', { trigger, error: String(error) });
      }
    }
    return this.clearRecord(trigger, journaled ? 'journaled' : 'failed', failure.requestId, failure.message);
  }

  private clearRecord(trigger: ClearTrigger, result: ClearRecord['result'], requestId: string | null, error?: string): ClearRecord {
    const record: ClearRecord = { at: this.clock.wallMs(), trigger, result, requestId };
    if (error !== undefined) {
      record.error = error;
    }
    return record;
  }

  /** Closes the journal entry if a clear that passed its deadline succeeds later. */
  private closeJournalIfLateClearSucceeds(request: Promise<{ outcome: string; requestId: string | null }>, epoch: number): void {
    request.then(
      async (result) => {
        if (epoch !== this.epoch) {
          return;
        }
        await this.saveJournal({ version: 1, entry: null, paused: this.paused }, null);
        this.pendingClear = null;
        this.problemValue = null;
        this.logger.info('clear succeeded after its deadline; closed the journal entry', { outcome: result.outcome, requestId: result.requestId });
        this.publish();
      },
      ignore,
    );
  }

  // ----- journal -----

  /** Writes `record` unless `stored` already equals it. Best effort: a failure is logged. */
  private async saveJournal(record: JournalRecord, stored: JournalRecord | null): Promise<void> {
    if (stored !== null && JSON.stringify(stored) === JSON.stringify(record)) {
      return;
    }
    try {
      await this.journal.write(record);
    } catch (error) {
      this.logger.error('could not update the presence journal', { error: String(error), entryOpen: record.entry !== null });
    }
  }

  private async closeExpiredEntry(stored: JournalRecord): Promise<void> {
    await this.saveJournal({ ...stored, entry: null }, stored);
    this.pendingClear = null;
    this.logger.info('closed a journal entry that expired at Microsoft, without a request', {
      expiresAt: isoOrNull(stored.entry?.expiresAt ?? null),
    });
    this.publish();
  }

  private async dropIntentFromJournal(): Promise<void> {
    const stored = await this.journal.read();
    if (stored.entry?.intent === undefined) {
      return;
    }
    await this.saveJournal({ ...stored, entry: withoutIntent(stored.entry) }, stored);
  }

  private async savePausedFlag(): Promise<void> {
    const stored = await this.journal.read();
    const entry = stored.entry === null ? null : withoutIntent(stored.entry);
    await this.saveJournal({ version: 1, entry, paused: this.paused }, stored);
  }

  /** Clears an open entry of another user or session first, so a new set does not overwrite it. */
  private async replayForOtherIdentity(identity: SessionIdentity): Promise<void> {
    const stored = await this.journal.read();
    const entry = stored.entry;
    if (entry === null || isEntryExpired(entry, this.clock.wallMs())) {
      return;
    }
    if (entry.presenceId === identity.presenceId && entry.sessionId === identity.sessionId) {
      return;
    }

    const record = await this.replayJournal(this.clock.monotonicMs() + REPLAY_BUDGET_MS);
    if (record !== null && isUnfinished(record)) {
      // The new entry replaces the old one; the old session still ends at its expiration.
      this.logger.warn('pending clear for another session failed; it ends on its own when it expires', {
        presenceId: entry.presenceId,
        sessionId: entry.sessionId,
        expiresAt: isoOrNull(entry.expiresAt),
      });
    }
  }

  // ----- plumbing -----

  private beginEpoch(): number {
    this.epoch += 1;
    for (const name of Object.keys(this.timers) as TimerName[]) {
      this.cancelTimer(name);
    }
    this.nextRefreshAt = null;
    return this.epoch;
  }

  private scheduleKeepAlive(epoch: number, delayMs: number): void {
    this.startTimer('keepAlive', delayMs, () => this.detach('keep-alive', this.refresh(epoch)));
    this.nextRefreshAt = this.clock.wallMs() + delayMs;
  }

  private scheduleIntentEnd(epoch: number): void {
    const intentUntil = this.intent?.intentUntil ?? null;
    if (intentUntil === null) {
      this.cancelTimer('intentEnd');
      return;
    }
    // NOTE: a monotonic timer for a wall-clock time; `onClockJump` re-checks after a jump.
    this.startTimer('intentEnd', Math.max(0, intentUntil - this.clock.wallMs()), () => {
      if (epoch === this.epoch) {
        this.detach('intent-end', this.endIntent());
      }
    });
  }

  private startTimer(name: TimerName, delayMs: number, callback: () => void): void {
    this.cancelTimer(name);
    this.timers[name] = this.clock.setTimeout(() => {
      this.timers[name] = null;
      callback();
    }, delayMs);
  }

  private cancelTimer(name: TimerName): void {
    const handle = this.timers[name];
    if (handle !== null) {
      this.clock.clearTimeout(handle);
      this.timers[name] = null;
    }
  }

  /** Runs timer work that no caller awaits, and logs the error if it rejects. */
  private detach(task: string, work: Promise<void>): void {
    work.catch((error: unknown) => {
      this.logger.error('session task failed', { task, error: String(error) });
    });
  }

  private async abortInFlightSet(deadlineMs: number): Promise<void> {
    const inFlight = this.inFlightSet;
    if (inFlight === null) {
      return;
    }
    inFlight.controller.abort();
    // NOTE: an aborted request may still reach Graph before the clear does; the short
    // expiration of every set bounds what that race can leave behind.
    await this.settleBy(inFlight.settled, Math.min(deadlineMs, this.clock.monotonicMs() + ABORT_SETTLE_MS));
  }

  private async settleClearInFlight(): Promise<void> {
    if (this.inFlightClear !== null) {
      await this.inFlightClear;
    }
  }

  /** Waits for `promise` to settle, but not past the monotonic `deadlineMs`. */
  private settleBy<T>(promise: Promise<T>, deadlineMs: number): Promise<Settled<T>> {
    const outcome = promise.then(
      (value): Settled<T> => ({ status: 'fulfilled', value }),
      (reason: unknown): Settled<T> => ({ status: 'rejected', reason }),
    );
    if (!Number.isFinite(deadlineMs)) {
      return outcome;
    }

    return new Promise((resolve) => {
      const handle = this.clock.setTimeout(() => resolve({ status: 'timed-out' }), Math.max(0, deadlineMs - this.clock.monotonicMs()));
      void outcome.then((settled) => {
        this.clock.clearTimeout(handle);
        resolve(settled);
      });
    });
  }

  private hasPassed(intentUntil: number | null): boolean {
    return intentUntil !== null && intentUntil <= this.clock.wallMs();
  }

  private setProblem(failure: Pick<Failure, 'category' | 'message'>): void {
    this.problemValue = { kind: problemKind(failure.category), message: failure.message };
  }

  private publish(): void {
    const state = this.state();
    const snapshot = JSON.stringify([state, this.problemValue, this.readback.shown(), this.lastClearValue]);
    if (snapshot === this.lastPublished) {
      return;
    }
    this.lastPublished = snapshot;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        this.logger.error('session state listener failed', { error: String(error) });
      }
    }
  }
}

function problemKind(category: Failure['category']): SessionProblem['kind'] {
  switch (category) {
    case 'sign-in-required':
      return 'sign-in-required';
    case 'not-allowed':
      return 'not-allowed';
    case 'throttled':
      return 'throttled';
    case 'unreachable':
      return 'offline';
    default:
      return 'error';
  }
}

function sameIdentity(left: SessionIdentity, right: SessionIdentity): boolean {
  return left.presenceId === right.presenceId && left.sessionId === right.sessionId;
}

function withoutIntent(entry: JournalEntry): JournalEntry {
  return { presenceId: entry.presenceId, sessionId: entry.sessionId, expiresAt: entry.expiresAt };
}

function isUnfinished(record: ClearRecord): boolean {
  return record.result === 'journaled' || record.result === 'failed';
}

/** Graph's 404 from clearPresence means the session no longer exists: already cleared. */
function isNotFound(error: unknown): boolean {
  const fields = error as { kind?: unknown; status?: unknown } | null;
  return typeof error === 'object' && error !== null && (fields?.kind === 'not-found' || fields?.status === 404);
}

function budgetOf(deadlineMs: number, startedMs: number): number | null {
  return Number.isFinite(deadlineMs) ? Math.round(deadlineMs - startedMs) : null;
}

function isoOrNull(wallMs: number | null): string | null {
  return wallMs === null ? null : new Date(wallMs).toISOString();
}

function ignore(): void {}
