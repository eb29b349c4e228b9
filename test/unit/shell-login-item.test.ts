import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LinuxAutostart } from '../../main/core/autostart/linux-autostart.ts';
import { createLoginItem } from '../../main/shell/login-item.ts';
import { FakeApp } from '../fakes/electron/app.ts';
import { MemoryLog } from '../fakes/logger.ts';

describe('shell login item', () => {
  it('sets the macOS login item', async () => {
    const app = new FakeApp();
    const item = createLoginItem({ app, platform: 'darwin', executablePath: '/Applications/P.app', logger: new MemoryLog().logger });

    await item.setEnabled(true);

    assert.equal(await item.isEnabled(), true);
    assert.deepEqual(app.loginItemCalls, [{ openAtLogin: true }]);
  });

  it('passes the Windows executable', async () => {
    const app = new FakeApp();
    const item = createLoginItem({ app, platform: 'win32', executablePath: 'C:\\P\\P.exe', logger: new MemoryLog().logger });

    await item.setEnabled(true);

    assert.deepEqual(app.loginItemCalls, [{ openAtLogin: true, path: 'C:\\P\\P.exe', args: [] }]);
  });

  it('warns when macOS needs approval', async () => {
    const app = new FakeApp();
    app.statusAfterChange = 'requires-approval';
    const log = new MemoryLog();
    const item = createLoginItem({ app, platform: 'darwin', executablePath: '/Applications/P.app', logger: log.logger });

    await item.setEnabled(true);

    assert.match(log.text(), /waits for approval/);
  });

  it('uses the autostart file on Linux', async () => {
    const app = new FakeApp();
    let enabled = false;
    const autostart: LinuxAutostart = {
      path: '/home/u/.config/autostart/presence-tray.desktop',
      isEnabled: async () => enabled,
      setEnabled: async (value) => {
        enabled = value;
      },
    };
    const item = createLoginItem({ app, platform: 'linux', linuxAutostart: autostart, executablePath: '/opt/p', logger: new MemoryLog().logger });

    await item.setEnabled(true);

    assert.equal(await item.isEnabled(), true);
    assert.deepEqual(app.loginItemCalls, []);
  });

  it('needs the autostart writer on Linux', () => {
    assert.throws(
      () => createLoginItem({ app: new FakeApp(), platform: 'linux', executablePath: '/opt/p', logger: new MemoryLog().logger }),
      /needs the XDG autostart writer/,
    );
  });
});
