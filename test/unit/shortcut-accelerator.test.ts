import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseAccelerator } from '../../main/core/shortcut/accelerator.ts';

const VALID: [string, string][] = [
  ['CommandOrControl+Alt+Shift+P', 'CommandOrControl+Alt+Shift+P'],
  ['cmdorctrl+alt+p', 'CommandOrControl+Alt+P'],
  ['Ctrl+Alt+Delete', 'Control+Alt+Delete'],
  ['  Shift + Alt + c  ', 'Alt+Shift+C'],
  ['P+Control', 'Control+P'],
  ['Cmd+Option+K', 'Command+Alt+K'],
  ['Meta+F12', 'Super+F12'],
  ['Super+Space', 'Super+Space'],
  ['Control+Plus', 'Control+Plus'],
  ['Control+-', 'Control+-'],
  ['Alt+/', 'Alt+/'],
  ['Control+Shift+F24', 'Control+Shift+F24'],
  ['Alt+Return', 'Alt+Enter'],
  ['Control+Esc', 'Control+Escape'],
  ['Alt+PageUp', 'Alt+PageUp'],
  ['Control+num5', 'Control+num5'],
  ['Control+NumAdd', 'Control+numadd'],
  ['Alt+MediaPlayPause', 'Alt+MediaPlayPause'],
  ['Control+VolumeUp', 'Control+VolumeUp'],
  ['Alt+PrintScreen', 'Alt+PrintScreen'],
  ['AltGr+Control+Q', 'Control+AltGr+Q'],
  ['Shift+F5', 'Shift+F5'],
  ['Control+7', 'Control+7'],
];

const INVALID: [string, RegExp][] = [
  ['', /empty/],
  ['   ', /empty/],
  ['P', /needs at least one modifier.*CommandOrControl\+Alt\+P/],
  ['F5', /needs at least one modifier/],
  ['Control+Alt', /has no key.*Control\+Alt\+P/],
  ['Control+P+Q', /two keys, P and Q/],
  ['Control++', /missing between "\+" signs.*Plus/],
  ['Control+', /missing between/],
  ['Control+Foo', /"Foo" is not a key or modifier name/],
  ['Win+P', /"Win".*Write Super instead/],
  ['Control+Del', /Write Delete instead/],
  ['Control+F25', /"F25" is not a key/],
  ['Control+Control+P', /Control appears twice/],
  ['Ctrl+Control+P', /Control appears twice/],
  ['Control+é', /"é" is not ASCII/],
  ['Shift+A', /types a character.*Add CommandOrControl, Alt or Super/],
  ['AltGr+Q', /types a character/],
  ['Shift+Space', /types a character/],
  ['Constructor+P', /"Constructor" is not a key/],
  ['Control+__proto__', /"__proto__" is not a key/],
];

describe('accelerator parser', () => {
  for (const [input, normalized] of VALID) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseAccelerator(input), { ok: true, normalized });
    });
  }

  for (const [input, error] of INVALID) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      const result = parseAccelerator(input);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.error, error);
    });
  }

  it('error quotes the input', () => {
    const result = parseAccelerator('Control+Foo');
    assert.match(result.ok ? '' : result.error, /^Invalid shortcut "Control\+Foo": /);
  });

  it('normalized form parses to itself', () => {
    for (const [input] of VALID) {
      const first = parseAccelerator(input);
      const normalized = first.ok ? first.normalized : '';
      assert.deepEqual(parseAccelerator(normalized), { ok: true, normalized }, input);
    }
  });
});
