/**
 * The Microsoft Graph presence client: builds each request, checks its values before sending,
 * retries within the caller's deadline, and turns failures into `GraphError`. It keeps no
 * state between calls; the presence session decides what to send and when.
 */

import { randomUUID } from 'node:crypto';

import { HttpNetworkError, HttpTimeoutError, isAbortError } from '../net/errors.ts';
import type { Clock, HttpResponse, HttpTransport, Logger } from '../ports.ts';
import { assertPreferredPair, assertSessionPair } from '../presence/pairs.ts';
import { assertSessionExpiration, parseIsoDuration } from './duration.ts';
import { cleanGraphMessage, type DeniedReason, GraphError, type GraphErrorKind, kindForStatus, parseGraphErrorBody } from './errors.ts';
import { deniedReasonFor, explainFailure, type SignedInAccount } from './explain.ts';
import { assertExtraHeader } from './headers.ts';
import { decideRetry, headerValue, type AttemptResult } from './retry.ts';
import { assertGuid, type GraphApiVersion, parseGraphBaseUrl, presenceUrl, type PresenceAction } from './routes.ts';

export interface TokenSource {
  /** Returns a valid access token; forceRefresh after a 401. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** The signed-in account, used to explain a 401 or 403; null or absent when unknown. */
  account?(): SignedInAccount | null;
}

/** Notice of a wait before another attempt. */
export interface RetryNotice {
  action: string;
  /** Number of the attempt that just failed, 1 for the first. */
  attempt: number;
  waitMs: number;
  /** HTTP status of the failed attempt, or null for a network error or timeout. */
  status: number | null;
  clientRequestId: string;
}

export interface CallOptions {
  /** Monotonic deadline (`clock.monotonicMs()` + budget); Infinity for no limit. */
  deadlineMs: number;
  signal?: AbortSignal;
  /** The cmdlet's -Headers. Authorization, Host, Content-Length and framing headers are rejected. */
  extraHeaders?: Record<string, string>;
  apiVersion?: GraphApiVersion;
  /** Called before each wait between attempts, so a caller can show "retrying in 41 s". */
  onRetry?: (notice: RetryNotice) => void;
}

export interface GraphOk {
  status: number;
  requestId: string | null;
  clientRequestId: string;
  attempts: number;
}

export interface SessionPresence {
  /** The app's client ID: one app owns at most one presence session per user. */
  sessionId: string;
  availability: string;
  activity: string;
  /** ISO 8601, PT5M to PT4H; Microsoft ends the session when it passes. */
  expirationDuration: string;
}

export interface PreferredPresence {
  availability: string;
  activity: string;
  /** ISO 8601; Graph's default is 1 day for Busy and DoNotDisturb, 7 days otherwise. */
  expirationDuration?: string;
}

export interface StatusMessage {
  /** Plain text; Graph supports only the text content type here. */
  message: string;
  /** When the message disappears; `dateTime` carries no offset, the zone is in `timeZone`. */
  expiry?: { dateTime: string; timeZone: string };
}

/** Result of `getPresence`: the raw presence fields, then the typed ones and the call ids. */
export type PresenceSnapshot = GraphOk & {
  /** Graph's schema declares both nullable. */
  availability: string | null;
  activity: string | null;
  statusMessage?: unknown;
  [field: string]: unknown;
};

export interface PresenceClientOptions {
  transport: HttpTransport;
  /** "https://graph.microsoft.com" or the sandbox origin. */
  graphBaseUrl: string;
  tokens: TokenSource;
  clock: Clock;
  logger: Logger;
  /** Source of jitter in [0, 1); tests pass a fixed value. */
  random?: () => number;
  apiVersion: GraphApiVersion;
  /** Upper limit for one attempt in ms; see `DEFAULT_ATTEMPT_TIMEOUT_CAP_MS`. */
  attemptTimeoutCapMs?: number;
}

