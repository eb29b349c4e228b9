/**
 * `QuitHooks` over the app's quit sequence: `before-quit` → windows close → `will-quit` → exit.
 * The first `will-quit` is prevented (synchronously: Electron ignores a later preventDefault),
 * the handlers run, and the app quits again; the second `will-quit` passes. A watchdog calls
 * `app.exit` if the handlers or the second quit hang, so "Quit" always ends the process.
 *
 * Windows does not emit these events at shutdown or logoff; `power-events.ts` covers that path.
 */

import type { Event as ElectronEvent } from 'electron';

import type { Clock, Logger, QuitHooks, QuitReason, TimerHandle } from '../core/ports.ts';

/** The parts of `app` this adapter uses; `main/index.ts` passes the real `app`. */
export interface QuitAppApi {
  on(event: 'before-quit', listener: (event: ElectronEvent) => void): unknown;
  on(event: 'will-quit', listener: (event: ElectronEvent) => void): unknown;
  quit(): void;
  exit(exitCode?: number): void;
}

export interface ElectronQuitHooks extends QuitHooks {
  /** Starts quitting; `reason` reaches the handlers. A second call while quitting is logged only. */
  requestQuit(reason: QuitReason): void;
  /** True from `before-quit` on: windows must not veto their close (close-to-tray) any more. */
  isQuitting(): boolean;
}

export interface QuitHooksOptions {
  app: QuitAppApi;
  clock: Clock;
  logger: Logger;
  /**
   * How long the handlers may run before the process exits anyway. The handlers bound their own
   * work (quit budget 3 s by default); this is the last resort above that.
   */
  watchdogMs: number;
  /** How long the second `app.quit()` may take (windows closing) before `app.exit`. */
  finalQuitMs?: number;
}

type QuitStage = 'idle' | 'running-handlers' | 'done';

/** Installs the listeners on `app` and returns the hooks. */
export function createQuitHooks(options: QuitHooksOptions): ElectronQuitHooks {
  const { app, clock } = options;
  const log = options.logger.child('quit');
  const finalQuitMs = options.finalQuitMs ?? 2000;
  const handlers: Array<(reason: QuitReason) => Promise<void>> = [];

  let stage: QuitStage = 'idle';
  let quitting = false;
  let requestedReason: QuitReason | null = null;
  let watchdog: TimerHandle | null = null;

  const exitNow = (code: number, why: string): void => {
    stage = 'done';
    log.info('Exiting', { exitCode: code, why });
    app.exit(code);
  };

  const runHandlers = async (reason: QuitReason): Promise<void> => {
    const startedAt = clock.monotonicMs();
    const results = await Promise.allSettled(handlers.map((handler) => handler(reason)));
    for (const result of results) {
      if (result.status === 'rejected') {
        log.error('A quit handler failed', { reason, error: String(result.reason) });
      }
    }
    log.info('Quit handlers finished', { reason, elapsedMs: Math.round(clock.monotonicMs() - startedAt) });
  };

  app.on('before-quit', () => {
    quitting = true;
  });

  app.on('will-quit', (event) => {
    if (stage === 'done' || handlers.length === 0) {
      return;
    }
    event.preventDefault();
    if (stage === 'running-handlers') {
      log.info('Quit requested again while the quit handlers run; waiting for them');
      return;
    }

    stage = 'running-handlers';
    const reason = requestedReason ?? 'user-quit';
    log.info('Quit started', { reason, handlers: handlers.length, watchdogMs: options.watchdogMs });
    watchdog = clock.setTimeout(() => {
      log.error('Quit handlers did not finish in time; exiting without them', { reason, watchdogMs: options.watchdogMs });
      exitNow(0, 'watchdog');
    }, options.watchdogMs);

    void runHandlers(reason).then(() => {
      if (stage === 'done') {
        return;
      }
      if (watchdog !== null) {
        clock.clearTimeout(watchdog);
      }
      stage = 'done';

      // Quitting again inside the prevented handler may be ignored, so it waits for the next turn.
      clock.setTimeout(() => {
        log.info('Quitting after the quit handlers', { reason });
        app.quit();
        clock.setTimeout(() => exitNow(0, 'second quit did not end the process'), finalQuitMs);
      }, 0);
    });
  });

  return {
    onBeforeQuit(handler) {
      handlers.push(handler);
    },

    exit(code) {
      exitNow(code, 'requested');
    },

    requestQuit(reason) {
      if (requestedReason === null) {
        requestedReason = reason;
      }
      log.info('Quit requested', { reason, stage });
      app.quit();
    },

    isQuitting: () => quitting,
  };
}
