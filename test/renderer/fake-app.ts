/**
 * A `PresenceAppApi` for window tests: it records each call and changes its state the way the
 * real app would report it, so the window can be driven without Graph or MSAL.
 */

import type { PresenceAppApi, PowerEvent, SetPresenceRequest } from '../../main/core/app-api.ts';
import type { AppState, ClearRecord, ClearTrigger } from '../../main/core/app-state.ts';
import { DEFAULT_ACTIVITY } from '../../main/core/presence/pairs.ts';

export type FakeAppCall =
  | { name: 'signIn'; method: 'browser' | 'device-code' }
  | { name: 'cancelSignIn' }
  | { name: 'signOut' }
  | { name: 'setPresence'; request: SetPresenceRequest }
  | { name: 'clearPresence'; trigger: ClearTrigger }
  | { name: 'pause' };

export const SIGNED_OUT_STATE: AppState = {
  account: { kind: 'signed-out', reason: 'never' },
  session: { kind: 'none' },
  shown: null,
  lastClear: null,
  problem: null,
  sandbox: false,
};

export class FakePresenceApp implements PresenceAppApi {
  readonly calls: FakeAppCall[] = [];
  private current: AppState;
  private readonly listeners = new Set<(state: AppState) => void>();
  /** Wall-clock source for the times the fake writes into its state. */
  nowMs: () => number = Date.now;

  constructor(initial: AppState = SIGNED_OUT_STATE) {
    this.current = structuredClone(initial);
  }

  state(): AppState {
    return structuredClone(this.current);
  }

  /** Replaces the state and notifies listeners, as the app does after any change. */
  setState(next: AppState): void {
    this.current = structuredClone(next);
    for (const listener of this.listeners) {
      listener(this.state());
    }
  }

  onStateChange(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async signIn(method: 'browser' | 'device-code'): Promise<void> {
    this.calls.push({ name: 'signIn', method });
    this.setState({
      ...this.current,
      account:
        method === 'device-code'
          ? { kind: 'signing-in', method, userCode: 'K7QX-2PLM', verificationUri: 'https://microsoft.com/devicelogin' }
          : { kind: 'signing-in', method },
    });
  }

  cancelSignIn(): void {
    this.calls.push({ name: 'cancelSignIn' });
    this.setState({ ...this.current, account: { kind: 'signed-out', reason: 'signed-out' } });
  }

  async signOut(): Promise<void> {
    this.calls.push({ name: 'signOut' });
    this.setState({ ...this.current, account: { kind: 'signed-out', reason: 'signed-out' }, session: { kind: 'none' } });
  }

  async setPresence(request: SetPresenceRequest): Promise<void> {
    this.calls.push({ name: 'setPresence', request });
    const now = this.nowMs();
    this.setState({
      ...this.current,
      session: {
        kind: 'active',
        pair: { availability: request.availability, activity: request.activity ?? DEFAULT_ACTIVITY[request.availability] },
        intentUntil: request.durationMs === null ? null : now + request.durationMs,
        expiresAt: now + 10 * 60_000,
        nextRefreshAt: now + 4 * 60_000,
        readback: { kind: 'pending', since: now, attempts: 1 },
      },
    });
  }

  async clearPresence(trigger: ClearTrigger): Promise<ClearRecord> {
    this.calls.push({ name: 'clearPresence', trigger });
    const record: ClearRecord = { at: this.nowMs(), trigger, result: 'cleared', requestId: 'a1b2c3d4-0000-4000-8000-000000000001' };
    this.setState({ ...this.current, session: { kind: 'none' }, lastClear: record });
    return record;
  }

  async pause(): Promise<void> {
    this.calls.push({ name: 'pause' });
    this.setState({ ...this.current, session: { kind: 'paused' } });
  }

  async handlePowerEvent(_event: PowerEvent): Promise<void> {}

  async prepareQuit(): Promise<void> {}
}
