/**
 * The part of the Graph presence client that the presence session uses. `PresenceClient` in
 * `main/core/graph/` implements it; tests use `test/fakes/presence-writer.ts`.
 */

export interface PresenceCallOptions {
  /** Monotonic deadline (`Clock.monotonicMs()` + budget); Infinity means no limit. */
  deadlineMs: number;
  signal?: AbortSignal;
  extraHeaders?: Record<string, string>;
  apiVersion?: 'v1.0' | 'beta';
}

export interface SetPresenceBody {
  sessionId: string;
  availability: string;
  activity: string;
  /** ISO 8601 duration within PT5M..PT4H, for example `PT10M`. */
  expirationDuration: string;
}

export interface PresenceWriteResult {
  requestId: string | null;
}

export interface ClearPresenceResult {
  /** `already-cleared` is Graph's 404: the session had expired or was cleared before. */
  outcome: 'cleared' | 'already-cleared';
  requestId: string | null;
}

export interface PresenceReading {
  /** Graph declares both properties nullable. */
  availability: string | null;
  activity: string | null;
  requestId: string | null;
}

/**
 * Sends the three presence calls. Failures reject with an error that carries a `kind`
 * (`GraphError` or `AuthError`), which `classifyFailure` maps to what the session does next.
 */
export interface PresenceWriter {
  setPresence(presenceId: string, body: SetPresenceBody, options: PresenceCallOptions): Promise<PresenceWriteResult>;
  clearPresence(presenceId: string, body: { sessionId: string }, options: PresenceCallOptions): Promise<ClearPresenceResult>;
  getPresence(presenceId: string, options: PresenceCallOptions): Promise<PresenceReading>;
}

/** The user and session a write targets: `presenceId` is the user's object ID, `sessionId` the app's client ID. */
export interface SessionIdentity {
  presenceId: string;
  sessionId: string;
}
