/** The real clock under Node and Electron's main process. */

import type { Clock, TimerHandle } from '../ports.ts';

interface NodeTimerHandle extends TimerHandle {
  timer: NodeJS.Timeout;
}

let nextTimerId = 1;

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    // A pending keep-alive must not keep a finished command-line process alive.
    timer.unref();
    const handle: NodeTimerHandle = { id: nextTimerId++, timer };
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout((handle as NodeTimerHandle).timer);
  },
};
