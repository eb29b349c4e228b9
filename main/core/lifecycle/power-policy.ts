/**
 * Which presence action an OS or app event triggers, and its time budget. The budgets come
 * from the settings, and their defaults follow the OS limits. Windows gives an application
 * about 2 s after PBT_APMSUSPEND and macOS does not wait for sleep at all, so a suspend clear
 * gets 1.5 s. A shutdown gets 2 s, and quit 3 s, after which the app exits whatever happened.
 */

import type { PowerEvent } from '../app-api.ts';
import { REPLAY_BUDGET_MS } from '../presence/session.ts';
import type { Settings } from '../settings/settings.ts';

/** Every event the policy decides on: the OS power events, app quit and a wall-clock jump. */
export type LifecycleEvent = PowerEvent | 'quit' | 'clock-jump';

/**
 * - `clear`: end the session within `budgetMs`; a failure leaves a pending clear in the journal.
 * - `replay`: replay the pending clear, re-read presence, re-assert the intent if still wanted.
 * - `none`: do nothing (the setting for this event is off).
 */
export type PowerAction = 'clear' | 'replay' | 'none';

export interface PowerDecision {
  action: PowerAction;
  /** Monotonic budget in ms; for `replay` it bounds the replayed clear's retries. */
  budgetMs: number;
}

export type PowerSettings = Pick<Settings, 'clearOn' | 'budgetsMs'>;

/** Decides what `event` does under `settings`. */
export function decide(event: LifecycleEvent, settings: PowerSettings): PowerDecision {
  const { clearOn, budgetsMs } = settings;
  switch (event) {
    case 'quit':
      return clearIf(clearOn.quit, budgetsMs.quit);
    case 'suspend':
      return clearIf(clearOn.suspend, budgetsMs.suspend);
    case 'lock':
      return clearIf(clearOn.lockScreen, budgetsMs.lockScreen);
    // Windows' session-end is its shutdown and logoff signal, so it follows the shutdown setting.
    case 'shutdown':
    case 'session-end':
      return clearIf(clearOn.shutdown, budgetsMs.shutdown);
    case 'resume':
    case 'unlock':
    case 'network-up':
    case 'clock-jump':
      return { action: 'replay', budgetMs: REPLAY_BUDGET_MS };
    default:
      return assertNever(event);
  }
}

function clearIf(enabled: boolean, budgetMs: number): PowerDecision {
  return enabled ? { action: 'clear', budgetMs } : { action: 'none', budgetMs: 0 };
}

function assertNever(event: never): never {
  throw new Error(`Unknown lifecycle event ${JSON.stringify(event)}.`);
}