/**
 * NOTE: an estimate, not a measurement. Presence calls normally return in well under a second;
 * 10 s lets a slow proxy or mobile link finish, while a connection that died silently costs
 * at most 10 s before the retry on a new one.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_CAP_MS = 10_000;

interface PreparedCall {
  action: PresenceAction | 'getPresence';
  presenceId: string;
  method: 'GET' | 'POST';
  url: string;
  body?: string;
}

/** A finished call: the final response and the ids for the result. */
type CallEnd = { response: HttpResponse; ok: GraphOk };

interface AttemptOutcome {
  result: AttemptResult;
  response: HttpResponse | null;
  /** The transport's message when no response came. */
  transportMessage?: string;
  elapsedMs: number;
}

const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?$/;

export class PresenceClient {
  private readonly transport: HttpTransport;
  private readonly base: URL;
  private readonly tokens: TokenSource;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly apiVersion: GraphApiVersion;
  private readonly attemptTimeoutCapMs: number;
  /**
   * Wall-clock ms before which Graph asked for no more requests (the latest `Retry-After`).
   * Graph counts requests made while throttled against the app, so every call waits it out,
   * not only the call that received it.
   */
  private throttledUntilWallMs = 0;

  constructor(options: PresenceClientOptions) {
    this.transport = options.transport;
    this.base = parseGraphBaseUrl(options.graphBaseUrl);
    this.tokens = options.tokens;
    this.clock = options.clock;
    this.logger = options.logger.child('graph');
    this.random = options.random ?? Math.random;
    this.apiVersion = options.apiVersion;
    this.attemptTimeoutCapMs = options.attemptTimeoutCapMs ?? DEFAULT_ATTEMPT_TIMEOUT_CAP_MS;
  }

  /** Creates or refreshes the app's presence session (`setPresence`). */
  async setPresence(presenceId: string, presence: SessionPresence, options: CallOptions): Promise<GraphOk> {
    assertSessionPair({ availability: presence.availability, activity: presence.activity });
    assertSessionExpiration(presence.expirationDuration);
    assertGuid(presence.sessionId, 'session ID', "Use the app's application (client) ID.");

    // Key order matches the Graph reference example, so logs and captures read the same way.
    const body = {
      sessionId: presence.sessionId,
      availability: presence.availability,
      activity: presence.activity,
      expirationDuration: presence.expirationDuration,
    };
    const { ok } = await this.call(this.prepare('setPresence', presenceId, body, options), options);
    return ok;
  }

  /**
   * Ends the app's presence session. A 404 means the session is already gone (expired, or an
   * earlier clear whose response was lost), so it returns `already-cleared` without a retry.
   */
  async clearPresence(
    presenceId: string,
    session: { sessionId: string },
    options: CallOptions,
  ): Promise<GraphOk & { outcome: 'cleared' | 'already-cleared' }> {
    assertGuid(session.sessionId, 'session ID', "Use the app's application (client) ID.");

    const call = this.prepare('clearPresence', presenceId, { sessionId: session.sessionId }, options);
    const { ok } = await this.call(call, options);
    return { ...ok, outcome: ok.status === 404 ? 'already-cleared' : 'cleared' };
  }

  /** Reads the user's aggregated presence, as Teams shows it. */
  async getPresence(presenceId: string, options: CallOptions): Promise<PresenceSnapshot> {
    const call = this.prepare('getPresence', presenceId, undefined, options);
    const { response, ok } = await this.call(call, options);

    let raw: unknown;
    try {
      raw = JSON.parse(response.body);
    } catch {
      raw = null;
    }
    const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
    const availability = record?.['availability'] ?? null;
    const activity = record?.['activity'] ?? null;
    if (record === null || !isNullableString(availability) || !isNullableString(activity)) {
      const facts = { ...this.baseFacts(call, ok.attempts), kind: 'server' as const, status: ok.status };
      throw new GraphError(
        { ...facts, code: null, requestId: ok.requestId, clientRequestId: ok.clientRequestId },
        `Graph returned an unreadable presence for ${presenceId}: expected a JSON object with availability and activity. ` +
          'Try again; if it persists, report it with the ids below.',
      );
    }

    return { ...record, availability, activity, ...ok };
  }

