/**
 * `Notifier` over Electron's main-process `Notification`. A notification that cannot be shown
 * (unsigned macOS build, no notification daemon, no Start-menu shortcut on Windows) is logged,
 * and `notify` does not throw.
 */

import type { Event as ElectronEvent, Notification, NotificationConstructorOptions } from 'electron';

import type { Logger, Notifier } from '../core/ports.ts';

/**
 * The parts of an Electron `Notification` this adapter calls. Listener methods are declared
 * here rather than picked, because Electron's return `this` and a fake cannot be a whole
 * `Notification`. `main/index.ts` passes the real class, so tsc checks it against this shape.
 */
export interface NotificationInstance extends Pick<Notification, 'show' | 'close'> {
  on(event: 'close', listener: (event: ElectronEvent) => void): unknown;
  on(event: 'failed', listener: (event: ElectronEvent, error: string) => void): unknown;
}

/** The `Notification` class as this adapter uses it: constructor plus `isSupported`. */
export type NotificationClass = Pick<typeof Notification, 'isSupported'> &
  (new (options: NotificationConstructorOptions) => NotificationInstance);

/** Creates the notifier; a second notification with the same id replaces the first. */
export function createElectronNotifier(NotificationCtor: NotificationClass, logger: Logger): Notifier {
  const log = logger.child('notifier');
  // Shown notifications are kept here until closed, because a notification object that is
  // collected loses its click and close events.
  const shown = new Map<string, NotificationInstance>();
  let unsupportedLogged = false;

  return {
    notify({ id, title, body }) {
      if (!NotificationCtor.isSupported()) {
        if (!unsupportedLogged) {
          unsupportedLogged = true;
          log.warn('Desktop notifications are not supported here; notifications go to the log only');
        }
        log.info('Notification not shown', { id, title });
        return;
      }

      try {
        shown.get(id)?.close();

        const notification = new NotificationCtor({ title, body, silent: false });
        shown.set(id, notification);
        notification.on('close', () => {
          if (shown.get(id) === notification) {
            shown.delete(id);
          }
        });
        notification.on('failed', (_event, error) => {
          shown.delete(id);
          log.warn('Notification failed', { id, error });
        });

        notification.show();
        log.info('Notification shown', { id, title });
      } catch (error) {
        shown.delete(id);
        log.warn('Notification failed', { id, error: String(error) });
      }
    },
  };
}
