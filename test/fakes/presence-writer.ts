/**
 * An in-memory `PresenceWriter` driven by a `Clock`. It records every call with the time it was
 * made, models the app's one session (set, clear, 404 when none), and lets a test script
 * failures, delays and readback values per call.
 */

import type { Clock } from '../../main/core/ports.ts';
import type { PresencePair } from '../../main/core/presence/pairs.ts';
import type {
  ClearPresenceResult,
  PresenceCallOptions,
  PresenceReading,
  PresenceWriter,
  PresenceWriteResult,
  SetPresenceBody,
} from '../../main/core/presence/writer.ts';

export type WriterMethod = 'setPresence' | 'clearPresence' | 'getPresence';

export interface WriterCall {
  method: WriterMethod;
  presenceId: string;
  body: SetPresenceBody | { sessionId: string } | null;
  deadlineMs: number;
  monotonicMs: number;
  wallMs: number;
}

/** What one scripted call does: wait `delayMs` on the clock, then fail with `error` or succeed. */
export interface ScriptedOutcome {
  delayMs?: number;
  error?: Error;
  /** For `getPresence`: the pair the read returns instead of the modelled one. */
  shown?: PresencePair;
  /** Waits the whole `delayMs` even past the call's deadline, as a misbehaving client would. */
  ignoreDeadline?: boolean;
}

/** Stands in for `GraphError` and `AuthError`: the session reads only `kind` and the ids. */
export class FakeGraphError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly retryAfterMs?: number,
    readonly requestId: string | null = 'fake-request-id',
  ) {
    super(message);
    this.name = 'FakeGraphError';
  }
}

const OFFLINE: PresencePair = { availability: 'Offline', activity: 'Offline' };

export class FakePresenceWriter implements PresenceWriter {
  readonly calls: WriterCall[] = [];
  /** The app's session as Microsoft would hold it, or null when there is none. */
  session: (PresencePair & { sessionId: string }) | null = null;
  private readonly scripts: Record<WriterMethod, ScriptedOutcome[]> = {
    setPresence: [],
    clearPresence: [],
    getPresence: [],
  };
  private nextRequest = 1;

  /**
   * @param events shared list where each call appends `writer.<method>` when it is sent.
   */
  constructor(
    private readonly clock: Clock,
    private readonly events?: string[],
  ) {}

  /** Queues outcomes for the coming calls of `method`; calls past the queue succeed at once. */
  script(method: WriterMethod, ...outcomes: ScriptedOutcome[]): void {
    this.scripts[method].push(...outcomes);
  }

  callsOf(method: WriterMethod): WriterCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async setPresence(presenceId: string, body: SetPresenceBody, options: PresenceCallOptions): Promise<PresenceWriteResult> {
    await this.begin('setPresence', presenceId, { ...body }, options);
    this.session = { sessionId: body.sessionId, availability: body.availability, activity: body.activity };
    return { requestId: this.requestId() };
  }

  async clearPresence(presenceId: string, body: { sessionId: string }, options: PresenceCallOptions): Promise<ClearPresenceResult> {
    await this.begin('clearPresence', presenceId, { ...body }, options);
    const existed = this.session !== null;
    this.session = null;
    return { outcome: existed ? 'cleared' : 'already-cleared', requestId: this.requestId() };
  }

  async getPresence(presenceId: string, options: PresenceCallOptions): Promise<PresenceReading> {
    const outcome = await this.begin('getPresence', presenceId, null, options);
    const shown = outcome.shown ?? this.session ?? OFFLINE;
    return { availability: shown.availability, activity: shown.activity, requestId: this.requestId() };
  }

  private async begin(
    method: WriterMethod,
    presenceId: string,
    body: WriterCall['body'],
    options: PresenceCallOptions,
  ): Promise<ScriptedOutcome> {
    this.calls.push({
      method,
      presenceId,
      body,
      deadlineMs: options.deadlineMs,
      monotonicMs: this.clock.monotonicMs(),
      wallMs: this.clock.wallMs(),
    });
    this.events?.push(`writer.${method}`);

    const outcome = this.scripts[method].shift() ?? {};
    if (outcome.delayMs !== undefined && outcome.delayMs > 0) {
      await this.wait(outcome.delayMs, outcome.ignoreDeadline === true ? { ...options, deadlineMs: Infinity } : options);
    }
    if (options.signal?.aborted === true) {
      throw abortError(method);
    }
    if (outcome.error !== undefined) {
      throw outcome.error;
    }
    return outcome;
  }

  /** Waits on the clock, but no longer than the deadline or an abort, as the real client does. */
  private wait(delayMs: number, options: PresenceCallOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const untilDeadline = options.deadlineMs - this.clock.monotonicMs();
      const timedOut = untilDeadline < delayMs;
      const handle = this.clock.setTimeout(
        () => {
          options.signal?.removeEventListener('abort', onAbort);
          if (timedOut) {
            reject(new FakeGraphError('timeout', 'Graph request timed out at the deadline (fake)'));
          } else {
            resolve();
          }
        },
        Math.min(delayMs, Math.max(0, untilDeadline)),
      );
      const onAbort = (): void => {
        this.clock.clearTimeout(handle);
        reject(abortError('call'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private requestId(): string {
    const id = `request-${this.nextRequest}`;
    this.nextRequest += 1;
    return id;
  }
}

function abortError(method: string): FakeGraphError {
  const error = new FakeGraphError('aborted', `${method} was aborted (fake)`);
  error.name = 'AbortError';
  return error;
}
