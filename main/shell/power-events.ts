/**
 * `PowerEvents` over Electron's `powerMonitor`, plus the Windows session-end messages, which
 * only a window receives, and the Linux sleep delay lock for `holdSuspend`.
 *
 * Where each event exists, per Electron 45 `docs/api/power-monitor.md`:
 * - suspend and resume: every OS.
 * - lock-screen and unlock-screen: macOS and Windows.
 * - user-did-resign-active and user-did-become-active: macOS.
 * - shutdown: Linux and macOS. Windows shutdown and logoff arrive as `query-session-end` and
 *   `session-end` on a window instead.
 */

import type { WindowSessionEndEvent } from 'electron';

import type { Logger, PowerEvents } from '../core/ports.ts';
import type { SleepInhibitor } from './sleep-inhibitor.ts';

type PlainListener = () => void;

/**
 * The parts of `powerMonitor` this adapter uses. Electron passes `shutdown` listeners an event
 * whose `preventDefault` requests a delayed shutdown, although electron.d.ts types the listener
 * without arguments.
 */
export interface PowerMonitorApi {
  on(event: 'suspend', listener: PlainListener): unknown;
  on(event: 'resume', listener: PlainListener): unknown;
  on(event: 'lock-screen', listener: PlainListener): unknown;
  on(event: 'unlock-screen', listener: PlainListener): unknown;
  on(event: 'user-did-resign-active', listener: PlainListener): unknown;
  on(event: 'user-did-become-active', listener: PlainListener): unknown;
  on(event: 'shutdown', listener: PlainListener): unknown;
  removeListener(event: 'suspend', listener: PlainListener): unknown;
  removeListener(event: 'resume', listener: PlainListener): unknown;
  removeListener(event: 'lock-screen', listener: PlainListener): unknown;
  removeListener(event: 'unlock-screen', listener: PlainListener): unknown;
  removeListener(event: 'user-did-resign-active', listener: PlainListener): unknown;
  removeListener(event: 'user-did-become-active', listener: PlainListener): unknown;
  removeListener(event: 'shutdown', listener: PlainListener): unknown;
}

/** A (hidden) `BrowserWindow` that receives the Windows session-end messages. */
export interface SessionEndWindowApi {
  on(event: 'query-session-end', listener: (event: WindowSessionEndEvent) => void): unknown;
  on(event: 'session-end', listener: (event: WindowSessionEndEvent) => void): unknown;
}

export interface ElectronPowerEvents extends PowerEvents {
  /**
   * Windows only: the session is ending now (`WM_ENDSESSION`). Electron ends the process right
   * after these listeners unless one of them starts quitting, so the listener should call
   * `app.quit()` to give the clear the quit budget.
   */
  onSessionEnd(listener: (reasons: readonly string[]) => void): () => void;
}

export interface PowerEventsOptions {
  powerMonitor: PowerMonitorApi;
  platform: NodeJS.Platform;
  logger: Logger;
  /** Windows: the hidden window for session-end messages. */
  sessionWindow?: SessionEndWindowApi;
  /** Linux: the sleep delay lock; without it `holdSuspend` only runs the work. */
  sleepInhibitor?: SleepInhibitor;
  /**
   * Upper bound on how long the delay lock stays held after `suspend`, below logind's default
   * `InhibitDelayMaxSec` of 5 s, so a stuck clear never delays sleep by the full limit.
   */
  maxSuspendHoldMs?: number;
}

type MonitorEvent = 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' | 'user-did-resign-active' | 'user-did-become-active' | 'shutdown';

