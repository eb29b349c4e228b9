/**
 * What a click on the tray icon does, per platform. Electron's tray behaves differently on each:
 * - macOS: once `setContextMenu` is called, a left click opens that menu and emits no `click`,
 *   so any other click action needs the menu popped up by the app on right-click instead.
 * - Windows: the context menu opens on right-click; a left click only emits `click`, and
 *   `popUpContextMenu` can open the menu from there.
 * - Linux: the StatusNotifierItem host decides what a click means (left, double or none at
 *   all), and `popUpContextMenu` is not supported, so the menu is always the context menu and
 *   every action must also be in it.
 */

import type { TrayClickAction } from '../settings/settings.ts';
import type { TrayPlatform } from './tray-icons.ts';

/** How the shell attaches the menu: as the tray's context menu, or popped up on right-click. */
export type TrayMenuAttachment = 'context-menu' | 'pop-up-on-right-click';

/** What the shell or the tray controller does when `click` fires. */
export type TrayClickEffect = 'none' | 'pop-up-menu' | 'clear' | 'open-settings' | 'toggle-pause';

export interface TrayClickPlan {
  menu: TrayMenuAttachment;
  onClick: TrayClickEffect;
}

/** Decides how the menu is attached and what a click does for the user's click setting. */
export function decideClickAction(clickAction: TrayClickAction, platform: TrayPlatform): TrayClickPlan {
  switch (platform) {
    case 'linux':
      return { menu: 'context-menu', onClick: clickAction === 'open-menu' ? 'none' : clickAction };

    case 'darwin':
      if (clickAction === 'open-menu') {
        return { menu: 'context-menu', onClick: 'none' };
      }
      return { menu: 'pop-up-on-right-click', onClick: clickAction };

    case 'win32':
      return { menu: 'context-menu', onClick: clickAction === 'open-menu' ? 'pop-up-menu' : clickAction };
  }
}
