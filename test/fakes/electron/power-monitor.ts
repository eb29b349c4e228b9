/** A fake `powerMonitor` and a fake session-end window, driven by the test. */

import { EventEmitter } from 'node:events';

import type { PowerMonitorApi, SessionEndWindowApi } from '../../../main/shell/power-events.ts';
import { createFakeEvent, type FakeEvent } from './event.ts';

export type PowerMonitorEventName =
  | 'suspend'
  | 'resume'
  | 'lock-screen'
  | 'unlock-screen'
  | 'user-did-resign-active'
  | 'user-did-become-active';

export class FakePowerMonitor extends EventEmitter implements PowerMonitorApi {
  /** Emits an event that carries no arguments, as Electron does for these. */
  fire(event: PowerMonitorEventName): void {
    this.emit(event);
  }

  /** Emits `shutdown` with an event object and returns it, so a test can read `defaultPrevented`. */
  fireShutdown(): FakeEvent {
    const event = createFakeEvent();
    this.emit('shutdown', event);
    return event;
  }
}

export type SessionEndReason = 'shutdown' | 'close-app' | 'critical' | 'logoff';

/** The hidden window that receives `query-session-end` and `session-end` on Windows. */
export class FakeSessionEndWindow extends EventEmitter implements SessionEndWindowApi {
  fireQuerySessionEnd(reasons: SessionEndReason[] = ['shutdown']): FakeEvent {
    const event = createFakeEvent({ reasons });
    this.emit('query-session-end', event);
    return event;
  }

  fireSessionEnd(reasons: SessionEndReason[] = ['shutdown']): FakeEvent {
    const event = createFakeEvent({ reasons });
    this.emit('session-end', event);
    return event;
  }
}
