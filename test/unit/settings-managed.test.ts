import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { managedAccountSettings, managedSettingsFiles } from '../../main/core/settings/managed.ts';

const GUID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';
const OTHER_GUID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Serves file texts from a table; a missing entry reads as "no such file". */
function files(table: Record<string, string>): (path: string) => string | null {
  return (path) => table[path] ?? null;
}

describe('managedAccountSettings', () => {
  test('nothing preset', () => {
    assert.deepEqual(managedAccountSettings({}, ['/etc/m.json'], files({})), { clientId: null, tenant: null, problems: [] });
  });

  test('environment sets both', () => {
    const result = managedAccountSettings({ PRESENCE_TRAY_CLIENT_ID: ` ${GUID.toUpperCase()} `, PRESENCE_TRAY_TENANT: 'Contoso.com' }, [], files({}));
    assert.deepEqual(result.clientId, { value: GUID, source: 'PRESENCE_TRAY_CLIENT_ID' });
    assert.deepEqual(result.tenant, { value: 'contoso.com', source: 'PRESENCE_TRAY_TENANT' });
  });

  test('empty variable ignored', () => {
    assert.equal(managedAccountSettings({ PRESENCE_TRAY_CLIENT_ID: '  ' }, [], files({})).clientId, null);
  });

  test('environment beats file', () => {
    const result = managedAccountSettings({ PRESENCE_TRAY_CLIENT_ID: GUID }, ['/etc/m.json'], files({ '/etc/m.json': JSON.stringify({ clientId: OTHER_GUID }) }));
    assert.equal(result.clientId?.value, GUID);
  });

  test('first file wins per field', () => {
    const result = managedAccountSettings({}, ['/etc/m.json', '/home/m.json'], files({
      '/etc/m.json': JSON.stringify({ tenant: 'contoso.com' }),
      '/home/m.json': JSON.stringify({ clientId: OTHER_GUID, tenant: 'fabrikam.com' }),
    }));
    assert.deepEqual(result.tenant, { value: 'contoso.com', source: '/etc/m.json' });
    assert.deepEqual(result.clientId, { value: OTHER_GUID, source: '/home/m.json' });
  });

  test('invalid value skipped', () => {
    const result = managedAccountSettings({ PRESENCE_TRAY_TENANT: 'common' }, ['/etc/m.json'], files({ '/etc/m.json': JSON.stringify({ tenant: 'contoso.com' }) }));
    assert.equal(result.tenant?.value, 'contoso.com');
    assert.match(result.problems.join('\n'), /Ignored the tenant preset from PRESENCE_TRAY_TENANT: Tenant "common"/);
  });

  const damaged: Array<[string, string, RegExp]> = [
    ['not JSON', '{clientId:', /not valid JSON/],
    ['array', '[]', /not a JSON object/],
    ['unknown key', JSON.stringify({ clientId: GUID, graphApiVersion: 'beta' }), /"graphApiVersion" is not a managed setting/],
    ['too large', ' '.repeat(70_000), /larger than/],
  ];
  for (const [name, text, reason] of damaged) {
    test(`file ${name} reported`, () => {
      const result = managedAccountSettings({}, ['/etc/m.json'], files({ '/etc/m.json': text }));
      assert.match(result.problems.join('\n'), reason);
    });
  }

  test('unreadable file reported', () => {
    const result = managedAccountSettings({}, ['/etc/m.json'], () => {
      throw new Error('EACCES: permission denied');
    });
    assert.match(result.problems.join('\n'), /Could not read \/etc\/m.json: EACCES/);
  });
});

describe('managedSettingsFiles', () => {
  const cases: Array<[NodeJS.Platform, Record<string, string>, string, string[]]> = [
    ['linux', {}, '/home/a/.config/Presence Tray', ['/etc/presence-tray/managed.json', '/home/a/.config/Presence Tray/managed.json']],
    ['darwin', {}, '/Users/a/Library/Application Support/Presence Tray', [
      '/Library/Application Support/Presence Tray/managed.json',
      '/Users/a/Library/Application Support/Presence Tray/managed.json',
    ]],
    ['win32', { ProgramData: 'D:\\ProgramData' }, 'C:\\Users\\a\\AppData\\Roaming\\Presence Tray', [
      'D:\\ProgramData\\Presence Tray\\managed.json',
      'C:\\Users\\a\\AppData\\Roaming\\Presence Tray\\managed.json',
    ]],
  ];
  for (const [platform, env, dataDir, expected] of cases) {
    test(platform, () => {
      assert.deepEqual(managedSettingsFiles(dataDir, platform, env), expected);
    });
  }
});
