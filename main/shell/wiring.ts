/**
 * Connects the shell's power, session and quit events to the core (`handlePowerEvent`,
 * `prepareQuit`). Core decides which events clear and with what budget
 * (`main/core/lifecycle/power-policy.ts`). This file only routes, so the composition root stays
 * free of logic and the scenario tests drive the same routes the app uses.
 */

import type { PowerEvent, PresenceAppApi } from '../core/app-api.ts';
import type { Logger } from '../core/ports.ts';
import type { ElectronPowerEvents } from './power-events.ts';
import type { ElectronQuitHooks } from './quit-hooks.ts';

/** Routes power events to the core; returns a function that unsubscribes them all. */
export function wirePowerEvents(power: ElectronPowerEvents, app: PresenceAppApi, quit: ElectronQuitHooks, logger: Logger): () => void {
  const log = logger.child('wiring');

  const handle = (event: PowerEvent): Promise<void> =>
    app.handlePowerEvent(event).catch((error: unknown) => {
      // handlePowerEvent reports failures in the app state; this only keeps them in the log.
      log.error('Handling a power event failed', { event, error: String(error) });
    });

  const unsubscribers = [
    // The Linux delay lock is held until the clear settles (bounded by the suspend budget).
    power.onSuspend(() => void power.holdSuspend('clear presence before sleep', () => handle('suspend'))),
    power.onResume(() => void handle('resume')),
    power.onLockScreen(() => void handle('lock')),
    power.onUnlockScreen(() => void handle('unlock')),
    // macOS fast user switching: the user left the session as if the screen locked.
    power.onUserDidResignActive(() => void handle('lock')),
    power.onUserDidBecomeActive(() => void handle('unlock')),
    power.onShutdown(() => {
      void handle('shutdown');
      // After a prevented shutdown event the app must quit by itself; the quit joins the clear.
      quit.requestQuit('shutdown');
    }),
    power.onSessionEnd(() => {
      void handle('session-end');
      // Starting to quit here keeps Electron from ending the process right after this event.
      quit.requestQuit('session-end');
    }),
  ];

  quit.onBeforeQuit(() => app.prepareQuit());

  return () => {
    for (const unsubscribe of unsubscribers) {
      unsubscribe();
    }
  };
}
