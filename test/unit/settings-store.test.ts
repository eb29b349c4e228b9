import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';

import { openSettingsFile } from '../../main/core/settings/file-store.ts';
import { MAX_SALVAGE_BYTES, MAX_SETTINGS_BYTES } from '../../main/core/settings/load.ts';
import type { ManagedAccount } from '../../main/core/settings/managed.ts';
import type { SettingsPatch } from '../../main/core/settings/patch.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../main/core/settings/settings.ts';
import { SettingsSaveError, SettingsUpdateError } from '../../main/core/settings/store.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { MemorySettingsStore } from '../fakes/settings-store.ts';

const GUID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';
const OTHER_GUID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);
const ASIDE = 'config.json.corrupt-2026-12-04T09-00-00.000Z';

const root = mkdtempSync(join(tmpdir(), 'presence-tray-settings-'));
let folder = '';
let counter = 0;

beforeEach(() => {
  counter += 1;
  folder = join(root, `case-${counter}`);
  mkdirSync(folder);
});

after(() => {
  rmSync(root, { recursive: true, force: true });
});

function open(options: { managed?: ManagedAccount; log?: MemoryLog } = {}) {
  const log = options.log ?? new MemoryLog();
  const store = openSettingsFile({ path: join(folder, 'config.json'), logger: log.logger, nowMs: () => NOW, managed: options.managed });
  return { store, log };
}

function writeConfig(text: string | Buffer): void {
  writeFileSync(join(folder, 'config.json'), text);
}

function readConfig(): unknown {
  return JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
}

function withClient(settings: Settings = structuredClone(DEFAULT_SETTINGS)): Settings {
  const copy = structuredClone(settings);
  copy.account.clientId = GUID;
  copy.account.tenant = 'contoso.onmicrosoft.com';
  copy.presence.selfExpiryMinutes = 30;
  return copy;
}

describe('file store basics', () => {
  test('missing file gives defaults', () => {
    const { store } = open();
    assert.deepEqual(store.get(), DEFAULT_SETTINGS);
  });

  test('missing file reports nothing', () => {
    const { store } = open();
    assert.deepEqual(store.problems(), []);
  });

  test('missing file is not created', () => {
    open();
    assert.deepEqual(readdirSync(folder), []);
  });

  test('update writes the file', () => {
    const { store } = open();
    store.update({ presence: { selfExpiryMinutes: 45 } });
    assert.equal((readConfig() as Settings).presence.selfExpiryMinutes, 45);
  });

  test('update leaves no temporary file', () => {
    const { store } = open();
    store.update({ clearOn: { lockScreen: false } });
    assert.deepEqual(readdirSync(folder), ['config.json']);
  });

  test('file is private', { skip: process.platform === 'win32' }, () => {
    const { store } = open();
    store.update({ startAtLogin: true });
    assert.equal(statSync(join(folder, 'config.json')).mode & 0o777, 0o600);
  });

  test('valid file is read back', () => {
    writeConfig(JSON.stringify(withClient()));
    const { store } = open();
    assert.deepEqual(store.get(), withClient());
  });

  test('valid file is left alone', () => {
    const text = JSON.stringify(withClient());
    writeConfig(text);
    open();
    assert.equal(readFileSync(join(folder, 'config.json'), 'utf8'), text);
  });

  test('sparse file gets defaults', () => {
    writeConfig(JSON.stringify({ version: 1, presence: { selfExpiryMinutes: 20 } }));
    const { store } = open();
    assert.equal(store.get().presence.selfExpiryMinutes, 20);
    assert.deepEqual(store.problems(), []);
  });
});

