/**
 * The requests the tray, the shortcut, the settings window and the command line make of the core.
 * One object implements it (`PresenceApp` in `main/core/app.ts`); the shell only translates
 * Electron events into these calls.
 */

import type { AppState, ClearRecord, ClearTrigger } from './app-state.ts';
import type { QuitReason } from './ports.ts';
import type { SessionAvailability } from './presence/pairs.ts';

export interface SetPresenceRequest {
  availability: SessionAvailability;
  /** Defaults to the pair table's activity for the availability (Busy → InACall). */
  activity?: string;
  /** How long the user wants it, in ms; null keeps it until cleared. */
  durationMs: number | null;
}

export type PowerEvent = 'suspend' | 'resume' | 'lock' | 'unlock' | 'shutdown' | 'session-end' | 'network-up';

export interface PresenceAppApi {
  state(): AppState;
  /** Calls `listener` after every state change; returns a function that unsubscribes. */
  onStateChange(listener: (state: AppState) => void): () => void;

  signIn(method: 'browser' | 'device-code'): Promise<void>;
  cancelSignIn(): void;
  signOut(): Promise<void>;

  setPresence(request: SetPresenceRequest): Promise<void>;
  /** Ends the session; `budgetMs` bounds the wait (Infinity for user actions). */
  clearPresence(trigger: ClearTrigger, budgetMs?: number): Promise<ClearRecord>;
  /** Clears and stops the keep-alive; the next launch does not re-assert the intent. */
  pause(): Promise<void>;

  /** Reacts to an OS event with the action and budget from the settings. */
  handlePowerEvent(event: PowerEvent): Promise<void>;
  /** Runs the quit participants within the quit budget; never throws. */
  prepareQuit(reason?: QuitReason): Promise<void>;
}
