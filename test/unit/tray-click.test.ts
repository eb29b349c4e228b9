import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { TrayClickAction } from '../../main/core/settings/settings.ts';
import { decideClickAction, type TrayClickPlan } from '../../main/core/tray/tray-click.ts';
import type { TrayPlatform } from '../../main/core/tray/tray-icons.ts';

const CASES: [TrayClickAction, TrayPlatform, TrayClickPlan][] = [
  ['open-menu', 'linux', { menu: 'context-menu', onClick: 'none' }],
  ['clear', 'linux', { menu: 'context-menu', onClick: 'clear' }],
  ['open-settings', 'linux', { menu: 'context-menu', onClick: 'open-settings' }],
  ['toggle-pause', 'linux', { menu: 'context-menu', onClick: 'toggle-pause' }],
  ['open-menu', 'win32', { menu: 'context-menu', onClick: 'pop-up-menu' }],
  ['clear', 'win32', { menu: 'context-menu', onClick: 'clear' }],
  ['open-settings', 'win32', { menu: 'context-menu', onClick: 'open-settings' }],
  ['toggle-pause', 'win32', { menu: 'context-menu', onClick: 'toggle-pause' }],
  ['open-menu', 'darwin', { menu: 'context-menu', onClick: 'none' }],
  ['clear', 'darwin', { menu: 'pop-up-on-right-click', onClick: 'clear' }],
  ['open-settings', 'darwin', { menu: 'pop-up-on-right-click', onClick: 'open-settings' }],
  ['toggle-pause', 'darwin', { menu: 'pop-up-on-right-click', onClick: 'toggle-pause' }],
];

describe('tray click decision', () => {
  for (const [clickAction, platform, expected] of CASES) {
    it(`${clickAction} on ${platform}`, () => {
      assert.deepEqual(decideClickAction(clickAction, platform), expected);
    });
  }

  it('Linux always keeps context menu', () => {
    for (const [clickAction, platform] of CASES) {
      if (platform === 'linux') {
        assert.equal(decideClickAction(clickAction, platform).menu, 'context-menu', clickAction);
      }
    }
  });
});