describe('file store updates', () => {
  test('invalid patch throws naming field', () => {
    const { store } = open();
    assert.throws(
      () => store.update({ presence: { selfExpiryMinutes: 500 } }),
      (error: unknown) => error instanceof SettingsUpdateError && error.problems[0]?.path === 'presence.selfExpiryMinutes',
    );
  });

  test('invalid patch keeps old settings', () => {
    const { store } = open();
    store.update({ presence: { selfExpiryMinutes: 45 } });
    assert.throws(() => store.update({ presence: { selfExpiryMinutes: 45, graphApiVersion: 'v2' as 'beta' } }));
    assert.equal(store.get().presence.graphApiVersion, 'v1.0');
    assert.equal((readConfig() as Settings).presence.graphApiVersion, 'v1.0');
  });

  const badPatches: Array<[string, unknown, string]> = [
    ['unknown group', { theme: { dark: true } }, 'theme'],
    ['unknown key', { clearOn: { reboot: true } }, 'clearOn.reboot'],
    ['version', { version: 2 }, 'version'],
    ['group as value', { clearOn: true }, 'clearOn'],
    ['common tenant', { account: { tenant: 'common' } }, 'account.tenant'],
    ['empty patch', {}, '(root)'],
    ['array', [], '(root)'],
  ];
  for (const [name, patch, path] of badPatches) {
    test(`rejects ${name}`, () => {
      const { store } = open();
      assert.throws(
        () => store.update(patch as SettingsPatch),
        (error: unknown) => error instanceof SettingsUpdateError && error.problems[0]?.path === path,
      );
    });
  }

  test('listener sees the change', () => {
    const { store } = open();
    const seen: number[] = [];
    store.onChange((settings) => seen.push(settings.presence.selfExpiryMinutes));
    store.update({ presence: { selfExpiryMinutes: 60 } });
    assert.deepEqual(seen, [60]);
  });

  test('no-op update does not notify', () => {
    const { store } = open();
    let calls = 0;
    store.onChange(() => {
      calls += 1;
    });
    store.update({ presence: { selfExpiryMinutes: DEFAULT_SETTINGS.presence.selfExpiryMinutes } });
    assert.equal(calls, 0);
  });

  test('unsubscribed listener is not called', () => {
    const { store } = open();
    let calls = 0;
    const stop = store.onChange(() => {
      calls += 1;
    });
    stop();
    store.update({ startAtLogin: true });
    assert.equal(calls, 0);
  });

  test('failing listener is logged', () => {
    const { store, log } = open();
    store.onChange(() => {
      throw new Error('listener broke');
    });
    store.update({ startAtLogin: true });
    assert.match(log.text(), /Settings listener failed.*listener broke/);
  });

  test('save failure keeps old settings', () => {
    // A file where the folder should be makes every write fail, even for root.
    writeFileSync(join(root, `blocker-${counter}`), '');
    const log = new MemoryLog();
    const store = openSettingsFile({ path: join(root, `blocker-${counter}`, 'config.json'), logger: log.logger });
    assert.throws(() => store.update({ startAtLogin: true }), SettingsSaveError);
    assert.equal(store.get().startAtLogin, false);
  });

  test('unreadable path reported', () => {
    writeFileSync(join(root, `blocker-read-${counter}`), '');
    const store = openSettingsFile({ path: join(root, `blocker-read-${counter}`, 'config.json'), logger: new MemoryLog().logger });
    assert.match(store.problems().join('\n'), /Could not read/);
  });
});

describe('damaged files', () => {
  const valid = JSON.stringify(withClient(), null, 2);
  const cases: Array<{ name: string; text: string | Buffer; reason: RegExp; recovered: Partial<Record<'clientId' | 'expiry', unknown>> }> = [
    { name: 'empty', text: '', reason: /is empty/, recovered: {} },
    { name: 'whitespace', text: '  \n ', reason: /is empty/, recovered: {} },
    { name: 'truncated', text: valid.slice(0, valid.indexOf('"homeAccountId"')), reason: /not valid JSON/, recovered: { clientId: GUID } },
    { name: 'zero-filled tail', text: `${valid.slice(0, valid.indexOf('"clearOn"'))}${'\u0000'.repeat(64)}`, reason: /not valid JSON/, recovered: { clientId: GUID, expiry: 30 } },
    { name: 'not JSON', text: 'clientId = 6f1c3a52', reason: /not valid JSON/, recovered: {} },
    { name: 'array', text: '[1,2,3]', reason: /does not contain a JSON object/, recovered: {} },
    { name: 'string', text: '"settings"', reason: /does not contain a JSON object/, recovered: {} },
    {
      name: 'invalid values',
      text: JSON.stringify({ ...withClient(), presence: { ...withClient().presence, graphApiVersion: 'v9' } }),
      reason: /invalid values/,
      recovered: { clientId: GUID, expiry: 30 },
    },
    {
      name: 'huge',
      text: JSON.stringify({ ...withClient(), padding: 'x'.repeat(MAX_SETTINGS_BYTES) }),
      reason: /more than the 1048576-byte limit/,
      recovered: { clientId: GUID, expiry: 30 },
    },
    { name: 'newer version', text: JSON.stringify({ ...withClient(), version: 7 }), reason: /newer Presence Tray/, recovered: { clientId: GUID, expiry: 30 } },
    { name: 'binary', text: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]), reason: /not valid JSON/, recovered: {} },
  ];

  for (const { name, text, reason, recovered } of cases) {
    describe(name, () => {
      test('moved aside intact', () => {
        writeConfig(text);
        open();
        const original = Buffer.isBuffer(text) ? text : Buffer.from(text);
        assert.deepEqual(readFileSync(join(folder, ASIDE)), original);
      });

      test('reported', () => {
        writeConfig(text);
        const { store } = open();
        const problems = store.problems().join('\n');
        assert.match(problems, reason);
        assert.match(problems, new RegExp(`moved to .*${ASIDE.replace(/\./g, '\\.')}`));
      });

      test('valid fields recovered', () => {
        writeConfig(text);
        const { store } = open();
        assert.equal(store.get().account.clientId, recovered.clientId ?? null);
        assert.equal(store.get().presence.selfExpiryMinutes, recovered.expiry ?? DEFAULT_SETTINGS.presence.selfExpiryMinutes);
      });

      test('repaired file written', () => {
        writeConfig(text);
        const { store } = open();
        assert.deepEqual(readConfig(), store.get());
      });

      test('logged', () => {
        writeConfig(text);
        const { log } = open();
        assert.match(log.text(), /WARN \[test\] Settings file damaged, moved aside/);
      });
    });
  }

  test('too large to read', () => {
    writeConfig(Buffer.alloc(MAX_SALVAGE_BYTES + 1, 0x20));
    const { store } = open();
    assert.match(store.problems().join('\n'), /too large to read/);
  });

  test('second damage gets new name', () => {
    writeConfig('{');
    open();
    writeFileSync(join(folder, 'config.json'), '[');
    open();
    assert.deepEqual(readdirSync(folder).sort(), ['config.json', ASIDE, `${ASIDE}-2`]);
  });
});

