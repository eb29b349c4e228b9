/**
 * The global "clear presence" shortcut: validates the accelerator, registers it through the
 * `ShortcutRegistry` port and reports a status the settings window and the tray can show.
 * An invalid or clashing accelerator leaves a working binding in place, because the old
 * accelerator stays registered until the new one is.
 */

import type { Logger, ShortcutRegistry } from '../ports.ts';
import { parseAccelerator } from './accelerator.ts';
import { CLEAR_COMMAND, type ShortcutAvailability } from './availability.ts';

export type ShortcutState = 'registered' | 'clash' | 'invalid' | 'unsupported' | 'disabled';

export interface ShortcutStatus {
  state: ShortcutState;
  /** The accelerator of the last `apply`, as the user wrote it, or null when disabled. */
  requested: string | null;
  /** The accelerator registered now (normalized), or null. */
  active: string | null;
  /**
   * False while the desktop has not confirmed the binding, because on Wayland the portal reports
   * the result later and may prompt the user first. True where `register` is authoritative.
   */
  confirmed: boolean;
  /** A sentence for the user: what happened and what to do. */
  message: string;
  /** A command to bind in the desktop's own shortcut settings when ours may not fire. */
  fallbackCommand: string | null;
}

export interface ShortcutServiceOptions {
  registry: ShortcutRegistry;
  availability: ShortcutAvailability;
  logger: Logger;
  /** Called when the shortcut fires. */
  onPress: () => void;
}

export class ShortcutService {
  private readonly log: Logger;
  private active: string | null = null;
  /** Whether the desktop portal confirmed `active`; only used on Wayland. */
  private portalConfirmed = false;
  private current: ShortcutStatus = {
    state: 'disabled',
    requested: null,
    active: null,
    confirmed: false,
    message: 'The global shortcut is off.',
    fallbackCommand: null,
  };

  constructor(private readonly options: ShortcutServiceOptions) {
    this.log = options.logger.child('shortcut');
  }

  status(): ShortcutStatus {
    return this.current;
  }

  /** Registers `accelerator` in place of the current one, or removes the shortcut for null. */
  apply(accelerator: string | null): ShortcutStatus {
    if (accelerator === null) {
      this.unregisterActive();
      return this.report('disabled', null, 'The global shortcut is off.');
    }

    const parsed = parseAccelerator(accelerator);
    if (!parsed.ok) {
      this.log.warn('shortcut rejected', { accelerator, error: parsed.error, kept: this.active });
      return this.report('invalid', accelerator, this.keptSuffix(parsed.error));
    }
    const normalized = parsed.normalized;

    const { availability, registry } = this.options;
    if (availability.kind === 'unsupported' || !registry.isSupported()) {
      this.unregisterActive();
      const reason = availability.kind === 'unsupported' ? availability.reason : 'Global shortcuts cannot fire on this desktop.';
      this.log.warn('shortcut unsupported', { accelerator: normalized, reason });
      return this.report(
        'unsupported',
        accelerator,
        `${reason} Bind the command "${CLEAR_COMMAND}" to ${normalized} in your desktop's keyboard settings instead.`,
      );
    }

    if (normalized === this.active) {
      return this.report('registered', accelerator, this.registeredMessage(normalized));
    }

    let registered: boolean;
    try {
      registered = registry.register(normalized, () => this.press(normalized));
    } catch (error) {
      // Electron throws for accelerators it cannot convert; the old binding stays.
      this.log.error('shortcut registration threw', { accelerator: normalized, error: String(error) });
      return this.report('invalid', accelerator, this.keptSuffix(`Electron rejected shortcut ${normalized}: ${String(error)}`));
    }
    if (!registered) {
      this.log.warn('shortcut taken by another application', { accelerator: normalized, kept: this.active });
      return this.report(
        'clash',
        accelerator,
        this.keptSuffix(`${normalized} is already used by another application. Choose another shortcut.`),
      );
    }

    const previous = this.active;
    this.active = normalized;
    this.portalConfirmed = false;
    if (previous !== null) {
      this.options.registry.unregister(previous);
    }
    this.log.info('shortcut registered', { accelerator: normalized, previous, mode: availability.kind });
    return this.report('registered', accelerator, this.registeredMessage(normalized));
  }

  /**
   * Records the portal's result for a registration on Wayland (Electron's `globalShortcut`
   * `registration-resolved` event, where the Electron version has it).
   */
  handleRegistrationResolved(accelerator: string, bound: boolean): ShortcutStatus {
    const parsed = parseAccelerator(accelerator);
    if (!parsed.ok || parsed.normalized !== this.active) {
      this.log.debug('ignored portal result for a shortcut that is not active', { accelerator, bound });
      return this.current;
    }

    if (bound) {
      this.log.info('shortcut confirmed by the desktop portal', { accelerator: this.active });
      this.portalConfirmed = true;
      return this.report('registered', this.current.requested, this.registeredMessage(parsed.normalized));
    }

    const denied = this.active;
    this.log.warn('shortcut denied by the desktop portal', { accelerator: denied });
    this.unregisterActive();
    return this.report(
      'unsupported',
      this.current.requested,
      `The desktop did not allow ${denied}. Approve it in the desktop's settings, or bind the command "${CLEAR_COMMAND}" there instead.`,
    );
  }

  /** Unregisters the shortcut; call on quit. */
  dispose(): void {
    this.unregisterActive();
  }

  private press(accelerator: string): void {
    this.log.info('shortcut pressed', { accelerator });
    this.options.onPress();
  }

  private unregisterActive(): void {
    if (this.active !== null) {
      this.options.registry.unregister(this.active);
      this.log.info('shortcut unregistered', { accelerator: this.active });
      this.active = null;
      this.portalConfirmed = false;
    }
  }

  /** Returns true while `register` returning true does not yet prove that the key fires. */
  private awaitingPortal(): boolean {
    return this.options.availability.kind === 'portal' && !this.portalConfirmed;
  }

  private registeredMessage(normalized: string): string {
    if (this.awaitingPortal()) {
      return (
        `${normalized} was sent to the desktop's shortcut portal, which may ask you to approve it. ` +
        `If it never fires, bind the command "${CLEAR_COMMAND}" in your desktop's keyboard settings.`
      );
    }
    return `${normalized} clears your presence.`;
  }

  private keptSuffix(message: string): string {
    return this.active === null ? message : `${message} ${this.active} still works.`;
  }

  private report(state: ShortcutState, requested: string | null, message: string): ShortcutStatus {
    const unconfirmed = state === 'registered' && this.awaitingPortal();
    const needsFallback = state === 'unsupported' || unconfirmed;
    this.current = {
      state,
      requested,
      active: this.active,
      confirmed: state === 'registered' && !unconfirmed,
      message,
      fallbackCommand: needsFallback ? CLEAR_COMMAND : null,
    };
    return this.current;
  }
}
