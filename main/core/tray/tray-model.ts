/**
 * The tray as data: icon, tooltip, macOS title and menu for an `AppState`. Pure, so every state
 * is covered by table tests and rendered into `docs/tray.md`; the shell only translates the
 * model into Electron's `Tray` and `Menu.buildFromTemplate`.
 */

import type { AppState } from '../app-state.ts';
import type { Settings } from '../settings/settings.ts';
import { buildTrayMenu } from './tray-menu.ts';
import type { TrayActionId } from './tray-actions.ts';
import { decideClickAction, type TrayClickPlan } from './tray-click.ts';
import type { TrayIconKey, TrayPlatform } from './tray-icons.ts';
import { describeStatus } from './tray-status.ts';

export type TrayMenuItemType = 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';

/** One menu entry, shaped like Electron's `MenuItemConstructorOptions` but data only. */
export interface TrayMenuItem {
  /** An action id for `parseTrayAction`, or a plain id for status lines, submenus and separators. */
  id: TrayActionId | string;
  label: string;
  enabled: boolean;
  type: TrayMenuItemType;
  checked?: boolean;
  /** Shown as a hint only; the shell must pass `registerAccelerator: false` to Electron. */
  accelerator?: string;
  submenu?: TrayMenuItem[];
}

export interface TrayModel {
  iconKey: TrayIconKey;
  tooltip: string;
  /** Text beside the icon; macOS only, undefined elsewhere. */
  title?: string;
  menu: TrayMenuItem[];
  click: TrayClickPlan;
}

/** The settings the tray reads. */
export type TraySettings = Pick<Settings, 'shortcut' | 'tray' | 'startAtLogin'>;

export interface TrayContext {
  settings: TraySettings;
  platform: TrayPlatform;
  nowWallMs: number;
  /** Whether the global shortcut is registered and can fire on this desktop. */
  shortcutAvailable: boolean;
}

const AVAILABILITY_ICONS: ReadonlyMap<string, TrayIconKey> = new Map<string, TrayIconKey>([
  ['available', 'available'],
  ['availableidle', 'available'],
  ['busy', 'busy'],
  ['busyidle', 'busy'],
  ['donotdisturb', 'dnd'],
  ['away', 'away'],
  ['berightback', 'away'],
]);

function availabilityIcon(availability: string): TrayIconKey {
  return AVAILABILITY_ICONS.get(availability.toLowerCase()) ?? 'no-session';
}

/** Chooses the icon: a pending clear first, then the account, then problems and the session. */
export function chooseTrayIcon(state: AppState): TrayIconKey {
  const { account, session } = state;

  if (session.kind === 'clear-pending') {
    return 'clear-pending';
  }

  switch (account.kind) {
    case 'signed-out':
      return 'signed-out';
    case 'signing-in':
      return 'pending';
    case 'admin-consent-needed':
    case 'personal-account-unsupported':
      return 'error';
    case 'signed-in':
      break;
  }

  if (state.problem?.kind === 'error') {
    return 'error';
  }
  // Offline or throttled: the app waits to retry. An active session stays in effect at
  // Microsoft until it expires, so its presence stays on the icon and the tooltip names the problem.
  if (state.problem !== null && session.kind !== 'active') {
    return 'pending';
  }

  switch (session.kind) {
    case 'none':
      return state.sandbox ? 'sandbox' : 'no-session';
    case 'paused':
      return 'paused';
    case 'active':
      // A preferred presence set in Teams wins over the session, so show what Teams shows.
      if (session.readback.kind === 'overridden') {
        return availabilityIcon(session.readback.shown.availability);
      }
      return availabilityIcon(session.pair.availability);
  }
}

/** Builds the tray model for a state. */
export function buildTrayModel(state: AppState, context: TrayContext): TrayModel {
  const status = describeStatus(state, context.nowWallMs);
  const model: TrayModel = {
    iconKey: chooseTrayIcon(state),
    tooltip: status.tooltip,
    menu: buildTrayMenu(state, status, context),
    click: decideClickAction(context.settings.tray.clickAction, context.platform),
  };

  if (context.platform === 'darwin' && status.title !== undefined) {
    model.title = status.title;
  }
  return model;
}
