/**
 * Keeps the tray in step with the app: renders a model on every state change and once a minute
 * while a timed presence counts down, and sends menu actions and clicks to `PresenceAppApi` or
 * to the shell's hooks.
 */

import type { PresenceAppApi } from '../app-api.ts';
import type { AppState } from '../app-state.ts';
import type { BrowserOpener, Clock, Logger, TimerHandle } from '../ports.ts';
import { parseTrayAction, type TrayAction } from './tray-actions.ts';
import type { TrayPlatform } from './tray-icons.ts';
import { buildTrayModel, type TrayModel, type TraySettings } from './tray-model.ts';
import type { TrayView } from './tray-view.ts';

/** Shell callbacks the tray needs beyond `PresenceAppApi`. */
export interface TrayHooks {
  openSettings(): void;
  setStartAtLogin(enabled: boolean): Promise<void>;
  /** Starts the app's quit, which runs the quit participants (the clear) first. */
  quit(): void;
}

export interface TrayControllerOptions {
  view: TrayView;
  api: PresenceAppApi;
  hooks: TrayHooks;
  browser: BrowserOpener;
  clock: Clock;
  logger: Logger;
  platform: TrayPlatform;
  settings: () => TraySettings;
  shortcutAvailable: () => boolean;
}

export class TrayController {
  private readonly log: Logger;
  private unsubscribers: (() => void)[] = [];
  private tick: TimerHandle | null = null;
  private model: TrayModel | null = null;

  constructor(private readonly options: TrayControllerOptions) {
    this.log = options.logger.child('tray');
  }

  /** Subscribes to state changes, clicks and menu actions, and renders the current state. */
  start(): void {
    const { view, api } = this.options;
    this.unsubscribers.push(api.onStateChange((state) => this.render(state)));
    this.unsubscribers.push(view.onClick(() => this.handleClick()));
    this.unsubscribers.push(view.onMenuAction((id) => this.handleMenuAction(id)));
    this.log.info('tray started', { platform: this.options.platform });
    this.render(api.state());
  }

  /** Renders again, after a settings change or a new shortcut status. */
  refresh(): void {
    this.render(this.options.api.state());
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers) {
      unsubscribe();
    }
    this.unsubscribers = [];
    this.cancelTick();
    this.log.info('tray stopped');
  }

  /** Returns the last rendered model, for the settings window and tests. */
  current(): TrayModel | null {
    return this.model;
  }

  private render(state: AppState): void {
    const { clock, platform } = this.options;
    const nowWallMs = clock.wallMs();
    this.model = buildTrayModel(state, {
      settings: this.options.settings(),
      platform,
      nowWallMs,
      shortcutAvailable: this.options.shortcutAvailable(),
    });
    this.options.view.render(this.model);
    this.scheduleTick(state, nowWallMs);
  }

  /** Re-renders when the minutes shown in "N min left" change. */
  private scheduleTick(state: AppState, nowWallMs: number): void {
    this.cancelTick();
    const session = state.session;
    if (session.kind !== 'active' || session.intentUntil === null || session.intentUntil <= nowWallMs) {
      return;
    }

    // The label rounds minutes up, so it changes when the time left reaches a whole minute.
    const pastWholeMinute = (session.intentUntil - nowWallMs) % 60_000;
    const untilNextMinute = pastWholeMinute === 0 ? 60_000 : pastWholeMinute;
    this.tick = this.options.clock.setTimeout(() => {
      this.tick = null;
      this.refresh();
    }, untilNextMinute);
  }

  private cancelTick(): void {
    if (this.tick !== null) {
      this.options.clock.clearTimeout(this.tick);
      this.tick = null;
    }
  }

  private handleClick(): void {
    const model = this.model;
    if (model === null) {
      return;
    }

    switch (model.click.onClick) {
      case 'none':
        return;
      case 'pop-up-menu':
        this.options.view.popUpMenu();
        return;
      case 'clear':
        this.run({ kind: 'clear' }, 'click');
        return;
      case 'open-settings':
        this.run({ kind: 'open-settings' }, 'click');
        return;
      case 'toggle-pause': {
        // Pause needs an active session; otherwise the user has to pick a presence, so the
        // menu opens where the platform can open it.
        const session = this.options.api.state().session;
        if (session.kind === 'active') {
          this.run({ kind: 'pause' }, 'click');
        } else {
          this.options.view.popUpMenu();
        }
        return;
      }
    }
  }

  private handleMenuAction(id: string): void {
    const action = parseTrayAction(id);
    if (action === null) {
      this.log.warn('ignored menu item that is not an action', { id });
      return;
    }
    this.run(action, id);
  }

  /** Runs an action; failures are logged, because the app state already shows them to the user. */
  private run(action: TrayAction, source: string): void {
    this.log.info('tray action', { action: action.kind, source });
    this.perform(action).catch((error: unknown) => {
      this.log.error('tray action failed', { action: action.kind, source, error: String(error) });
    });
  }

  private async perform(action: TrayAction): Promise<void> {
    const { api, hooks } = this.options;
    switch (action.kind) {
      case 'set':
        return api.setPresence(action.request);
      case 'clear':
        await api.clearPresence('tray');
        return;
      case 'pause':
        return api.pause();
      case 'sign-in':
        return api.signIn(action.method);
      case 'cancel-sign-in':
        api.cancelSignIn();
        return;
      case 'sign-out':
        return api.signOut();
      case 'open-admin-consent':
        return this.openAdminConsent();
      case 'open-settings':
        hooks.openSettings();
        return;
      case 'toggle-start-at-login':
        return hooks.setStartAtLogin(!this.options.settings().startAtLogin);
      case 'quit':
        hooks.quit();
        return;
    }
  }

  private async openAdminConsent(): Promise<void> {
    const account = this.options.api.state().account;
    if (account.kind !== 'admin-consent-needed') {
      this.log.warn('admin consent page requested but no consent is needed', { account: account.kind });
      return;
    }

    // Only an https URL goes to the browser: the OS opens other schemes with other programs.
    const url = new URL(account.adminConsentUrl);
    if (url.protocol !== 'https:') {
      throw new Error(
        `Admin consent URL has protocol ${url.protocol}, expected https: for tenant ${account.tenantId}. ` +
          'Check the authority in Settings.',
      );
    }
    await this.options.browser.open(url.href);
  }
}
