/**
 * Every user's presence: sessions per app and per Teams client, the preferred presence, the
 * status message and work location, and the aggregate Graph reports. Time comes from the
 * sandbox clock, so fades and expirations happen when a test advances it.
 */

import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock.ts';
import {
  availabilityRank,
  defaultPreferredExpirationMs,
  FADE_TO_AWAY_MS,
  FADE_TO_INACTIVE_MS,
  type PresencePair,
} from './presence-rules.ts';

export interface PresenceSessionState {
  /** For an app session, the `sessionId` it was set with (the app's client ID). */
  id: string;
  kind: 'app' | 'teams';
  /** The pair as set. */
  set: PresencePair;
  /** The pair after the Available fade; equal to `set` for other availabilities. */
  current: PresencePair;
  lastSetAt: number;
  /** Unix ms when the session ends by itself, or null for a Teams session. */
  expiresAt: number | null;
}

export interface StatusMessageState {
  message: { content: string; contentType: string };
  expiryDateTime: { dateTime: string; timeZone: string | null } | null;
  publishedDateTime: string;
}

export interface WorkLocationState {
  workLocationType: string;
  source: string;
  placeId: string | null;
}

/** Result of `presenceOf`: the true state now, and the state a Graph read would show. */
export interface PresenceSnapshot {
  userId: string;
  availability: string;
  activity: string;
  /** The pair GET returns now. It differs from the fields above while a readback delay is active. */
  shown: PresencePair;
  sessions: PresenceSessionState[];
  preferred: { availability: string; activity: string; expiresAt: number } | null;
  statusMessage: StatusMessageState | null;
  workLocation: WorkLocationState | null;
  sequenceNumber: string;
}

/** A presence as a Graph read shows it. */
export interface PresenceView {
  userId: string;
  availability: string;
  activity: string;
  statusMessage: StatusMessageState | null;
  workLocation: WorkLocationState | null;
  sequenceNumber: string;
}

/** How long reads keep showing the state from before a write (Teams clients poll). */
export interface ReadbackDelay {
  reads?: number;
  ms?: number;
}

interface StoredSession {
  id: string;
  kind: 'app' | 'teams';
  pair: PresencePair;
  lastSetAt: number;
  expiresAt: number | null;
}

interface ReadbackLag {
  shown: PresencePair;
  sequence: number;
  readsLeft: number;
  until: number;
}

interface UserPresence {
  sessions: Map<string, StoredSession>;
  preferred: { pair: PresencePair; expiresAt: number } | null;
  statusMessage: StatusMessageState | null;
  workLocation: WorkLocationState | null;
  sequence: number;
  lag: ReadbackLag | null;
}

const OFFLINE: PresencePair = { availability: 'Offline', activity: 'Offline' };

export class PresenceBook {
  private readonly users = new Map<string, UserPresence>();
  private readbackDelay: Required<ReadbackDelay> = { reads: 0, ms: 0 };

  constructor(private readonly clock: SandboxClock) {}

  /** Creates or refreshes the app session `sessionId`; a refresh restarts the fade. */
  setSession(userId: string, sessionId: string, pair: PresencePair, expirationMs: number): void {
    const user = this.beginWrite(userId);
    const now = this.clock.now();
    user.sessions.set(sessionId, { id: sessionId, kind: 'app', pair: { ...pair }, lastSetAt: now, expiresAt: now + expirationMs });
  }

  /** Removes the app session `sessionId`; returns false when no live session has that ID. */
  clearSession(userId: string, sessionId: string): boolean {
    const user = this.user(userId);
    const session = user.sessions.get(sessionId);
    if (session === undefined || session.kind !== 'app') {
      return false;
    }
    this.beginWrite(userId);
    user.sessions.delete(sessionId);
    return true;
  }

  /** Adds a session as a signed-in Teams client has one; returns its ID. */
  addTeamsSession(userId: string, pair: PresencePair): string {
    const user = this.beginWrite(userId);
    const id = `teams-${randomUUID()}`;
    user.sessions.set(id, { id, kind: 'teams', pair: { ...pair }, lastSetAt: this.clock.now(), expiresAt: null });
    return id;
  }

  removeTeamsSession(userId: string, sessionId: string): boolean {
    const user = this.user(userId);
    if (user.sessions.get(sessionId)?.kind !== 'teams') {
      return false;
    }
    this.beginWrite(userId);
    user.sessions.delete(sessionId);
    return true;
  }

  /** Sets the preferred presence; `expirationMs` null means the documented default. */
  setPreferred(userId: string, pair: PresencePair, expirationMs: number | null): void {
    const user = this.beginWrite(userId);
    const lifetime = expirationMs ?? defaultPreferredExpirationMs(pair.availability);
    user.preferred = { pair: { ...pair }, expiresAt: this.clock.now() + lifetime };
  }

  clearPreferred(userId: string): void {
    this.beginWrite(userId).preferred = null;
  }

  setStatusMessage(userId: string, statusMessage: StatusMessageState | null): void {
    this.beginWrite(userId).statusMessage = statusMessage;
  }

  setWorkLocation(userId: string, workLocation: WorkLocationState | null): void {
    this.beginWrite(userId).workLocation = workLocation;
  }

  setReadbackDelay(delay: ReadbackDelay): void {
    this.readbackDelay = { reads: delay.reads ?? 0, ms: delay.ms ?? 0 };
    for (const user of this.users.values()) {
      user.lag = null;
    }
  }

