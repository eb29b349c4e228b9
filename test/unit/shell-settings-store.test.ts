import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { NO_MANAGED_ACCOUNT } from '../../main/core/settings/managed.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import { SettingsUpdateError } from '../../main/core/settings/store.ts';
import { openElectronSettingsStore, type SettingsFileClass } from '../../main/shell/settings-store.ts';
import { confSettingsFileClass } from '../fakes/electron/settings-file.ts';
import { MemoryLog } from '../fakes/logger.ts';

describe('shell settings store', () => {
  const folders: string[] = [];
  after(async () => {
    for (const folder of folders) {
      await rm(folder, { recursive: true, force: true });
    }
  });

  async function setup(content?: string) {
    const folder = await mkdtemp(join(tmpdir(), 'presence-tray-settings-'));
    folders.push(folder);
    const path = join(folder, 'config.json');
    if (content !== undefined) {
      await writeFile(path, content);
    }
    const log = new MemoryLog();
    const open = (Store: SettingsFileClass = confSettingsFileClass(folder)) =>
      openElectronSettingsStore({ Store, path, managed: NO_MANAGED_ACCOUNT, logger: log.logger });
    return { folder, path, log, open };
  }

  it('starts from the defaults', async () => {
    const { open } = await setup();
    assert.deepEqual(open().get(), DEFAULT_SETTINGS);
  });

  it('saves an update to the file', async () => {
    const { open, path } = await setup();

    open().update({ clearOn: { lockScreen: false } });
    const saved = JSON.parse(await readFile(path, 'utf8')) as typeof DEFAULT_SETTINGS;

    assert.equal(saved.clearOn.lockScreen, false);
    assert.equal(saved.clearOn.quit, true);
  });

  it('reads saved settings back', async () => {
    const { open } = await setup();

    open().update({ presence: { selfExpiryMinutes: 30 } });

    assert.equal(open().get().presence.selfExpiryMinutes, 30);
  });

  it('rejects an invalid update', async () => {
    const { open } = await setup();
    const store = open();

    assert.throws(() => store.update({ presence: { selfExpiryMinutes: 2 } }), SettingsUpdateError);
    assert.equal(store.get().presence.selfExpiryMinutes, DEFAULT_SETTINGS.presence.selfExpiryMinutes);
  });

  it('moves a corrupt file aside', async () => {
    const { open, folder } = await setup('{"version":1,"clearOn":{"quit":false');

    const store = open();
    const names = await readdir(folder);

    assert.ok(names.some((name) => name.startsWith('config.json.corrupt-')));
    assert.ok(store.problems().some((problem) => problem.includes('moved to')));
  });

  it('opens after a corrupt file', async () => {
    const { open } = await setup('not json at all');
    const store = open();

    store.update({ startAtLogin: true });

    assert.equal(open().get().startAtLogin, true);
  });

  it('falls back when the store fails', async () => {
    const { open, log } = await setup();
    const failing: SettingsFileClass = class {
      store = DEFAULT_SETTINGS;
      readonly path = '';
      constructor() {
        throw new Error('Config schema violation');
      }
    };

    const store = open(failing);
    store.update({ startAtLogin: true });

    assert.equal(store.get().startAtLogin, true);
    assert.match(log.text(), /using the plain file store/);
  });
});
