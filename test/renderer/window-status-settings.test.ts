import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { AppState } from '../../main/core/app-state.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import { MemorySettingsStore } from '../fakes/settings-store.ts';
import { FakePresenceApp } from './fake-app.ts';
import { BrowserSuite, eventually, FIXED_NOW, LINUX_X11, textWhen, type WindowHandle } from './harness.ts';

const GUID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';

const SIGNED_IN: AppState = {
  account: { kind: 'signed-in', username: 'adele@contoso.com', displayName: 'Adele Vance', objectId: GUID, tenantId: GUID },
  session: { kind: 'none' },
  shown: { availability: 'Available', activity: 'Available' },
  lastClear: null,
  problem: null,
  sandbox: false,
};

const ACTIVE: AppState = {
  ...SIGNED_IN,
  session: {
    kind: 'active',
    pair: { availability: 'Busy', activity: 'InACall' },
    intentUntil: null,
    expiresAt: FIXED_NOW + 10 * 60_000,
    nextRefreshAt: FIXED_NOW + 4 * 60_000,
    readback: { kind: 'pending', since: FIXED_NOW - 30_000, attempts: 1 },
  },
};

let suite: BrowserSuite;

before(async () => {
  suite = await BrowserSuite.start();
});

after(async () => {
  await suite.close();
});

function configuredStore(): MemorySettingsStore {
  const initial = structuredClone(DEFAULT_SETTINGS);
  initial.account.clientId = GUID;
  return new MemorySettingsStore({ initial });
}

async function openSignedIn(state: AppState = SIGNED_IN, extra: Parameters<BrowserSuite['openWindow']>[0] = {}): Promise<WindowHandle> {
  return suite.openWindow({ app: new FakePresenceApp(state), settings: configuredStore(), ...extra });
}

async function openSettings(extra: Parameters<BrowserSuite['openWindow']>[0] = {}): Promise<WindowHandle> {
  const window = await openSignedIn(SIGNED_IN, extra);
  await window.page.click('#tab-settings');
  return window;
}