  /** Sets the user's preferred presence, which wins over every session while one exists. */
  async setUserPreferredPresence(presenceId: string, presence: PreferredPresence, options: CallOptions): Promise<GraphOk> {
    assertPreferredPair({ availability: presence.availability, activity: presence.activity });
    if (presence.expirationDuration !== undefined) {
      parseIsoDuration(presence.expirationDuration);
    }

    const body: Record<string, string> = { availability: presence.availability, activity: presence.activity };
    if (presence.expirationDuration !== undefined) {
      body['expirationDuration'] = presence.expirationDuration;
    }
    const { ok } = await this.call(this.prepare('setUserPreferredPresence', presenceId, body, options), options);
    return ok;
  }

  /** Removes the user's preferred presence. */
  async clearUserPreferredPresence(presenceId: string, options: CallOptions): Promise<GraphOk> {
    const { ok } = await this.call(this.prepare('clearUserPreferredPresence', presenceId, undefined, options), options);
    return ok;
  }

  /**
   * Makes every call wait until `untilWallMs`, as if Graph had just sent that `Retry-After`;
   * used at start for a wait an earlier run received.
   */
  restoreThrottle(untilWallMs: number): void {
    this.throttledUntilWallMs = Math.max(this.throttledUntilWallMs, untilWallMs);
  }

  /** Sets the status message; an empty `message` clears it. */
  async setStatusMessage(presenceId: string, status: StatusMessage, options: CallOptions): Promise<GraphOk> {
    const statusMessage: Record<string, unknown> = { message: { content: status.message, contentType: 'text' } };
    if (status.expiry !== undefined) {
      if (!DATE_TIME_WITHOUT_OFFSET.test(status.expiry.dateTime)) {
        throw new TypeError(
          `Invalid status message expiry "${status.expiry.dateTime}": expected a local date and time without offset, ` +
            'such as 2026-12-04T17:00:00, with the zone in timeZone.',
        );
      }
      if (status.expiry.timeZone.trim() === '') {
        throw new TypeError('Missing time zone for the status message expiry: set timeZone, for example "UTC".');
      }
      statusMessage['expiryDateTime'] = { dateTime: status.expiry.dateTime, timeZone: status.expiry.timeZone };
    }

    const { ok } = await this.call(this.prepare('setStatusMessage', presenceId, { statusMessage }, options), options);
    return ok;
  }

