import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';

import { readPath, SETTING_FIELDS, writePath } from '../../main/core/settings/fields.ts';
import { fillMissingSettings, recoverSettings, SETTINGS_SCHEMA, validateSettings } from '../../main/core/settings/schema.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import {
  CONSUMER_TENANT_ID,
  validateClientId,
  validateSelfExpiryMinutes,
  validateSessionIdOverride,
  validateTenant,
} from '../../main/core/settings/validators.ts';

const GUID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';

function compileSchema() {
  // Strict mode (ajv's default) rejects unknown keywords, as electron-store's ajv does.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  return ajv.compile(SETTINGS_SCHEMA);
}

describe('validateClientId', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['lower-case GUID', GUID, true],
    ['upper-case GUID', GUID.toUpperCase(), true],
    ['empty', '', false],
    ['null', null, false],
    ['number', 42, false],
    ['partial GUID', '6f1c3a52-8d0e-4b7a', false],
    ['braced GUID', `{${GUID}}`, false],
    ['GUID with spaces', ` ${GUID} `, false],
    ['non-hex digit', GUID.replace('6', 'g'), false],
  ];
  for (const [name, input, valid] of cases) {
    test(name, () => {
      assert.equal(validateClientId(input).ok, valid);
    });
  }

  test('message names value and fix', () => {
    const result = validateClientId('abc');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /"abc"/);
    assert.match(!result.ok ? result.message : '', /Application \(client\) ID/);
  });
});

describe('validateTenant', () => {
  const accepted = [GUID, 'organizations', 'contoso.onmicrosoft.com', 'contoso.com', 'CONTOSO.COM', 'a-b.example.co.uk'];
  for (const tenant of accepted) {
    test(`accepts ${tenant}`, () => {
      assert.equal(validateTenant(tenant).ok, true);
    });
  }

  const rejected: Array<[string, unknown, RegExp]> = [
    ['common', 'common', /work or school/],
    ['Common', 'Common', /work or school/],
    ['consumers', 'consumers', /personal Microsoft accounts/],
    ['consumer tenant ID', CONSUMER_TENANT_ID, /personal Microsoft accounts/],
    ['consumer tenant ID upper-case', CONSUMER_TENANT_ID.toUpperCase(), /personal Microsoft accounts/],
    ['URL', 'https://login.microsoftonline.com/contoso.com', /looks like a URL/],
    ['single label', 'contoso', /not a tenant ID/],
    ['empty', '', /missing/],
    ['number', 7, /missing/],
    ['label too long', `${'a'.repeat(64)}.com`, /not a tenant ID/],
    ['name too long', `${'abc.'.repeat(64)}com`, /not a tenant ID/],
    ['trailing hyphen label', 'contoso-.com', /not a tenant ID/],
  ];
  for (const [name, input, reason] of rejected) {
    test(`rejects ${name}`, () => {
      const result = validateTenant(input);
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.message : '', reason);
    });
  }
});

describe('other validators', () => {
  test('session ID null means client ID', () => {
    assert.deepEqual(validateSessionIdOverride(null), { ok: true, value: null });
  });

  test('session ID must be a GUID', () => {
    assert.equal(validateSessionIdOverride('my-session').ok, false);
  });

  const expiry: Array<[unknown, boolean]> = [
    [5, true],
    [240, true],
    [4, false],
    [241, false],
    [10.5, false],
    ['10', false],
    [Number.NaN, false],
  ];
  for (const [input, valid] of expiry) {
    test(`self-expiry ${String(input)}`, () => {
      assert.equal(validateSelfExpiryMinutes(input).ok, valid);
    });
  }
});