describe('status view', () => {
  test('opens on status when configured', async () => {
    const window = await openSignedIn();
    assert.equal(await window.page.locator('#view-status').isVisible(), true);
    assert.match((await window.page.textContent('#status-account')) ?? '', /Adele Vance \(adele@contoso.com\)/);
    await window.close();
  });

  test('pushed session shown', async () => {
    const window = await openSignedIn();
    window.app.setState(ACTIVE);
    assert.equal(await textWhen(window.page, '#session-set', /Busy/), 'Busy (In a call)');
    assert.equal(await window.page.textContent('#session-shown'), 'Available');
    assert.match((await window.page.textContent('#session-readback')) ?? '', /Pending: Teams does not show it yet/);
    assert.equal(await window.page.textContent('#session-refresh'), 'in 4 min');
    assert.match((await window.page.textContent('#session-expiry')) ?? '', /^in 10 min/);
    await window.close();
  });

  test('pushed confirmation shown', async () => {
    const window = await openSignedIn(ACTIVE);
    window.app.setState({ ...ACTIVE, session: { ...ACTIVE.session, readback: { kind: 'confirmed', at: FIXED_NOW } } as AppState['session'] });
    assert.match(await textWhen(window.page, '#session-readback', /Confirmed/), /✓Confirmed now/);
    await window.close();
  });

  test('override not by colour alone', async () => {
    const window = await openSignedIn(ACTIVE);
    window.app.setState({
      ...ACTIVE,
      session: { ...ACTIVE.session, readback: { kind: 'overridden', shown: { availability: 'DoNotDisturb', activity: 'DoNotDisturb' }, at: FIXED_NOW } } as AppState['session'],
    });
    assert.match(await textWhen(window.page, '#session-readback', /Overridden/), /!Overridden by your Teams status: Teams shows Do not disturb/);
    await window.close();
  });

  test('countdown ticks', async () => {
    const window = await openSignedIn(ACTIVE);
    await window.page.clock.setFixedTime(FIXED_NOW + 60_000);
    assert.equal(await textWhen(window.page, '#session-refresh', /in 3 min$/), 'in 3 min');
    await window.close();
  });

  test('problem pushed', async () => {
    const window = await openSignedIn();
    window.app.setState({ ...SIGNED_IN, problem: { kind: 'offline', message: 'No network: the clear is retried when the network is back.' } });
    assert.match(await textWhen(window.page, '#problem', /No network/), /^! No network/);
    await window.close();
  });

  test('set sends chosen pair', async () => {
    const window = await openSignedIn();
    await window.page.selectOption('#set-pair', { label: 'Busy (In a conference call)' });
    await window.page.selectOption('#set-duration', { label: '30 minutes' });
    await window.page.click('#set-presence');
    await eventually(async () => window.app.calls.length, (count) => count > 0);
    assert.deepEqual(window.app.calls, [{ name: 'setPresence', request: { availability: 'Busy', activity: 'InAConferenceCall', durationMs: 1_800_000 } }]);
    await window.close();
  });

  test('clear shows last clear', async () => {
    const window = await openSignedIn(ACTIVE);
    await window.page.click('#clear-presence');
    assert.equal(await textWhen(window.page, '#last-clear-trigger', /window/), 'This window');
    assert.equal(await window.page.textContent('#last-clear-result'), '✓ Cleared');
    assert.equal(await window.page.textContent('#last-clear-request-id'), 'a1b2c3d4-0000-4000-8000-000000000001');
    await window.close();
  });

  test('pause calls app', async () => {
    const window = await openSignedIn(ACTIVE);
    await window.page.click('#pause-presence');
    assert.match(await textWhen(window.page, '#session-summary', /Paused/), /^Paused/);
    assert.deepEqual(window.app.calls, [{ name: 'pause' }]);
    await window.close();
  });

  test('actions off when signed out', async () => {
    const window = await suite.openWindow({ settings: configuredStore() });
    assert.equal(await window.page.isDisabled('#set-presence'), true);
    assert.equal(await window.page.textContent('#session-actions-hint'), 'Sign in to set or clear presence.');
    await window.close();
  });
});

describe('clear triggers', () => {
  const triggers: Array<[string, keyof typeof DEFAULT_SETTINGS.clearOn]> = [
    ['#clear-on-quit', 'quit'],
    ['#clear-on-suspend', 'suspend'],
    ['#clear-on-lock', 'lockScreen'],
    ['#clear-on-shutdown', 'shutdown'],
  ];
  test('each trigger toggles', async () => {
    const window = await openSettings();
    for (const [selector, key] of triggers) {
      await window.page.uncheck(selector);
      await eventually(async () => window.settings.get().clearOn[key], (on) => !on);
      assert.equal(window.settings.get().clearOn[key], false, `${key} off`);
      assert.match(await textWhen(window.page, '#settings-saved', /does not clear/), /does not clear presence/, `${key} saved`);
      await window.page.check(selector);
      await eventually(async () => window.settings.get().clearOn[key], (on) => on);
      assert.equal(window.settings.get().clearOn[key], true, `${key} on`);
    }
    await window.close();
  });

  test('lock note on Linux', async () => {
    const window = await openSettings();
    assert.match((await window.page.textContent('#clear-on-lock-hint')) ?? '', /Linux does not tell apps/);
    await window.close();
  });

  test('toggle with Space', async () => {
    const window = await openSettings();
    await window.page.focus('#clear-on-quit');
    await window.page.keyboard.press('Space');
    await eventually(async () => window.settings.get().clearOn.quit, (on) => !on);
    assert.equal(window.settings.get().clearOn.quit, false);
    await window.close();
  });
});

