import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { displayAccelerator, keyNameForCode, recordKeyPress, type KeyPress } from '../../renderer/accelerator-recorder.ts';
import { parseAccelerator } from '../../main/core/shortcut/accelerator.ts';

const NONE: KeyPress = { code: '', ctrlKey: false, altKey: false, shiftKey: false, metaKey: false };

describe('recordKeyPress', () => {
  const cases: Array<[string, Partial<KeyPress>, 'linux' | 'darwin' | 'win32', ReturnType<typeof recordKeyPress>]> = [
    ['ctrl alt letter', { code: 'KeyK', ctrlKey: true, altKey: true }, 'linux', { kind: 'accelerator', accelerator: 'CommandOrControl+Alt+K' }],
    ['mac command', { code: 'KeyK', metaKey: true, shiftKey: true }, 'darwin', { kind: 'accelerator', accelerator: 'CommandOrControl+Shift+K' }],
    ['mac control', { code: 'KeyK', ctrlKey: true }, 'darwin', { kind: 'accelerator', accelerator: 'Control+K' }],
    ['super on linux', { code: 'F9', metaKey: true }, 'linux', { kind: 'accelerator', accelerator: 'Super+F9' }],
    ['digit', { code: 'Digit7', ctrlKey: true }, 'win32', { kind: 'accelerator', accelerator: 'CommandOrControl+7' }],
    ['numpad', { code: 'Numpad3', altKey: true }, 'win32', { kind: 'accelerator', accelerator: 'Alt+num3' }],
    ['arrow', { code: 'ArrowUp', ctrlKey: true }, 'linux', { kind: 'accelerator', accelerator: 'CommandOrControl+Up' }],
    ['punctuation', { code: 'Slash', ctrlKey: true }, 'linux', { kind: 'accelerator', accelerator: 'CommandOrControl+/' }],
    ['modifier only', { code: 'ShiftLeft', shiftKey: true, ctrlKey: true }, 'linux', { kind: 'modifiers', modifiers: ['CommandOrControl', 'Shift'] }],
    ['unknown key', { code: 'IntlRo', ctrlKey: true }, 'linux', { kind: 'unknown-key', code: 'IntlRo' }],
  ];
  for (const [name, press, platform, expected] of cases) {
    test(name, () => {
      assert.deepEqual(recordKeyPress({ ...NONE, ...press }, platform), expected);
    });
  }

  test('every named code parses', () => {
    const codes = ['KeyA', 'Digit0', 'Numpad9', 'F24', 'Space', 'Enter', 'Tab', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown', 'ArrowLeft', 'Escape', 'PrintScreen', 'NumpadAdd', 'NumpadDecimal', 'Minus', 'Equal', 'BracketLeft', 'Backslash', 'Quote', 'Backquote', 'MediaPlayPause', 'AudioVolumeMute'];
    for (const code of codes) {
      const key = keyNameForCode(code);
      assert.ok(key !== null, code);
      assert.equal(parseAccelerator(`Control+Alt+${key}`).ok, true, `${code} → ${key}`);
    }
  });

  test('F25 is not a key', () => {
    assert.equal(keyNameForCode('F25'), null);
  });
});

describe('displayAccelerator', () => {
  const cases: Array<[string, 'linux' | 'darwin' | 'win32', string]> = [
    ['CommandOrControl+Alt+Shift+P', 'linux', 'Ctrl+Alt+Shift+P'],
    ['CommandOrControl+Alt+Shift+P', 'darwin', '⌘⌥⇧P'],
    ['Super+F9', 'win32', 'Win+F9'],
    ['Super+F9', 'linux', 'Super+F9'],
  ];
  for (const [accelerator, platform, expected] of cases) {
    test(`${accelerator} on ${platform}`, () => {
      assert.equal(displayAccelerator(accelerator, platform), expected);
    });
  }
});