/** Creates the adapter. Call it after `app` is ready: Electron starts the native monitor lazily. */
export function createPowerEvents(options: PowerEventsOptions): ElectronPowerEvents {
  const { powerMonitor, platform } = options;
  const log = options.logger.child('power');
  const maxSuspendHoldMs = options.maxSuspendHoldMs ?? 4000;
  const inhibitor = platform === 'linux' ? options.sleepInhibitor : undefined;

  const listeners = new Map<MonitorEvent, Set<PlainListener>>();
  const sessionEndListeners = new Set<(reasons: readonly string[]) => void>();
  let suspending = false;
  let activeHolds = 0;
  let holdTimer: NodeJS.Timeout | null = null;

  const callEach = <Args extends unknown[]>(name: string, set: Iterable<(...args: Args) => void>, ...args: Args): void => {
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        log.error('A power event listener threw', { event: name, error: String(error) });
      }
    }
  };

  const dispatch = (event: MonitorEvent): void => {
    const set = listeners.get(event);
    log.info('Power event', { event, listeners: set?.size ?? 0 });
    callEach(event, set ?? []);
  };

  const releaseAfterSuspend = (): void => {
    if (holdTimer !== null) {
      clearTimeout(holdTimer);
      holdTimer = null;
    }
    inhibitor?.release();
  };

  // One native listener per event is installed now. Electron takes its logind shutdown delay
  // lock only while a `shutdown` listener exists, so it must exist before the core subscribes.
  const native: Record<MonitorEvent, (event?: { preventDefault?: () => void }) => void> = {
    suspend: () => {
      suspending = true;
      dispatch('suspend');
      if (inhibitor === undefined) {
        return;
      }
      if (activeHolds === 0) {
        releaseAfterSuspend();
        return;
      }
      holdTimer = setTimeout(() => {
        log.warn('Suspend work is still running; released the sleep delay lock anyway', { maxSuspendHoldMs });
        releaseAfterSuspend();
      }, maxSuspendHoldMs);
    },
    resume: () => {
      suspending = false;
      if (holdTimer !== null) {
        clearTimeout(holdTimer);
        holdTimer = null;
      }
      inhibitor?.acquire();
      dispatch('resume');
    },
    'lock-screen': () => dispatch('lock-screen'),
    'unlock-screen': () => dispatch('unlock-screen'),
    'user-did-resign-active': () => dispatch('user-did-resign-active'),
    'user-did-become-active': () => dispatch('user-did-become-active'),
    shutdown: (event) => {
      // Requests a delayed shutdown so the clear can go out: Linux keeps the logind delay lock
      // and macOS ignores the next terminate. The app must then quit by itself.
      event?.preventDefault?.();
      dispatch('shutdown');
    },
  };
  for (const name of Object.keys(native) as MonitorEvent[]) {
    powerMonitor.on(name as 'suspend', native[name]);
  }

  if (platform === 'win32' && options.sessionWindow !== undefined) {
    // NOTE: query-session-end is not prevented. Windows would show the app as blocking shutdown,
    // and a process without a visible window cannot cancel it anyway.
    options.sessionWindow.on('query-session-end', (event) => {
      log.info('Windows session is ending', { reasons: event.reasons.join(',') });
      dispatch('shutdown');
    });
    options.sessionWindow.on('session-end', (event) => {
      log.info('Windows session ended', { reasons: event.reasons.join(','), listeners: sessionEndListeners.size });
      callEach('session-end', sessionEndListeners, event.reasons);
    });
  }

  inhibitor?.acquire();

  const subscribe = (event: MonitorEvent) => (listener: PlainListener) => {
    let set = listeners.get(event);
    if (set === undefined) {
      set = new Set();
      listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  return {
    onSuspend: subscribe('suspend'),
    onResume: subscribe('resume'),
    onLockScreen: subscribe('lock-screen'),
    onUnlockScreen: subscribe('unlock-screen'),
    onUserDidResignActive: subscribe('user-did-resign-active'),
    onUserDidBecomeActive: subscribe('user-did-become-active'),
    onShutdown: subscribe('shutdown'),

    onSessionEnd(listener) {
      sessionEndListeners.add(listener);
      return () => {
        sessionEndListeners.delete(listener);
      };
    },

    async holdSuspend(reason, work) {
      if (inhibitor === undefined) {
        await work();
        return;
      }

      activeHolds += 1;
      const startedAt = performance.now();
      try {
        await work();
      } finally {
        activeHolds -= 1;
        log.info('Suspend work finished', { reason, elapsedMs: Math.round(performance.now() - startedAt), stillRunning: activeHolds });
        if (activeHolds === 0 && suspending) {
          releaseAfterSuspend();
        }
      }
    },
  };
}