describe('validateSettings', () => {
  test('defaults are valid', () => {
    assert.equal(validateSettings(DEFAULT_SETTINGS).ok, true);
  });

  test('result shares nothing with input', () => {
    const input = structuredClone(DEFAULT_SETTINGS);
    const result = validateSettings(input);
    assert.equal(result.ok, true);
    if (result.ok) {
      result.settings.clearOn.quit = false;
      assert.equal(input.clearOn.quit, true);
    }
  });

  test('problem names field, value and fix', () => {
    const input = writePath(structuredClone(DEFAULT_SETTINGS), 'presence.selfExpiryMinutes', 500);
    const result = validateSettings(input);
    assert.equal(result.ok, false);
    const problem = result.ok ? undefined : result.problems[0];
    assert.equal(problem?.path, 'presence.selfExpiryMinutes');
    assert.match(problem?.message ?? '', /500/);
    assert.match(problem?.message ?? '', /from 5 to 240/);
  });

  test('unknown key is a problem', () => {
    const result = validateSettings({ ...structuredClone(DEFAULT_SETTINGS), theme: 'dark' });
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.map((problem) => problem.path), ['theme']);
  });

  test('unknown key in group is a problem', () => {
    const input = structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, Record<string, unknown>>;
    (input.clearOn as Record<string, unknown>).reboot = true;
    const result = validateSettings(input);
    assert.deepEqual(result.ok ? [] : result.problems.map((problem) => problem.path), ['clearOn.reboot']);
  });

  test('group of wrong type', () => {
    const result = validateSettings({ ...structuredClone(DEFAULT_SETTINGS), clearOn: 'yes' });
    assert.equal(result.ok, false);
    assert.equal(result.ok ? 0 : result.problems.filter((problem) => problem.path.startsWith('clearOn.')).length, 4);
  });

  test('array is not settings', () => {
    const result = validateSettings([]);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.problems[0]?.path, '(root)');
  });

  test('accelerator checked by parser', () => {
    const input = writePath(structuredClone(DEFAULT_SETTINGS), 'shortcut.accelerator', 'Ctrl+Nope');
    const result = validateSettings(input);
    assert.match(result.ok ? '' : (result.problems[0]?.message ?? ''), /"Nope" is not a key/);
  });
});

describe('settings schema', () => {
  test('compiles in strict mode', () => {
    assert.doesNotThrow(() => compileSchema());
  });

  test('accepts the defaults', () => {
    const validate = compileSchema();
    assert.equal(validate(structuredClone(DEFAULT_SETTINGS)), true);
  });

  test('every field has a default', () => {
    for (const field of SETTING_FIELDS) {
      assert.notEqual(readPath(DEFAULT_SETTINGS, field.path), undefined, field.path);
    }
  });

  /** Values aimed at each kind of field, plus anything JSON can hold. */
  const candidate = fc.oneof(
    fc.constantFrom(
      GUID,
      GUID.toUpperCase(),
      'organizations',
      'common',
      'consumers',
      CONSUMER_TENANT_ID,
      CONSUMER_TENANT_ID.toUpperCase(),
      'contoso.onmicrosoft.com',
      'contoso',
      'https://contoso.com',
      'v1.0',
      'beta',
      'open-menu',
      'clear',
      'CommandOrControl+Alt+P',
      'Ctrl+Nope',
      '',
      null,
      true,
      false,
      0,
      1,
      4,
      5,
      240,
      241,
      99,
      100,
      10_000,
      10_001,
      2.5,
    ),
    fc.integer({ min: -20, max: 20_000 }),
    fc.string({ maxLength: 40 }),
    fc.uuid(),
    fc.domain(),
    fc.jsonValue({ maxDepth: 2 }),
  );

  // The check and the schema must agree, so electron-store and the app accept the same files.
  // The accelerator is the exception: the schema has only a pattern, the check the full parser.
  for (const field of SETTING_FIELDS) {
    test(`agrees with check on ${field.path}`, () => {
      const validate = compileSchema();
      fc.assert(
        fc.property(candidate, (value) => {
          const settings = writePath(structuredClone(DEFAULT_SETTINGS), field.path, value);
          const schemaAccepts = validate(structuredClone(settings)) === true;
          const checkAccepts = field.check(value) === null;
          if (field.path === 'shortcut.accelerator') {
            return !checkAccepts || schemaAccepts;
          }
          return schemaAccepts === checkAccepts;
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('recoverSettings', () => {
  test('keeps valid fields', () => {
    const { settings } = recoverSettings({ account: { clientId: GUID, tenant: 'common' }, presence: { selfExpiryMinutes: 30 } });
    assert.equal(settings.account.clientId, GUID);
    assert.equal(settings.presence.selfExpiryMinutes, 30);
  });

  test('defaults invalid fields', () => {
    const { settings, problems } = recoverSettings({ account: { clientId: GUID, tenant: 'common' } });
    assert.equal(settings.account.tenant, DEFAULT_SETTINGS.account.tenant);
    assert.ok(problems.some((problem) => problem.path === 'account.tenant' && /organizations/.test(problem.message)));
  });

  test('non-object gives defaults', () => {
    assert.deepEqual(recoverSettings('garbage').settings, DEFAULT_SETTINGS);
  });
});

describe('fillMissingSettings', () => {
  test('adds missing group', () => {
    const filled = fillMissingSettings({ version: 1 });
    assert.equal(validateSettings(filled).ok, true);
  });

  test('keeps present values', () => {
    const filled = fillMissingSettings({ presence: { selfExpiryMinutes: 999 } });
    assert.equal(readPath(filled, 'presence.selfExpiryMinutes'), 999);
  });
});
