/**
 * The tray menu for a state. Every action is in this menu, because on Linux a click on the icon
 * may do nothing at all; the first, disabled line states the current presence.
 */

import type { AccountState, AppState } from '../app-state.ts';
import { SESSION_PAIRS, type PresencePair } from '../presence/pairs.ts';
import { parseAccelerator } from '../shortcut/accelerator.ts';
import { samePair, sessionPairLabel } from './presence-labels.ts';
import { SET_DURATIONS, setActionId } from './tray-actions.ts';
import type { TrayContext, TrayMenuItem } from './tray-model.ts';
import type { TrayStatus } from './tray-status.ts';

function line(id: string, label: string): TrayMenuItem {
  return { id, label, enabled: false, type: 'normal' };
}

function action(id: string, label: string, enabled: boolean): TrayMenuItem {
  return { id, label, enabled, type: 'normal' };
}

function separator(id: string): TrayMenuItem {
  return { id, label: '', enabled: true, type: 'separator' };
}

function submenu(id: string, label: string, enabled: boolean, items: TrayMenuItem[]): TrayMenuItem {
  return { id, label, enabled, type: 'submenu', submenu: items };
}

function setPresenceMenu(current: PresencePair | null, enabled: boolean): TrayMenuItem {
  const pairs = SESSION_PAIRS.map((pair) => {
    const isCurrent = current !== null && samePair(current, pair);
    const label = isCurrent ? `${sessionPairLabel(pair)} — current` : sessionPairLabel(pair);
    const durations = SET_DURATIONS.map((duration) => action(setActionId(pair, duration.code), duration.label, enabled));
    return submenu(`set:${pair.availability}/${pair.activity}`, label, enabled, durations);
  });
  return submenu('set-presence', 'Set presence', enabled, pairs);
}

function accountLine(account: AccountState): string {
  switch (account.kind) {
    case 'signed-in':
      return `Signed in as ${account.displayName} (${account.username})`;
    case 'signing-in':
      return 'Signing in…';
    case 'admin-consent-needed':
      return `Tenant ${account.tenantId} needs admin consent`;
    case 'personal-account-unsupported':
      return `${account.username} is a personal account`;
    case 'signed-out':
      return 'Not signed in';
  }
}

function accountMenu(account: AccountState): TrayMenuItem {
  const username = account.kind === 'signed-in' || account.kind === 'personal-account-unsupported' ? account.username : null;
  const canSignIn = account.kind !== 'signed-in' && account.kind !== 'signing-in';

  const items: TrayMenuItem[] = [line('account-status', accountLine(account)), separator('account-separator')];
  if (account.kind === 'signing-in') {
    // MSAL's interactive sign-in cannot notice a closed browser tab, so the user needs a way out.
    items.push(action('cancel-sign-in', 'Cancel sign-in', true));
  }
  items.push(action('sign-in', 'Sign in with browser…', canSignIn));
  items.push(action('sign-in-device-code', 'Sign in with a code…', canSignIn));
  if (account.kind === 'admin-consent-needed') {
    items.push(action('open-admin-consent', 'Open admin consent page…', true));
  }
  items.push(action('sign-out', username === null ? 'Sign out' : `Sign out ${username}`, username !== null));

  return submenu('account', username === null ? 'Account' : `Account (${username})`, true, items);
}

/** Returns the clear item's accelerator label, or undefined when the shortcut cannot fire. */
function clearAccelerator(context: TrayContext): string | undefined {
  const shortcut = context.settings.shortcut;
  if (!shortcut.enabled || !context.shortcutAvailable) {
    return undefined;
  }
  const parsed = parseAccelerator(shortcut.accelerator);
  return parsed.ok ? parsed.normalized : undefined;
}

/** Builds the whole menu. */
export function buildTrayMenu(state: AppState, status: TrayStatus, context: TrayContext): TrayMenuItem[] {
  const { account, session } = state;
  const signedIn = account.kind === 'signed-in';
  const menu: TrayMenuItem[] = [line('status', status.headline)];
  status.details.forEach((detail, index) => menu.push(line(`status-detail-${index + 1}`, detail)));
  menu.push(separator('separator-presence'));

  menu.push(setPresenceMenu(session.kind === 'active' ? session.pair : null, signedIn));

  const clear = action('clear', session.kind === 'clear-pending' ? 'Clear presence now' : 'Clear presence', signedIn);
  const accelerator = clearAccelerator(context);
  if (accelerator !== undefined) {
    clear.accelerator = accelerator;
  }
  menu.push(clear);

  if (session.kind === 'paused') {
    menu.push(action('pause', 'Paused: set a presence to resume', false));
  } else {
    menu.push(action('pause', 'Pause', signedIn && session.kind === 'active'));
  }
  menu.push(separator('separator-account'));

  menu.push(accountMenu(account));
  menu.push(action('settings', 'Settings…', true));
  menu.push({
    id: 'toggle-start-at-login',
    label: 'Start at login',
    enabled: true,
    type: 'checkbox',
    checked: context.settings.startAtLogin,
  });
  menu.push(separator('separator-quit'));
  menu.push(action('quit', 'Quit Presence Tray', true));

  return menu;
}