describe('older files', () => {
  const v0 = JSON.stringify({ clientId: GUID, tenant: 'contoso.com', expiryMinutes: 15, useBeta: true, hotkey: 'Ctrl+Alt+K' });

  test('v0 file migrated', () => {
    writeConfig(v0);
    const { store } = open();
    assert.equal(store.get().presence.graphApiVersion, 'beta');
    assert.equal(store.get().shortcut.accelerator, 'Ctrl+Alt+K');
  });

  test('v0 file backed up', () => {
    writeConfig(v0);
    open();
    assert.equal(readFileSync(join(folder, 'config.json.v0-backup-2026-12-04T09-00-00.000Z'), 'utf8'), v0);
  });

  test('v0 file rewritten as v1', () => {
    writeConfig(v0);
    open();
    assert.equal((readConfig() as Settings).version, 1);
  });

  test('v0 migration reports nothing', () => {
    writeConfig(v0);
    const { store } = open();
    assert.deepEqual(store.problems(), []);
  });
});

describe('managed values', () => {
  const managed: ManagedAccount = {
    clientId: { value: OTHER_GUID, source: 'PRESENCE_TRAY_CLIENT_ID' },
    tenant: null,
    problems: ['Ignored the tenant preset from /etc/presence-tray/managed.json: Tenant "common" is not supported.'],
  };

  test('preset wins in get', () => {
    writeConfig(JSON.stringify(withClient()));
    const { store } = open({ managed });
    assert.equal(store.get().account.clientId, OTHER_GUID);
  });

  test('own value stays on disk', () => {
    writeConfig(JSON.stringify(withClient()));
    const { store } = open({ managed });
    store.update({ startAtLogin: true });
    assert.equal((readConfig() as Settings).account.clientId, GUID);
  });

  test('change to preset rejected', () => {
    const { store } = open({ managed });
    assert.throws(
      () => store.update({ account: { clientId: GUID } }),
      (error: unknown) => error instanceof SettingsUpdateError && /set by your administrator \(PRESENCE_TRAY_CLIENT_ID\)/.test(error.message),
    );
  });

  test('same value as preset allowed', () => {
    const { store } = open({ managed });
    assert.doesNotThrow(() => store.update({ account: { clientId: OTHER_GUID, tenant: 'contoso.com' } }));
  });

  test('preset problems reported', () => {
    const { store } = open({ managed });
    assert.match(store.problems().join('\n'), /Ignored the tenant preset/);
  });
});

describe('memory store', () => {
  test('records saves', () => {
    const store = new MemorySettingsStore();
    store.update({ startAtLogin: true });
    assert.equal(store.saves.at(-1)?.startAtLogin, true);
  });

  test('rejects invalid initial settings', () => {
    assert.throws(() => new MemorySettingsStore({ initial: { ...DEFAULT_SETTINGS, startAtLogin: 'yes' as unknown as boolean } }), SettingsUpdateError);
  });
});
