/**
 * `ShortcutRegistry` over Electron's `globalShortcut`. Whether shortcuts can fire on this desktop
 * is decided in core (`shortcutAvailability`) and passed in, because on Wayland `register` can
 * return true while the key never fires.
 */

import type { GlobalShortcut } from 'electron';

import type { Logger, ShortcutRegistry } from '../core/ports.ts';

export type GlobalShortcutApi = Pick<GlobalShortcut, 'register' | 'unregister' | 'unregisterAll'>;

export interface ElectronShortcutRegistry extends ShortcutRegistry {
  /** Drops every registration; `app` calls it on `will-quit`, as Electron's docs advise. */
  unregisterAll(): void;
}

/** Creates the registry. Call it after `app` is ready: `globalShortcut` throws before. */
export function createShortcutRegistry(globalShortcut: GlobalShortcutApi, supported: boolean, logger: Logger): ElectronShortcutRegistry {
  const log = logger.child('shortcut');

  return {
    register(accelerator, callback) {
      let registered: boolean;
      try {
        registered = globalShortcut.register(accelerator, () => {
          log.info('Global shortcut pressed', { accelerator });
          callback();
        });
      } catch (error) {
        // Electron throws on an accelerator it cannot parse; core validates first, so this is a bug.
        log.error('Registering the global shortcut failed', { accelerator, error: String(error) });
        return false;
      }

      if (registered) {
        log.info('Registered the global shortcut', { accelerator, supported });
      } else {
        log.warn('Another application owns the global shortcut', { accelerator });
      }
      return registered;
    },

    unregister(accelerator) {
      globalShortcut.unregister(accelerator);
      log.info('Unregistered the global shortcut', { accelerator });
    },

    isSupported: () => supported,

    unregisterAll() {
      globalShortcut.unregisterAll();
    },
  };
}
