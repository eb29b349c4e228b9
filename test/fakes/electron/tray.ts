/**
 * Fakes for `Tray`, `Menu.buildFromTemplate` and `nativeImage`. The menu keeps Electron's own
 * template objects, so a test can find an item by id and call its `click` as a user would.
 */

import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';

import type { MenuItemConstructorOptions } from 'electron';

import type { IconImage, TrayInstance } from '../../../main/shell/tray-view.ts';
import { createFakeEvent } from './event.ts';

export class FakeImage implements IconImage {
  constructor(readonly path: string) {}

  isEmpty(): boolean {
    return !existsSync(this.path);
  }
}

export class FakeMenu {
  constructor(readonly items: MenuItemConstructorOptions[]) {}

  /** Returns every item in the menu and its submenus, depth first. */
  flatten(): MenuItemConstructorOptions[] {
    const all: MenuItemConstructorOptions[] = [];
    const visit = (items: MenuItemConstructorOptions[]): void => {
      for (const item of items) {
        all.push(item);
        if (Array.isArray(item.submenu)) {
          visit(item.submenu as MenuItemConstructorOptions[]);
        }
      }
    };
    visit(this.items);
    return all;
  }

  find(id: string): MenuItemConstructorOptions | undefined {
    return this.flatten().find((item) => item.id === id);
  }

  /** Clicks the item as Electron would, refusing a disabled or missing one. */
  click(id: string): void {
    const item = this.find(id);
    if (item === undefined) {
      throw new Error(`No menu item with id ${id}`);
    }
    if (item.enabled === false) {
      throw new Error(`Menu item ${id} is disabled`);
    }
    if (item.click === undefined) {
      throw new Error(`Menu item ${id} has no click handler`);
    }
    item.click(undefined as never, undefined, undefined as never);
  }
}

export const fakeMenuFactory = {
  buildFromTemplate: (template: MenuItemConstructorOptions[]): FakeMenu => new FakeMenu(template),
};

export const fakeNativeImage = {
  createFromPath: (path: string): FakeImage => new FakeImage(path),
};

export class FakeTray extends EventEmitter implements TrayInstance<FakeMenu, FakeImage> {
  /** Every tray created; a test reads the last one. */
  static readonly instances: FakeTray[] = [];

  image: FakeImage;
  toolTip = '';
  title = '';
  contextMenu: FakeMenu | null = null;
  poppedUp: FakeMenu[] = [];
  destroyed = false;

  constructor(image: FakeImage) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }

  setImage(image: FakeImage): void {
    this.image = image;
  }

  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }

  setTitle(title: string): void {
    this.title = title;
  }

  setContextMenu(menu: FakeMenu | null): void {
    this.contextMenu = menu;
  }

  popUpContextMenu(menu?: FakeMenu): void {
    if (menu !== undefined) {
      this.poppedUp.push(menu);
    }
  }

  destroy(): void {
    this.destroyed = true;
  }

  click(): void {
    this.emit('click', createFakeEvent());
  }

  rightClick(): void {
    this.emit('right-click', createFakeEvent());
  }
}
