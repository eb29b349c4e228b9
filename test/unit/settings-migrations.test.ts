import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CURRENT_SETTINGS_VERSION, migrateSettings, MIGRATIONS, type SettingsV0 } from '../../main/core/settings/migrations.ts';
import { fillMissingSettings, validateSettings } from '../../main/core/settings/schema.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';

const GUID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';

const FULL_V0: SettingsV0 = {
  clientId: GUID,
  tenant: 'contoso.onmicrosoft.com',
  expiryMinutes: 30,
  useBeta: true,
  sessionId: GUID,
  clearOnQuit: false,
  clearOnSleep: true,
  clearOnLock: false,
  clearOnShutdown: true,
  hotkey: 'Ctrl+Alt+K',
  hotkeyEnabled: false,
  launchAtLogin: true,
  trayClick: 'settings',
};

describe('migration table', () => {
  test('steps are contiguous', () => {
    MIGRATIONS.forEach((step, index) => {
      assert.equal(step.from, index);
      assert.equal(step.to, index + 1);
    });
  });

  test('last step reaches current version', () => {
    assert.equal(MIGRATIONS.at(-1)?.to, CURRENT_SETTINGS_VERSION);
  });
});

describe('migrateSettings', () => {
  const cases: Array<{ name: string; input: Record<string, unknown>; expected: Record<string, unknown> }> = [
    {
      name: 'full v0',
      input: { ...FULL_V0 },
      expected: {
        version: 1,
        account: { clientId: GUID, tenant: 'contoso.onmicrosoft.com' },
        presence: { selfExpiryMinutes: 30, graphApiVersion: 'beta', sessionIdOverride: GUID },
        clearOn: { quit: false, suspend: true, lockScreen: false, shutdown: true },
        shortcut: { accelerator: 'Ctrl+Alt+K', enabled: false },
        tray: { clickAction: 'open-settings' },
        startAtLogin: true,
      },
    },
    {
      name: 'empty v0',
      input: {},
      expected: { version: 1, account: {}, presence: {}, clearOn: {}, shortcut: {}, tray: {} },
    },
    {
      name: 'v0 useBeta false',
      input: { useBeta: false },
      expected: { version: 1, account: {}, presence: { graphApiVersion: 'v1.0' }, clearOn: {}, shortcut: {}, tray: {} },
    },
    {
      name: 'v0 bad value kept',
      input: { expiryMinutes: 'soon', trayClick: 'wiggle' },
      expected: { version: 1, account: {}, presence: { selfExpiryMinutes: 'soon' }, clearOn: {}, shortcut: {}, tray: { clickAction: 'wiggle' } },
    },
    {
      name: 'v0 unknown key kept',
      input: { theme: 'dark' },
      expected: { version: 1, account: {}, presence: {}, clearOn: {}, shortcut: {}, tray: {}, theme: 'dark' },
    },
    {
      name: 'groups without version',
      input: { account: { clientId: GUID }, clearOn: { quit: false } },
      expected: { version: 1, account: { clientId: GUID }, presence: {}, clearOn: { quit: false }, shortcut: {}, tray: {} },
    },
    {
      name: 'current version unchanged',
      input: structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, unknown>,
      expected: structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, unknown>,
    },
  ];

  for (const { name, input, expected } of cases) {
    test(name, () => {
      const result = migrateSettings(input);
      assert.equal(result.ok, true);
      assert.deepEqual(result.ok ? result.value : null, expected);
    });
  }

  test('input not mutated', () => {
    const input = { ...FULL_V0 };
    migrateSettings(input);
    assert.deepEqual(input, FULL_V0);
  });

  test('full v0 validates after fill', () => {
    const result = migrateSettings({ ...FULL_V0 });
    assert.equal(validateSettings(fillMissingSettings(result.ok ? result.value : {})).ok, true);
  });

  test('reports version and steps', () => {
    const result = migrateSettings({});
    assert.equal(result.ok ? result.fromVersion : -1, 0);
    assert.deepEqual(result.ok ? result.applied : [], ['v0 flat settings to v1 groups']);
  });

  const failures: Array<[string, unknown, RegExp]> = [
    ['newer version', { version: 2 }, /newer Presence Tray/],
    ['string version', { version: '1' }, /not a whole number/],
    ['negative version', { version: -1 }, /not a whole number/],
    ['fractional version', { version: 0.5 }, /not a whole number/],
    ['array', [], /not a JSON object/],
  ];
  for (const [name, input, reason] of failures) {
    test(`rejects ${name}`, () => {
      const result = migrateSettings(input);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.message, reason);
    });
  }
});
