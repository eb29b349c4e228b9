import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, it } from 'node:test';

import type { PushChannel, PushChannels } from '../../main/ipc-contract.ts';
import { createSessionEndWindow, createSettingsWindow } from '../../main/shell/settings-window.ts';
import { FakeBrowserWindow } from '../fakes/electron/browser-window.ts';
import { FakeSessionEndWindow } from '../fakes/electron/power-monitor.ts';
import { MemoryLog } from '../fakes/logger.ts';

const PAGE = '/opt/presence-tray/dist/renderer/index.html';
const PRELOAD = '/opt/presence-tray/dist/preload/index.cjs';

type Send = <C extends PushChannel>(channel: C, payload: PushChannels[C]) => void;

function setup() {
  const log = new MemoryLog();
  const pushes: { send: Send | null; stopped: number } = { send: null, stopped: 0 };
  const controller = createSettingsWindow({
    BrowserWindow: FakeBrowserWindow,
    preloadPath: PRELOAD,
    pagePath: PAGE,
    logger: log.logger,
    connectPushes: (send) => {
      pushes.send = send;
      return () => {
        pushes.stopped += 1;
      };
    },
  });
  return { controller, log, pushes, window: () => FakeBrowserWindow.instances.at(-1)! };
}

describe('shell settings window', () => {
  beforeEach(() => {
    FakeBrowserWindow.instances.length = 0;
  });

  it('opens no window until shown', () => {
    setup();
    assert.equal(FakeBrowserWindow.instances.length, 0);
  });

  it('loads the page with the preload', () => {
    const { controller, window } = setup();
    controller.show();
    assert.equal(window().loadedFile, PAGE);
    assert.equal(window().options.webPreferences?.preload, PRELOAD);
  });

  const preferences = [
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
  ] as const;
  for (const [name, expected] of preferences) {
    it(`sets ${name} to ${expected}`, () => {
      const { controller, window } = setup();
      controller.show();
      assert.equal(window().options.webPreferences?.[name], expected);
    });
  }

  it('uses an in-memory session', () => {
    const { controller, window } = setup();
    controller.show();
    assert.doesNotMatch(String(window().options.webPreferences?.partition), /^persist:/);
  });

  it('shows when ready', async () => {
    const { controller, window } = setup();
    controller.show();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(window().shown, true);
  });

  it('reuses the open window', () => {
    const { controller, window } = setup();
    controller.show();
    window().minimized = true;

    controller.show();

    assert.equal(FakeBrowserWindow.instances.length, 1);
    assert.equal(window().minimized, false);
    assert.equal(window().focused, true);
  });

  it('opens a new window after close', () => {
    const { controller, window } = setup();
    controller.show();
    window().close();

    controller.show();

    assert.equal(FakeBrowserWindow.instances.length, 2);
  });

  it('blocks navigation to another page', () => {
    const { controller, window } = setup();
    controller.show();
    assert.equal(window().webContents.navigate('https://evil.example/').defaultPrevented, true);
  });

  it('allows reloading its own page', () => {
    const { controller, window } = setup();
    controller.show();
    assert.equal(window().webContents.navigate(pathToFileURL(PAGE).href).defaultPrevented, false);
  });

  it('blocks redirects', () => {
    const { controller, window } = setup();
    controller.show();
    assert.equal(window().webContents.redirect('https://evil.example/').defaultPrevented, true);
  });

  it('blocks webviews', () => {
    const { controller, window } = setup();
    controller.show();
    assert.equal(window().webContents.attachWebview().defaultPrevented, true);
  });

  it('denies new windows', () => {
    const { controller, window } = setup();
    controller.show();
    const response = window().webContents.windowOpenHandler?.({
      url: 'https://evil.example/',
      frameName: '',
      features: '',
      disposition: 'new-window',
      referrer: { url: '', policy: 'no-referrer' },
    });
    assert.deepEqual(response, { action: 'deny' });
  });

  it('denies permission requests', () => {
    const { controller, window } = setup();
    controller.show();
    let granted: boolean | null = null;

    window().webContents.permissionRequestHandler?.(
      {} as never,
      'media',
      (answer) => {
        granted = answer;
      },
      {} as never,
    );

    assert.equal(granted, false);
  });

  it('denies permission checks', () => {
    const { controller, window } = setup();
    controller.show();
    assert.equal(window().webContents.permissionCheckHandler?.(null, 'notifications', 'file://', {} as never), false);
  });

  it('trusts only the open window', () => {
    const { controller, window } = setup();
    const before = controller.trustedSenders();
    controller.show();
    const during = controller.trustedSenders();
    window().close();

    assert.equal(before.webContentsIds.size, 0);
    assert.deepEqual([...during.webContentsIds], [window().webContents.id]);
    assert.equal(controller.trustedSenders().webContentsIds.size, 0);
    assert.deepEqual(during.pageUrls, [pathToFileURL(PAGE).href]);
  });

  it('pushes until the window closes', () => {
    const { controller, pushes, window } = setup();
    controller.show();

    pushes.send?.('state:changed', {} as PushChannels['state:changed']);
    window().close();
    pushes.send?.('state:changed', {} as PushChannels['state:changed']);

    assert.equal(window().webContents.sent.length, 1);
    assert.equal(pushes.stopped, 1);
  });
});

describe('shell session end window', () => {
  it('creates a hidden window', () => {
    let options: unknown = null;
    createSessionEndWindow(
      class extends FakeSessionEndWindow {
        constructor(given: unknown) {
          super();
          options = given;
        }
      },
    );
    assert.equal((options as { show: boolean }).show, false);
  });
});
