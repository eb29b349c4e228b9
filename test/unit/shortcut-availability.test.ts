import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CLEAR_COMMAND,
  PORTAL_FEATURES,
  shortcutAvailability,
  type ShortcutAvailabilityOptions,
  type ShortcutEnvironment,
} from '../../main/core/shortcut/availability.ts';

const WAYLAND: ShortcutEnvironment = { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' };
const X11: ShortcutEnvironment = { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' };
const DESKTOP = { desktopName: 'io.github.presencetray.PresenceTray.desktop' };

interface Case {
  name: string;
  platform: NodeJS.Platform;
  env: ShortcutEnvironment;
  major: number;
  options?: ShortcutAvailabilityOptions;
  kind: 'native' | 'portal' | 'unsupported';
  reason?: RegExp;
}

const CASES: Case[] = [
  { name: 'macOS', platform: 'darwin', env: {}, major: 45, kind: 'native' },
  { name: 'Windows', platform: 'win32', env: {}, major: 45, kind: 'native' },
  { name: 'X11 session', platform: 'linux', env: X11, major: 45, kind: 'native', reason: /X11/ },
  { name: 'DISPLAY only', platform: 'linux', env: { DISPLAY: ':1' }, major: 45, kind: 'native' },
  { name: 'Wayland on Electron 45', platform: 'linux', env: WAYLAND, major: 45, options: DESKTOP, kind: 'portal', reason: /io\.github\.presencetray\.PresenceTray\./ },
  { name: 'WAYLAND_DISPLAY only', platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, major: 45, kind: 'portal' },
  { name: 'Wayland without desktopName', platform: 'linux', env: WAYLAND, major: 45, kind: 'portal', reason: /No desktopName/ },
  { name: 'Wayland forced to XWayland', platform: 'linux', env: WAYLAND, major: 45, options: { ozonePlatform: 'x11' }, kind: 'unsupported', reason: /XWayland/ },
  { name: 'Wayland on Electron 37', platform: 'linux', env: WAYLAND, major: 37, kind: 'unsupported', reason: /XWayland/ },
  { name: 'Wayland on Electron 37 native', platform: 'linux', env: WAYLAND, major: 37, options: { ozonePlatform: 'wayland' }, kind: 'portal' },
  { name: 'Wayland on Electron 35 native', platform: 'linux', env: WAYLAND, major: 35, options: { ozonePlatform: 'wayland' }, kind: 'unsupported', reason: /Electron 35.*36 or later/ },
  { name: 'x11 session type wins', platform: 'linux', env: { XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, major: 45, kind: 'native' },
  { name: 'tty session', platform: 'linux', env: { XDG_SESSION_TYPE: 'tty' }, major: 45, kind: 'unsupported', reason: /No graphical session/ },
  { name: 'empty environment', platform: 'linux', env: {}, major: 45, kind: 'unsupported', reason: /No graphical session/ },
  { name: 'FreeBSD', platform: 'freebsd', env: X11, major: 45, kind: 'unsupported', reason: /freebsd/ },
];

describe('shortcut availability', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const result = shortcutAvailability(testCase.platform, testCase.env, testCase.major, testCase.options);

      assert.equal(result.kind, testCase.kind);
      if (testCase.reason !== undefined) {
        assert.match(result.reason, testCase.reason);
      }
      if (result.kind !== 'native') {
        assert.equal(result.fallbackCommand, CLEAR_COMMAND);
      }
    });
  }

  it('portal asks for features', () => {
    const result = shortcutAvailability('linux', WAYLAND, 45, DESKTOP);
    assert.deepEqual(result.kind === 'portal' ? result.enableFeatures : [], PORTAL_FEATURES);
  });

  it('fallback is the clear command', () => {
    assert.equal(CLEAR_COMMAND, 'presence-tray clear');
  });
});
