/** A fake Electron `Notification` class that records what was shown and can fail on request. */

import { EventEmitter } from 'node:events';

import type { NotificationConstructorOptions } from 'electron';

import type { NotificationClass } from '../../../main/shell/notifier.ts';
import { createFakeEvent } from './event.ts';

export interface FakeNotificationControl {
  supported: boolean;
  /** Every notification constructed, in order. */
  created: FakeNotification[];
  /** When set, `show` emits `failed` with this message, as an unsigned macOS build does. */
  failWith: string | null;
}

export class FakeNotification extends EventEmitter {
  shown = false;
  closed = false;

  constructor(
    readonly options: NotificationConstructorOptions,
    private readonly control: FakeNotificationControl,
  ) {
    super();
    control.created.push(this);
  }

  show(): void {
    if (this.control.failWith !== null) {
      this.emit('failed', createFakeEvent(), this.control.failWith);
      return;
    }
    this.shown = true;
    this.emit('show', createFakeEvent());
  }

  close(): void {
    this.closed = true;
    this.emit('close', createFakeEvent());
  }
}

/** Returns a `Notification` class bound to `control`, typed as the adapter receives it. */
export function createFakeNotificationClass(control: FakeNotificationControl): NotificationClass {
  return class extends FakeNotification {
    static isSupported(): boolean {
      return control.supported;
    }

    constructor(options: NotificationConstructorOptions) {
      super(options, control);
    }
  };
}
