import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createShortcutRegistry } from '../../main/shell/shortcut-registry.ts';
import { FakeGlobalShortcut } from '../fakes/electron/global-shortcut.ts';
import { MemoryLog } from '../fakes/logger.ts';

describe('shell shortcut registry', () => {
  it('registers and fires', () => {
    const globalShortcut = new FakeGlobalShortcut();
    const registry = createShortcutRegistry(globalShortcut, true, new MemoryLog().logger);
    let pressed = 0;

    const registered = registry.register('CommandOrControl+Alt+Shift+P', () => {
      pressed += 1;
    });
    globalShortcut.press('CommandOrControl+Alt+Shift+P');

    assert.equal(registered, true);
    assert.equal(pressed, 1);
  });

  it('returns false on a clash', () => {
    const globalShortcut = new FakeGlobalShortcut();
    globalShortcut.ownedElsewhere.add('Ctrl+Alt+C');
    const log = new MemoryLog();
    const registry = createShortcutRegistry(globalShortcut, true, log.logger);

    assert.equal(registry.register('Ctrl+Alt+C', () => {}), false);
    assert.match(log.text(), /Another application owns the global shortcut/);
  });

  it('returns false when Electron throws', () => {
    const registry = createShortcutRegistry(new FakeGlobalShortcut(), true, new MemoryLog().logger);
    assert.equal(registry.register('', () => {}), false);
  });

  it('unregisters', () => {
    const globalShortcut = new FakeGlobalShortcut();
    const registry = createShortcutRegistry(globalShortcut, true, new MemoryLog().logger);

    registry.register('Ctrl+Alt+C', () => {});
    registry.unregister('Ctrl+Alt+C');

    assert.equal(globalShortcut.press('Ctrl+Alt+C'), false);
  });

  it('reports the support it was given', () => {
    const registry = createShortcutRegistry(new FakeGlobalShortcut(), false, new MemoryLog().logger);
    assert.equal(registry.isSupported(), false);
  });
});