describe('shortcut recorder', () => {
  test('records and saves', async () => {
    const window = await openSettings();
    await window.page.click('#shortcut-record');
    await window.page.keyboard.press('Control+Alt+KeyK');
    await eventually(async () => window.settings.get().shortcut.accelerator, (value) => value !== DEFAULT_SETTINGS.shortcut.accelerator);
    assert.equal(window.settings.get().shortcut.accelerator, 'CommandOrControl+Alt+K');
    assert.equal(await textWhen(window.page, '#shortcut-current', /K$/), 'Ctrl+Alt+K');
    await window.close();
  });

  test('records with keys only', async () => {
    const window = await openSettings();
    await window.page.focus('#shortcut-enabled');
    await window.page.keyboard.press('Tab');
    assert.equal(await window.page.evaluate('document.activeElement.id'), 'shortcut-record');
    await window.page.keyboard.press('Enter');
    await window.page.keyboard.press('Control+Shift+F5');
    await eventually(async () => window.settings.get().shortcut.accelerator, (value) => value !== DEFAULT_SETTINGS.shortcut.accelerator);
    assert.equal(window.settings.get().shortcut.accelerator, 'CommandOrControl+Shift+F5');
    await window.close();
  });

  test('clash is shown', async () => {
    const window = await openSettings({ shortcutsInUse: ['CommandOrControl+Alt+J'] });
    await window.page.click('#shortcut-record');
    await window.page.keyboard.press('Control+Alt+KeyJ');
    assert.match(await textWhen(window.page, '#shortcut-message', /already used/), /✗ CommandOrControl\+Alt\+J is already used by another application/);
    assert.equal(window.settings.get().shortcut.accelerator, DEFAULT_SETTINGS.shortcut.accelerator);
    assert.deepEqual(window.settings.saves, []);
    await window.close();
  });

  test('typing key rejected', async () => {
    const window = await openSettings();
    await window.page.click('#shortcut-record');
    await window.page.keyboard.press('Shift+KeyA');
    assert.match(await textWhen(window.page, '#shortcut-message', /character/), /types a character/);
    assert.equal(window.invokes.some((call) => call.channel === 'shortcut:test'), false);
    await window.close();
  });

  test('modifiers previewed', async () => {
    const window = await openSettings();
    await window.page.click('#shortcut-record');
    await window.page.keyboard.down('Control');
    await window.page.keyboard.down('Shift');
    assert.equal(await textWhen(window.page, '#shortcut-record', /…/), 'Ctrl+Shift+…');
    await window.page.keyboard.up('Shift');
    await window.page.keyboard.up('Control');
    await window.close();
  });

  test('Escape cancels', async () => {
    const window = await openSettings();
    await window.page.click('#shortcut-record');
    await window.page.keyboard.press('Escape');
    assert.equal(await window.page.getAttribute('#shortcut-record', 'aria-pressed'), 'false');
    assert.equal(await window.page.textContent('#shortcut-message'), 'Recording cancelled.');
    await window.close();
  });

  test('Tab leaves recorder', async () => {
    const window = await openSettings();
    await window.page.click('#shortcut-record');
    await window.page.keyboard.press('Tab');
    assert.notEqual(await window.page.evaluate('document.activeElement.id'), 'shortcut-record');
    assert.equal(await window.page.getAttribute('#shortcut-record', 'aria-pressed'), 'false');
    await window.close();
  });

  test('Wayland message shown', async () => {
    const window = await openSettings({
      environment: {
        ...LINUX_X11,
        shortcuts: { mode: 'unsupported', reason: 'Wayland does not let apps grab keys.', fallbackCommand: 'presence-tray clear' },
      },
    });
    const notice = (await window.page.textContent('#shortcut-unavailable')) ?? '';
    assert.match(notice, /unavailable here/);
    assert.match(notice, /Bind the command presence-tray clear in your desktop's keyboard settings/);
    await window.close();
  });

  test('no notice on X11', async () => {
    const window = await openSettings();
    assert.equal(await window.page.locator('#shortcut-unavailable').isVisible(), false);
    await window.close();
  });
});

describe('other settings', () => {
  test('self-expiry out of range', async () => {
    const window = await openSettings();
    await window.page.fill('#self-expiry', '500');
    await window.page.press('#self-expiry', 'Tab');
    assert.match((await window.page.textContent('#self-expiry-error')) ?? '', /out of range/);
    assert.deepEqual(window.settings.saves, []);
    await window.close();
  });

  test('self-expiry saved', async () => {
    const window = await openSettings();
    await window.page.fill('#self-expiry', '60');
    await window.page.press('#self-expiry', 'Tab');
    await eventually(async () => window.settings.get().presence.selfExpiryMinutes, (value) => value === 60);
    assert.equal(window.settings.get().presence.selfExpiryMinutes, 60);
    await window.close();
  });

  test('graph version saved', async () => {
    const window = await openSettings();
    await window.page.check('#graph-beta');
    await eventually(async () => window.settings.get().presence.graphApiVersion, (value) => value === 'beta');
    assert.equal(window.settings.get().presence.graphApiVersion, 'beta');
    await window.close();
  });

  test('session ID override', async () => {
    const window = await openSettings();
    await window.page.click('#advanced summary');
    await window.page.fill('#session-id', 'not-a-guid');
    assert.match((await window.page.textContent('#session-id-error')) ?? '', /is not a GUID/);
    await window.page.fill('#session-id', GUID);
    await window.page.press('#session-id', 'Tab');
    await eventually(async () => window.settings.get().presence.sessionIdOverride, (value) => value === GUID);
    assert.equal(window.settings.get().presence.sessionIdOverride, GUID);
    await window.close();
  });

  test('proxy shown read-only', async () => {
    const window = await openSettings({ environment: { ...LINUX_X11, proxy: 'http://proxy.contoso.com:8080' } });
    assert.equal(await window.page.textContent('#proxy'), 'http://proxy.contoso.com:8080');
    assert.equal(await window.page.evaluate("document.getElementById('proxy').tagName"), 'OUTPUT');
    await window.close();
  });

  test('tray click saved', async () => {
    const window = await openSettings();
    await window.page.selectOption('#tray-click', 'clear');
    await eventually(async () => window.settings.get().tray.clickAction, (value) => value === 'clear');
    assert.equal(window.settings.get().tray.clickAction, 'clear');
    await window.close();
  });

  test('start at login saved', async () => {
    const window = await openSettings();
    await window.page.check('#start-at-login');
    await eventually(async () => window.settings.get().startAtLogin, (value) => value);
    assert.equal(window.settings.get().startAtLogin, true);
    await window.close();
  });

  test('save failure shown and reverted', async () => {
    const window = await openSettings();
    window.settings.failNextSave(new Error('ENOSPC: no space left on device'));
    // A click, not check(): the window unchecks the box again when the save fails.
    await window.page.click('#start-at-login');
    assert.match(await textWhen(window.page, '#start-at-login-error', /ENOSPC/), /Could not save settings/);
    assert.equal(await window.page.isChecked('#start-at-login'), false);
    await window.close();
  });

  test('load problems listed', async () => {
    const settings = new MemorySettingsStore({ problems: ['config.json is empty.'] });
    const window = await suite.openWindow({ settings });
    await window.page.click('#tab-settings');
    assert.match((await window.page.textContent('#settings-problems')) ?? '', /config.json is empty/);
    await window.close();
  });

  test('no console errors', async () => {
    const window = await openSettings();
    await window.page.click('#shortcut-record');
    await window.page.keyboard.press('Control+Alt+KeyL');
    await window.page.check('#graph-beta');
    await eventually(async () => window.settings.saves.length, (count) => count >= 2);
    assert.deepEqual(window.consoleErrors, []);
    await window.close();
  });
});