  /** Returns what a Graph GET shows, counting the read against an active readback delay. */
  read(userId: string): PresenceView {
    const user = this.user(userId);
    const lag = this.activeLag(user);
    const shown = lag === null ? this.aggregate(user) : lag.shown;
    if (lag !== null && lag.readsLeft > 0) {
      lag.readsLeft -= 1;
    }

    return {
      userId,
      availability: shown.availability,
      activity: shown.activity,
      statusMessage: this.liveStatusMessage(user),
      workLocation: user.workLocation,
      sequenceNumber: formatSequence(lag === null ? user.sequence : lag.sequence),
    };
  }

  /** Returns the full state for assertions without counting a read. */
  snapshot(userId: string): PresenceSnapshot {
    const user = this.user(userId);
    const now = this.clock.now();
    const effective = this.aggregate(user);
    const lag = this.activeLag(user);

    return {
      userId,
      availability: effective.availability,
      activity: effective.activity,
      shown: lag === null ? effective : { ...lag.shown },
      sessions: [...user.sessions.values()].map((session) => ({
        id: session.id,
        kind: session.kind,
        set: { ...session.pair },
        current: currentPair(session, now),
        lastSetAt: session.lastSetAt,
        expiresAt: session.expiresAt,
      })),
      preferred: user.preferred === null ? null : { ...user.preferred.pair, expiresAt: user.preferred.expiresAt },
      statusMessage: this.liveStatusMessage(user),
      workLocation: user.workLocation,
      sequenceNumber: formatSequence(user.sequence),
    };
  }

  /** IDs of every user with presence state, for the collection read. */
  userIds(): string[] {
    return [...this.users.keys()];
  }

  /** Returns the user's state with ended sessions and an ended preference removed. */
  private user(userId: string): UserPresence {
    const key = userId.toLowerCase();
    let user = this.users.get(key);
    if (user === undefined) {
      user = { sessions: new Map(), preferred: null, statusMessage: null, workLocation: null, sequence: 0, lag: null };
      this.users.set(key, user);
    }

    const now = this.clock.now();
    for (const [id, session] of user.sessions) {
      if (session.expiresAt !== null && now >= session.expiresAt) {
        user.sessions.delete(id);
      }
    }
    if (user.preferred !== null && now >= user.preferred.expiresAt) {
      user.preferred = null;
    }
    return user;
  }

  /** Records the state a lagging read still returns, then counts the write. */
  private beginWrite(userId: string): UserPresence {
    const user = this.user(userId);
    const { reads, ms } = this.readbackDelay;

    if (reads > 0 || ms > 0) {
      const lag = this.activeLag(user);
      user.lag = {
        shown: lag === null ? this.aggregate(user) : lag.shown,
        sequence: lag === null ? user.sequence : lag.sequence,
        readsLeft: reads,
        until: this.clock.now() + ms,
      };
    }

    user.sequence += 1;
    return user;
  }

  private activeLag(user: UserPresence): ReadbackLag | null {
    const lag = user.lag;
    if (lag === null) {
      return null;
    }
    if (lag.readsLeft > 0 || this.clock.now() < lag.until) {
      return lag;
    }
    user.lag = null;
    return null;
  }

  /**
   * Returns the aggregate. With no live session it is Offline. Otherwise a preferred presence
   * wins, and without one the highest-ranked session after its fade wins (the newest on a tie).
   */
  private aggregate(user: UserPresence): PresencePair {
    if (user.sessions.size === 0) {
      return { ...OFFLINE };
    }
    if (user.preferred !== null) {
      return { ...user.preferred.pair };
    }

    const now = this.clock.now();
    let best: { pair: PresencePair; rank: number; lastSetAt: number } | null = null;
    for (const session of user.sessions.values()) {
      const pair = currentPair(session, now);
      const rank = availabilityRank(pair.availability);
      if (best === null || rank > best.rank || (rank === best.rank && session.lastSetAt > best.lastSetAt)) {
        best = { pair, rank, lastSetAt: session.lastSetAt };
      }
    }
    return best === null ? { ...OFFLINE } : best.pair;
  }

  private liveStatusMessage(user: UserPresence): StatusMessageState | null {
    const message = user.statusMessage;
    if (message?.expiryDateTime == null) {
      return message;
    }

    // NOTE: only UTC expiry times are evaluated. A message with another time zone never
    // expires in the sandbox, because it has no time zone database for Windows zone names.
    const zone = message.expiryDateTime.timeZone ?? 'UTC';
    if (zone.toUpperCase() === 'UTC' && this.clock.now() >= Date.parse(`${message.expiryDateTime.dateTime}Z`)) {
      user.statusMessage = null;
      return null;
    }
    return message;
  }
}

/** Applies the Available fade of an app session at time `now`. */
function currentPair(session: StoredSession, now: number): PresencePair {
  if (session.kind !== 'app' || session.pair.availability !== 'Available') {
    return { ...session.pair };
  }

  const idleMs = now - session.lastSetAt;
  if (idleMs >= FADE_TO_AWAY_MS) {
    return { availability: 'Away', activity: 'Away' };
  }
  if (idleMs >= FADE_TO_INACTIVE_MS) {
    return { availability: 'Available', activity: 'AvailableInactive' };
  }
  return { ...session.pair };
}

/** Graph's `sequenceNumber` is a string that sorts in update order; zero padding keeps that. */
function formatSequence(sequence: number): string {
  return String(sequence).padStart(20, '0');
}
