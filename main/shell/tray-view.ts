/**
 * `TrayView` over Electron's `Tray`, `Menu.buildFromTemplate` and `nativeImage`. The model from
 * `main/core/tray/` decides everything shown; this file only translates it. The `Tray` object
 * lives as long as the view, because a `Tray` held only by a local variable is garbage-collected
 * and its icon vanishes (Electron FAQ).
 */

import { join } from 'node:path';

import type { MenuItemConstructorOptions } from 'electron';

import type { Logger } from '../core/ports.ts';
import { trayIconFile, type TrayIconKey, type TrayPlatform } from '../core/tray/tray-icons.ts';
import type { TrayMenuItem } from '../core/tray/tray-model.ts';
import type { TrayView } from '../core/tray/tray-view.ts';

/** A loaded icon; Electron returns an empty image for a missing or unreadable file. */
export interface IconImage {
  isEmpty(): boolean;
}

/** The parts of a `Tray` this adapter calls; generic so fakes supply their own menu and image. */
export interface TrayInstance<MenuHandle, Image extends IconImage> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: MenuHandle | null): void;
  popUpContextMenu(menu?: MenuHandle): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'right-click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayViewDeps<MenuHandle, Image extends IconImage> {
  Tray: new (image: Image) => TrayInstance<MenuHandle, Image>;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): MenuHandle };
  nativeImage: { createFromPath(path: string): Image };
  /** The `assets/` folder shipped with the app. */
  assetsDir: string;
  platform: TrayPlatform;
  logger: Logger;
}

/** Escapes `&`, which Electron reads as a mnemonic marker on Windows and Linux. */
export function escapeMenuLabel(label: string, platform: TrayPlatform): string {
  return platform === 'darwin' ? label : label.replace(/&/g, '&&');
}

/** Creates the tray icon now; call after `app` is ready. */
export function createElectronTrayView<MenuHandle, Image extends IconImage>(deps: TrayViewDeps<MenuHandle, Image>): TrayView {
  const log = deps.logger.child('tray-view');
  const images = new Map<TrayIconKey, Image>();
  const clickListeners = new Set<() => void>();
  const actionListeners = new Set<(id: string) => void>();

  const loadIcon = (key: TrayIconKey): Image => {
    const cached = images.get(key);
    if (cached !== undefined) {
      return cached;
    }
    // Electron picks the @2x file beside a PNG by itself on HiDPI screens.
    const path = join(deps.assetsDir, ...trayIconFile(key, deps.platform).split('/'));
    const image = deps.nativeImage.createFromPath(path);
    if (image.isEmpty()) {
      log.error('Tray icon file is missing or unreadable; the icon shows blank', { key, path });
    }
    images.set(key, image);
    return image;
  };

  const emitAction = (id: string): void => {
    log.info('Tray menu action', { id });
    for (const listener of [...actionListeners]) {
      listener(id);
    }
  };

  const toTemplate = (item: TrayMenuItem): MenuItemConstructorOptions => {
    if (item.type === 'separator') {
      return { type: 'separator', id: item.id };
    }

    const template: MenuItemConstructorOptions = {
      id: item.id,
      label: escapeMenuLabel(item.label, deps.platform),
      enabled: item.enabled,
      type: item.type,
    };
    if (item.type === 'submenu') {
      template.submenu = (item.submenu ?? []).map(toTemplate);
      return template;
    }
    if (item.checked !== undefined) {
      template.checked = item.checked;
    }
    if (item.accelerator !== undefined) {
      // A hint beside the label only: the global shortcut is registered elsewhere.
      template.accelerator = item.accelerator;
      template.registerAccelerator = false;
    }
    template.click = () => emitAction(item.id);
    return template;
  };

  const tray = new deps.Tray(loadIcon('signed-out'));
  let currentIcon: TrayIconKey = 'signed-out';
  let currentMenu: MenuHandle | null = null;
  let popUpOnRightClick = false;
  let destroyed = false;

  tray.on('click', () => {
    for (const listener of [...clickListeners]) {
      listener();
    }
  });
  tray.on('right-click', () => {
    // Only when the menu is not the context menu (macOS with a click action other than the menu).
    if (popUpOnRightClick && currentMenu !== null) {
      tray.popUpContextMenu(currentMenu);
    }
  });

  return {
    render(model) {
      if (destroyed) {
        return;
      }
      if (model.iconKey !== currentIcon) {
        tray.setImage(loadIcon(model.iconKey));
        currentIcon = model.iconKey;
      }
      tray.setToolTip(model.tooltip);
      if (deps.platform === 'darwin') {
        tray.setTitle(model.title ?? '');
      }

      // The whole menu is rebuilt: on Linux a changed item shows only after setContextMenu.
      currentMenu = deps.Menu.buildFromTemplate(model.menu.map(toTemplate));
      popUpOnRightClick = model.click.menu === 'pop-up-on-right-click';
      tray.setContextMenu(popUpOnRightClick ? null : currentMenu);
    },

    popUpMenu() {
      if (deps.platform === 'linux' || currentMenu === null || destroyed) {
        return;
      }
      tray.popUpContextMenu(currentMenu);
    },

    onClick(listener) {
      clickListeners.add(listener);
      return () => {
        clickListeners.delete(listener);
      };
    },

    onMenuAction(listener) {
      actionListeners.add(listener);
      return () => {
        actionListeners.delete(listener);
      };
    },

    destroy() {
      if (!destroyed) {
        destroyed = true;
        tray.destroy();
      }
    },
  };
}
