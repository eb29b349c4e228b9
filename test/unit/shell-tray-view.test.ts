import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, it } from 'node:test';

import type { AppState } from '../../main/core/app-state.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import type { TrayPlatform } from '../../main/core/tray/tray-icons.ts';
import { buildTrayModel, type TrayModel } from '../../main/core/tray/tray-model.ts';
import { createElectronTrayView, escapeMenuLabel } from '../../main/shell/tray-view.ts';
import { FakeTray, fakeMenuFactory, fakeNativeImage } from '../fakes/electron/tray.ts';
import { MemoryLog } from '../fakes/logger.ts';

const ASSETS = fileURLToPath(new URL('../../assets', import.meta.url));

const SIGNED_IN: AppState = {
  account: { kind: 'signed-in', username: 'ada@contoso.com', displayName: 'Ada', objectId: '00000000-0000-0000-0000-000000000001', tenantId: 't' },
  session: { kind: 'none' },
  shown: null,
  lastClear: null,
  problem: null,
  sandbox: false,
};

function model(platform: TrayPlatform, state: AppState = SIGNED_IN, clickAction = DEFAULT_SETTINGS.tray.clickAction): TrayModel {
  return buildTrayModel(state, {
    settings: { ...DEFAULT_SETTINGS, tray: { clickAction } },
    platform,
    nowWallMs: Date.UTC(2026, 11, 4, 9),
    shortcutAvailable: true,
  });
}

function setup(platform: TrayPlatform, assetsDir = ASSETS) {
  const log = new MemoryLog();
  const view = createElectronTrayView({ Tray: FakeTray, Menu: fakeMenuFactory, nativeImage: fakeNativeImage, assetsDir, platform, logger: log.logger });
  const tray = FakeTray.instances.at(-1)!;
  return { view, tray, log };
}

describe('shell tray view', () => {
  beforeEach(() => {
    FakeTray.instances.length = 0;
  });

  it('creates one tray at start', () => {
    setup('linux');
    assert.equal(FakeTray.instances.length, 1);
  });

  it('sets icon, tooltip and menu', () => {
    const { view, tray } = setup('linux');
    const shown = model('linux');

    view.render(shown);

    assert.match(tray.image.path, new RegExp(`${shown.iconKey}\\.png$`));
    assert.equal(tray.toolTip, shown.tooltip);
    assert.equal(tray.contextMenu?.items.length, shown.menu.length);
  });

  it('finds the icon files', () => {
    const { view, log } = setup('linux');
    view.render(model('linux'));
    assert.doesNotMatch(log.text(), /Tray icon file is missing/);
  });

  it('logs a missing icon', () => {
    const { log } = setup('linux', '/nonexistent-assets');
    assert.match(log.text(), /Tray icon file is missing/);
  });

  it('uses Template images on macOS', () => {
    const { view, tray } = setup('darwin');
    view.render(model('darwin'));
    assert.match(tray.image.path, /Template\.png$/);
  });

  it('sends a clicked action id', () => {
    const { view, tray } = setup('linux');
    const ids: string[] = [];
    view.onMenuAction((id) => ids.push(id));

    view.render(model('linux'));
    tray.contextMenu?.click('quit');

    assert.deepEqual(ids, ['quit']);
  });

  it('keeps the first line disabled', () => {
    const { view, tray } = setup('linux');
    view.render(model('linux'));
    assert.equal(tray.contextMenu?.items[0]?.enabled, false);
  });

  it('passes accelerators as hints only', () => {
    const { view, tray } = setup('win32');
    view.render(model('win32'));

    const withAccelerator = tray.contextMenu?.flatten().filter((item) => item.accelerator !== undefined) ?? [];

    assert.ok(withAccelerator.length > 0);
    assert.ok(withAccelerator.every((item) => item.registerAccelerator === false));
  });

  it('rebuilds the menu on each render', () => {
    const { view, tray } = setup('linux');

    view.render(model('linux'));
    const first = tray.contextMenu;
    view.render(model('linux'));

    assert.notEqual(tray.contextMenu, first);
  });

  it('pops up on right-click when asked', () => {
    const { view, tray } = setup('darwin');
    view.render(model('darwin', SIGNED_IN, 'clear'));

    tray.rightClick();

    assert.equal(tray.contextMenu, null);
    assert.equal(tray.poppedUp.length, 1);
  });

  it('forwards clicks', () => {
    const { view, tray } = setup('win32');
    let clicks = 0;
    view.onClick(() => {
      clicks += 1;
    });

    tray.click();

    assert.equal(clicks, 1);
  });

  it('does not pop up on Linux', () => {
    const { view, tray } = setup('linux');
    view.render(model('linux'));

    view.popUpMenu();

    assert.equal(tray.poppedUp.length, 0);
  });

  it('destroys the tray once', () => {
    const { view, tray } = setup('linux');

    view.destroy();
    view.destroy();
    view.render(model('linux'));

    assert.equal(tray.destroyed, true);
    assert.equal(tray.contextMenu, null);
  });

  const labels: Array<[TrayPlatform, string, string]> = [
    ['linux', 'Sign in & out', 'Sign in && out'],
    ['win32', 'A & B', 'A && B'],
    ['darwin', 'A & B', 'A & B'],
  ];
  for (const [platform, label, expected] of labels) {
    it(`escapes & on ${platform}`, () => {
      assert.equal(escapeMenuLabel(label, platform), expected);
    });
  }
});
