import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { buildAutostartDesktopEntry, formatExecLine, isAutostartEntryEnabled } from '../../main/core/autostart/desktop-entry.ts';
import { autostartDir, createLinuxAutostart } from '../../main/core/autostart/linux-autostart.ts';
import { MemoryLog } from '../fakes/logger.ts';

describe('autostart exec line', () => {
  const cases: Array<[string[], string]> = [
    [['/usr/bin/presence-tray'], '/usr/bin/presence-tray'],
    [['/opt/Presence Tray/presence-tray'], '"/opt/Presence Tray/presence-tray"'],
    [['/home/u/Apps/Presence-Tray.AppImage', '--hidden'], '/home/u/Apps/Presence-Tray.AppImage --hidden'],
    [['/tmp/a"b'], '"/tmp/a\\"b"'],
    [['/tmp/$HOME'], '"/tmp/\\$HOME"'],
    [['/tmp/back\\slash'], '"/tmp/back\\\\slash"'],
    [['/tmp/100%'], '/tmp/100%%'],
    [['/bin/app', ''], '/bin/app ""'],
  ];
  for (const [argv, expected] of cases) {
    it(`quotes ${JSON.stringify(argv)}`, () => {
      assert.equal(formatExecLine(argv), expected);
    });
  }

  it('rejects an empty command', () => {
    assert.throws(() => formatExecLine([]), /command line is empty/);
  });

  it('rejects a line break', () => {
    assert.throws(() => formatExecLine(['/bin/app', 'a\nb']), /line break/);
  });
});

describe('autostart desktop entry', () => {
  it('builds the entry', () => {
    const content = buildAutostartDesktopEntry({
      name: 'Presence Tray',
      comment: 'Clears your Teams presence session',
      exec: ['/opt/Presence Tray/presence-tray'],
      icon: 'presence-tray',
    });

    assert.equal(
      content,
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.5',
        'Name=Presence Tray',
        'Comment=Clears your Teams presence session',
        'Exec="/opt/Presence Tray/presence-tray"',
        'Icon=presence-tray',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes twice in Exec', () => {
    const content = buildAutostartDesktopEntry({ name: 'A', comment: 'B', exec: ['/tmp/a b\\c'], icon: null });
    assert.match(content, /^Exec="\/tmp\/a b\\\\\\\\c"$/m);
  });

  it('leaves out a missing icon', () => {
    const content = buildAutostartDesktopEntry({ name: 'A', comment: 'B', exec: ['/bin/a'], icon: null });
    assert.doesNotMatch(content, /^Icon=/m);
  });

  it('escapes a line break in the name', () => {
    const content = buildAutostartDesktopEntry({ name: 'A\nExec=evil', comment: 'B', exec: ['/bin/a'], icon: null });
    assert.match(content, /^Name=A\\nExec=evil$/m);
  });

  const enabledCases: Array<[string, boolean]> = [
    ['[Desktop Entry]\nExec=a\n', true],
    ['[Desktop Entry]\nHidden=true\n', false],
    ['[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n', false],
    ['[Desktop Entry]\nX-GNOME-Autostart-enabled=true\n', true],
    ['[Desktop Entry]\nExec=a\n[Desktop Action x]\nHidden=true\n', true],
  ];
  for (const [content, expected] of enabledCases) {
    it(`reads enabled=${expected} from ${JSON.stringify(content)}`, () => {
      assert.equal(isAutostartEntryEnabled(content), expected);
    });
  }
});

describe('linux autostart file', () => {
  const folders: string[] = [];
  after(async () => {
    for (const folder of folders) {
      await rm(folder, { recursive: true, force: true });
    }
  });

  async function setup() {
    const home = await mkdtemp(join(tmpdir(), 'presence-tray-autostart-'));
    folders.push(home);
    const autostart = createLinuxAutostart({
      desktopId: 'presence-tray',
      entry: { name: 'Presence Tray', comment: 'c', exec: ['/opt/app'], icon: null },
      logger: new MemoryLog().logger,
      env: {},
      home,
    });
    return { home, autostart };
  }

  it('uses XDG_CONFIG_HOME', () => {
    assert.equal(autostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/u'), '/cfg/autostart');
  });

  it('ignores a relative XDG_CONFIG_HOME', () => {
    assert.equal(autostartDir({ XDG_CONFIG_HOME: 'cfg' }, '/home/u'), '/home/u/.config/autostart');
  });

  it('is off without a file', async () => {
    const { autostart } = await setup();
    assert.equal(await autostart.isEnabled(), false);
  });

  it('writes and reads the entry', async () => {
    const { home, autostart } = await setup();

    await autostart.setEnabled(true);

    assert.equal(autostart.path, join(home, '.config', 'autostart', 'presence-tray.desktop'));
    assert.equal(await autostart.isEnabled(), true);
    assert.match(await readFile(autostart.path, 'utf8'), /^Exec=\/opt\/app$/m);
    assert.equal((await stat(autostart.path)).mode & 0o777, 0o644);
  });

  it('removes the entry', async () => {
    const { autostart } = await setup();

    await autostart.setEnabled(true);
    await autostart.setEnabled(false);

    assert.equal(await autostart.isEnabled(), false);
  });

  it('reads an entry the user switched off', async () => {
    const { autostart } = await setup();
    await autostart.setEnabled(true);
    await writeFile(autostart.path, '[Desktop Entry]\nExec=/opt/app\nHidden=true\n');

    assert.equal(await autostart.isEnabled(), false);
  });

  it('rejects a bad desktop id', () => {
    assert.throws(
      () => createLinuxAutostart({ desktopId: '../evil', entry: { name: 'a', comment: 'b', exec: ['/a'], icon: null }, logger: new MemoryLog().logger }),
      /Invalid desktop file id/,
    );
  });
});