  private prepare(
    action: PresenceAction | 'getPresence',
    presenceId: string,
    body: object | undefined,
    options: CallOptions,
  ): PreparedCall {
    assertGuid(presenceId, 'presence ID', "Use the user's Entra object ID.");
    for (const [name, value] of Object.entries(options.extraHeaders ?? {})) {
      assertExtraHeader(name, value);
    }

    const version = options.apiVersion ?? this.apiVersion;
    const url = presenceUrl(this.base, version, presenceId, action === 'getPresence' ? null : action);
    if (action === 'getPresence') {
      return { action, presenceId, method: 'GET', url };
    }
    return { action, presenceId, method: 'POST', url, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  }

  /** Sends `call` until it succeeds, fails for good, or the next wait would pass the deadline. */
  private async call(call: PreparedCall, options: CallOptions): Promise<CallEnd> {
    const clientRequestId = this.clientRequestIdFor(options);
    const account = this.tokens.account?.() ?? null;
    const mismatch = account !== null && account.objectId.toLowerCase() !== call.presenceId.toLowerCase();
    let forceRefresh = false;
    let refreshed = false;

    for (let attempt = 1; ; attempt += 1) {
      const end = (kind: GraphErrorKind, extra: Partial<FailureExtras> = {}): GraphError =>
        this.failure(call, { kind, attempts: attempt, clientRequestId, account, ...extra });

      // Steps before sending: cancelled? out of time? then a token.
      if (options.signal?.aborted === true) {
        throw end('aborted', { attempts: attempt - 1 });
      }
      const throttleWaitMs = this.throttledUntilWallMs - this.clock.wallMs();
      if (throttleWaitMs > 0) {
        if (this.clock.monotonicMs() + throttleWaitMs > options.deadlineMs) {
          this.logger.warn('Graph request not sent: an earlier Retry-After has not passed and waiting would pass the deadline', {
            action: call.action,
            clientRequestId,
            waitMs: Math.round(throttleWaitMs),
          });
          throw end('throttled', { attempts: attempt - 1, retryAfterMs: throttleWaitMs });
        }
        this.logger.info('waiting out an earlier Retry-After before sending', { action: call.action, clientRequestId, waitMs: Math.round(throttleWaitMs) });
        await this.sleep(throttleWaitMs, options.signal, () => end('aborted', { attempts: attempt - 1 }));
      }
      const remainingMs = options.deadlineMs - this.clock.monotonicMs();
      if (remainingMs <= 0) {
        throw end('timeout', { attempts: attempt - 1 });
      }
      const token = await this.tokens.getAccessToken(forceRefresh ? { forceRefresh: true } : undefined);
      forceRefresh = false;

      let outcome: AttemptOutcome;
      try {
        outcome = await this.sendAttempt(call, token, clientRequestId, remainingMs, options);
      } catch (error) {
        if (isAbortError(error)) {
          throw end('aborted', { cause: error });
        }
        throw error;
      }
      const { result, response, transportMessage } = outcome;

      const requestId = response === null ? null : (headerValue(response.headers, 'request-id') ?? null);
      const graph = response === null || response.status < 400 ? null : parseGraphErrorBody(response.body);
      const logFields = {
        action: call.action,
        status: response?.status ?? result,
        requestId: requestId ?? graph?.requestId ?? null,
        clientRequestId,
        attempt,
        elapsedMs: outcome.elapsedMs,
      };

      // Success, and the 404 that means "already cleared".
      if (response !== null && (isSuccess(response.status) || (response.status === 404 && call.action === 'clearPresence'))) {
        this.logger.info('Graph request succeeded', logFields);
        return { response, ok: { status: response.status, requestId, clientRequestId, attempts: attempt } };
      }

      const failure: Partial<FailureExtras> = {
        status: response?.status ?? null,
        requestId: requestId ?? graph?.requestId ?? null,
        graphCode: graph?.code ?? null,
        graphMessage: cleanGraphMessage(graph?.message ?? null),
        ...(transportMessage === undefined ? {} : { transportMessage }),
      };

      // 401: refresh the token once and send again at once, unless the presence is another
      // user's, where a fresh token cannot help.
      if (result === 401 && !refreshed && !mismatch) {
        this.logger.warn('Graph rejected the access token; refreshing it once', logFields);
        refreshed = true;
        forceRefresh = true;
        continue;
      }
      if (result === 401 || result === 403) {
        this.logger.warn('Graph rejected the request as unauthorized or forbidden', logFields);
        const deniedReason = deniedReasonFor(result, call.presenceId, account);
        throw end(kindForStatus(result), { ...failure, deniedReason });
      }

      const decision = decideRetry(result, response?.headers ?? {}, attempt, this.now(), options.deadlineMs, this.random);
      const retryAfter = decision.kind === 'final' || decision.retryAfterMs === null ? {} : { retryAfterMs: decision.retryAfterMs };
      if (decision.kind !== 'final' && decision.retryAfterMs !== null) {
        this.throttledUntilWallMs = Math.max(this.throttledUntilWallMs, this.clock.wallMs() + decision.retryAfterMs);
      }
      if (decision.kind === 'final') {
        this.logger.warn('Graph request failed', logFields);
        throw end(kindForStatus(response?.status ?? 500), failure);
      }
      if (decision.kind === 'deadline') {
        this.logger.warn('Graph request failed; the next retry would pass the deadline', { ...logFields, waitMs: decision.waitMs });
        throw end(kindForResult(result), { ...failure, ...retryAfter });
      }

      this.logger.warn('Graph request failed; retrying', { ...logFields, waitMs: decision.waitMs, basis: decision.basis });
      options.onRetry?.({
        action: call.action,
        attempt,
        waitMs: decision.waitMs,
        status: response?.status ?? null,
        clientRequestId,
      });
      await this.sleep(decision.waitMs, options.signal, () => end('aborted', failure));
    }
  }

  /**
   * Sends one attempt and returns its status, or `network`/`timeout` when no response came.
   * Abort errors and errors that are not HTTP failures (a bug, a bad URL) are thrown.
   */
  private async sendAttempt(
    call: PreparedCall,
    token: string,
    clientRequestId: string,
    remainingMs: number,
    options: CallOptions,
  ): Promise<AttemptOutcome> {
    const started = this.clock.monotonicMs();
    const elapsed = (): number => Math.round(this.clock.monotonicMs() - started);

    try {
      const response = await this.transport.send({
        method: call.method,
        url: call.url,
        headers: this.headersFor(call, token, clientRequestId, options),
        ...(call.body === undefined ? {} : { body: call.body }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        timeoutMs: Math.max(1, Math.min(remainingMs, this.attemptTimeoutCapMs)),
      });
      return { result: response.status, response, elapsedMs: elapsed() };
    } catch (error) {
      if (error instanceof HttpTimeoutError) {
        return { result: 'timeout', response: null, transportMessage: error.message, elapsedMs: elapsed() };
      }
      if (error instanceof HttpNetworkError) {
        return { result: 'network', response: null, transportMessage: error.message, elapsedMs: elapsed() };
      }
      throw error;
    }
  }

  private headersFor(call: PreparedCall, token: string, clientRequestId: string, options: CallOptions): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'client-request-id': clientRequestId,
      'return-client-request-id': 'true',
    };
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    for (const [name, value] of Object.entries(options.extraHeaders ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    headers['authorization'] = `Bearer ${token}`;
    return headers;
  }

  /** Returns a fresh GUID per call, or the caller's own `client-request-id` from the extra headers. */
  private clientRequestIdFor(options: CallOptions): string {
    const own = headerValue(options.extraHeaders ?? {}, 'client-request-id')?.trim();
    return own === undefined || own === '' ? randomUUID() : own;
  }

  private now(): { monotonicMs: number; wallMs: number } {
    return { monotonicMs: this.clock.monotonicMs(), wallMs: this.clock.wallMs() };
  }

  private sleep(ms: number, signal: AbortSignal | undefined, aborted: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(aborted());
        return;
      }
      const onAbort = (): void => {
        this.clock.clearTimeout(handle);
        reject(aborted());
      };
      const handle = this.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private baseFacts(call: PreparedCall, attempts: number): { action: string; presenceId: string; attempts: number } {
    return { action: call.action, presenceId: call.presenceId, attempts };
  }

  private failure(call: PreparedCall, extras: FailureExtras): GraphError {
    const facts = {
      ...this.baseFacts(call, extras.attempts),
      kind: extras.kind,
      status: extras.status ?? null,
      graphCode: extras.graphCode ?? null,
      graphMessage: extras.graphMessage ?? null,
      account: extras.account,
      ...(extras.retryAfterMs === undefined ? {} : { retryAfterMs: extras.retryAfterMs }),
      ...(extras.deniedReason === undefined ? {} : { deniedReason: extras.deniedReason }),
      ...(extras.transportMessage === undefined ? {} : { transportMessage: extras.transportMessage }),
    };
    return new GraphError(
      {
        ...facts,
        code: facts.graphCode,
        requestId: extras.requestId ?? null,
        clientRequestId: extras.clientRequestId,
      },
      explainFailure(facts),
      extras.cause === undefined ? undefined : { cause: extras.cause },
    );
  }
}

interface FailureExtras {
  kind: GraphErrorKind;
  attempts: number;
  clientRequestId: string;
  account: SignedInAccount | null;
  status?: number | null;
  requestId?: string | null;
  graphCode?: string | null;
  graphMessage?: string | null;
  retryAfterMs?: number;
  deniedReason?: DeniedReason;
  transportMessage?: string;
  cause?: unknown;
}

function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function kindForResult(result: AttemptResult): GraphErrorKind {
  return typeof result === 'number' ? kindForStatus(result) : result;
}
