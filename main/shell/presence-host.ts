/**
 * A `PresenceAppApi` that forwards to the current `PresenceApp` and can replace it. The app's
 * client ID and authority are fixed when it is built, so when the user connects another app
 * registration in the settings window, the shell builds a new one. The tray, the shortcut, the
 * power wiring and the IPC handlers hold this host, so none of them is rewired.
 */

import type { PowerEvent, PresenceAppApi, SetPresenceRequest } from '../core/app-api.ts';
import type { AppState, ClearRecord, ClearTrigger } from '../core/app-state.ts';
import type { PresenceApp } from '../core/app.ts';
import type { Logger } from '../core/ports.ts';

export class PresenceAppHost implements PresenceAppApi {
  private current: PresenceApp;
  private stopForwarding: () => void;
  private readonly listeners = new Set<(state: AppState) => void>();
  private readonly log: Logger;

  constructor(first: PresenceApp, logger: Logger) {
    this.log = logger.child('host');
    this.current = first;
    this.stopForwarding = this.forward(first);
  }

  /** Returns the app that calls go to now. */
  app(): PresenceApp {
    return this.current;
  }

  /**
   * Ends the current app's session (within its quit budget), disposes it, and makes `next` the
   * app every call goes to. Listeners get `next`'s state at once.
   */
  async replace(next: PresenceApp): Promise<void> {
    const previous = this.current;
    this.log.info('Replacing the presence app; clearing the old session first');
    await previous.prepareQuit();
    this.stopForwarding();
    await previous.dispose();

    this.current = next;
    this.stopForwarding = this.forward(next);
    this.emit(next.state());
  }

  state(): AppState {
    return this.current.state();
  }

  onStateChange(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  signIn(method: 'browser' | 'device-code'): Promise<void> {
    return this.current.signIn(method);
  }

  cancelSignIn(): void {
    this.current.cancelSignIn();
  }

  signOut(): Promise<void> {
    return this.current.signOut();
  }

  setPresence(request: SetPresenceRequest): Promise<void> {
    return this.current.setPresence(request);
  }

  clearPresence(trigger: ClearTrigger, budgetMs?: number): Promise<ClearRecord> {
    return this.current.clearPresence(trigger, budgetMs);
  }

  pause(): Promise<void> {
    return this.current.pause();
  }

  handlePowerEvent(event: PowerEvent): Promise<void> {
    return this.current.handlePowerEvent(event);
  }

  prepareQuit(): Promise<void> {
    return this.current.prepareQuit();
  }

  private forward(app: PresenceApp): () => void {
    return app.onStateChange((state) => this.emit(state));
  }

  private emit(state: AppState): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        this.log.error('A state listener failed', { error: String(error) });
      }
    }
  }
}
