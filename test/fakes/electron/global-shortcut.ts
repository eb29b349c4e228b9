/** A fake `globalShortcut`: accelerators listed in `ownedElsewhere` fail to register. */

import type { GlobalShortcutApi } from '../../../main/shell/shortcut-registry.ts';

export class FakeGlobalShortcut implements GlobalShortcutApi {
  readonly registered = new Map<string, () => void>();
  readonly ownedElsewhere = new Set<string>();

  register(accelerator: string, callback: () => void): boolean {
    if (accelerator.trim() === '') {
      throw new TypeError('Failed to parse accelerator');
    }
    if (this.ownedElsewhere.has(accelerator)) {
      return false;
    }
    this.registered.set(accelerator, callback);
    return true;
  }

  unregister(accelerator: string): void {
    this.registered.delete(accelerator);
  }

  unregisterAll(): void {
    this.registered.clear();
  }

  /** Plays the user pressing the keys; returns false when nothing is registered for them. */
  press(accelerator: string): boolean {
    const callback = this.registered.get(accelerator);
    if (callback === undefined) {
      return false;
    }
    callback();
    return true;
  }
}
