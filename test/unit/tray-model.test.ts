import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AppState, SessionState } from '../../main/core/app-state.ts';
import { SESSION_PAIRS } from '../../main/core/presence/pairs.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import { parseTrayAction, SET_DURATIONS, setActionId } from '../../main/core/tray/tray-actions.ts';
import { TRAY_ICON_KEYS, type TrayIconKey } from '../../main/core/tray/tray-icons.ts';
import { buildTrayModel, type TrayContext, type TrayMenuItem, type TraySettings } from '../../main/core/tray/tray-model.ts';
import { formatTimeLeft, MAX_TOOLTIP_LENGTH } from '../../main/core/tray/tray-status.ts';

const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);
const MINUTE = 60_000;

const ALICE: AppState['account'] = {
  kind: 'signed-in',
  username: 'alice@contoso.com',
  displayName: 'Alice Example',
  objectId: '00000000-0000-0000-0000-0000000000a1',
  tenantId: 'contoso.onmicrosoft.com',
};

const BASE: AppState = {
  account: ALICE,
  session: { kind: 'none' },
  shown: null,
  lastClear: null,
  problem: null,
  sandbox: false,
};

const BUSY_CALL = { availability: 'Busy', activity: 'InACall' };
const AVAILABLE = { availability: 'Available', activity: 'Available' };

function active(overrides: Partial<Extract<SessionState, { kind: 'active' }>> = {}): SessionState {
  return {
    kind: 'active',
    pair: BUSY_CALL,
    intentUntil: NOW + 42 * MINUTE,
    expiresAt: NOW + 10 * MINUTE,
    nextRefreshAt: NOW + 4 * MINUTE,
    readback: { kind: 'confirmed', at: NOW },
    ...overrides,
  };
}

function context(overrides: Partial<TrayContext> = {}, settings: Partial<TraySettings> = {}): TrayContext {
  return {
    settings: { ...DEFAULT_SETTINGS, ...settings },
    platform: 'linux',
    nowWallMs: NOW,
    shortcutAvailable: true,
    ...overrides,
  };
}

function flatten(items: readonly TrayMenuItem[]): TrayMenuItem[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

function find(items: readonly TrayMenuItem[], id: string): TrayMenuItem | undefined {
  return flatten(items).find((item) => item.id === id);
}

interface StateCase {
  name: string;
  state: AppState;
  icon: TrayIconKey;
  headline: RegExp;
  tooltip: RegExp;
  /** Expected `enabled` of items by id; `absent` means the item must not exist. */
  items: Record<string, boolean | 'absent'>;
  /** Text that must appear in a disabled line under the headline. */
  detail?: RegExp;
}

const SIGNED_OUT_ITEMS = {
  'set-presence': false,
  clear: false,
  pause: false,
  'sign-in': true,
  'sign-in-device-code': true,
  'sign-out': false,
  'cancel-sign-in': 'absent',
  'open-admin-consent': 'absent',
} as const;

const SIGNED_IN_ITEMS = {
  'set-presence': true,
  clear: true,
  'sign-in': false,
  'sign-in-device-code': false,
  'sign-out': true,
  'cancel-sign-in': 'absent',
} as const;

const CASES: StateCase[] = [
  {
    name: 'signed out',
    state: { ...BASE, account: { kind: 'signed-out', reason: 'never' } },
    icon: 'signed-out',
    headline: /^Signed out$/,
    tooltip: /^Presence Tray: Signed out$/,
    items: SIGNED_OUT_ITEMS,
    detail: /work or school account/,
  },
  {
    name: 'session expired',
    state: { ...BASE, account: { kind: 'signed-out', reason: 'session-expired' } },
    icon: 'signed-out',
    headline: /^Sign in again/,
    tooltip: /Sign in again/,
    items: SIGNED_OUT_ITEMS,
  },
  {
    name: 'signing in with browser',
    state: { ...BASE, account: { kind: 'signing-in', method: 'browser' } },
    icon: 'pending',
    headline: /finish in your browser/,
    tooltip: /Signing in/,
    items: { 'set-presence': false, clear: false, 'sign-in': false, 'sign-in-device-code': false, 'cancel-sign-in': true, 'sign-out': false },
  },
  {
    name: 'signing in with code',
    state: {
      ...BASE,
      account: { kind: 'signing-in', method: 'device-code', userCode: 'F7K2-QX9M', verificationUri: 'https://microsoft.com/devicelogin' },
    },
    icon: 'pending',
    headline: /enter code F7K2-QX9M at https:\/\/microsoft\.com\/devicelogin/,
    tooltip: /Signing in/,
    items: { 'set-presence': false, 'cancel-sign-in': true },
  },
  {
    name: 'admin consent needed',
    state: {
      ...BASE,
      account: { kind: 'admin-consent-needed', tenantId: 'contoso.onmicrosoft.com', adminConsentUrl: 'https://login.example/adminconsent' },
    },
    icon: 'error',
    headline: /Admin consent needed in tenant contoso\.onmicrosoft\.com/,
    tooltip: /Admin consent needed/,
    items: { 'set-presence': false, clear: false, 'sign-in': true, 'open-admin-consent': true, 'sign-out': false },
    detail: /another app registration/,
  },
  {
    name: 'personal account',
    state: { ...BASE, account: { kind: 'personal-account-unsupported', username: 'alice@outlook.com' } },
    icon: 'error',
    headline: /Personal account alice@outlook\.com/,
    tooltip: /Work or school account required/,
    items: { 'set-presence': false, clear: false, pause: false, 'sign-in': true, 'sign-out': true },
    detail: /work or school account/,
  },
  {
    name: 'no session',
    state: { ...BASE, shown: AVAILABLE },
    icon: 'no-session',
    headline: /^No presence set — Teams shows: Available$/,
    tooltip: /^Presence Tray: No presence set$/,
    items: { ...SIGNED_IN_ITEMS, pause: false },
  },
  {
    name: 'no session before readback',
    state: BASE,
    icon: 'no-session',
    headline: /^No presence set$/,
    tooltip: /No presence set/,
    items: { pause: false },
  },
  {
    name: 'busy pending readback',
    state: { ...BASE, session: active({ readback: { kind: 'pending', since: NOW, attempts: 1 } }), shown: AVAILABLE },
    icon: 'busy',
    headline: /^Busy \(in a call\) — Teams shows: Available · pending$/,
    tooltip: /^Presence Tray: Busy \(in a call\) · 42 min left · pending$/,
    items: { ...SIGNED_IN_ITEMS, pause: true },
    detail: /^42 min left$/,
  },
  {
    name: 'busy confirmed until cleared',
    state: { ...BASE, session: active({ intentUntil: null }), shown: BUSY_CALL },
    icon: 'busy',
    headline: /^Busy \(in a call\) — Teams shows: In a call$/,
    tooltip: /^Presence Tray: Busy \(in a call\)$/,
    items: { pause: true },
    detail: /^Until cleared$/,
  },
  {
    name: 'overridden in Teams',
    state: {
      ...BASE,
      session: active({
        pair: { availability: 'DoNotDisturb', activity: 'Presenting' },
        readback: { kind: 'overridden', shown: AVAILABLE, at: NOW },
      }),
      shown: AVAILABLE,
    },
    icon: 'available',
    headline: /^Do not disturb \(presenting\) — overridden by your Teams status: Available$/,
    tooltip: /overridden in Teams/,
    items: { pause: true },
  },
  {
    name: 'away readback unknown',
    state: { ...BASE, session: active({ pair: { availability: 'Away', activity: 'Away' }, readback: { kind: 'unknown' } }) },
    icon: 'away',
    headline: /^Away — Teams status not read yet$/,
    tooltip: /Away · 42 min left/,
    items: { pause: true },
  },
  {
    name: 'do not disturb',
    state: { ...BASE, session: active({ pair: { availability: 'DoNotDisturb', activity: 'Presenting' } }) },
    icon: 'dnd',
    headline: /^Do not disturb \(presenting\)/,
    tooltip: /Do not disturb/,
    items: { pause: true },
  },
  {
    name: 'available',
    state: { ...BASE, session: active({ pair: AVAILABLE }) },
    icon: 'available',
    headline: /^Available — /,
    tooltip: /Available/,
    items: { pause: true },
  },
  {
    name: 'paused',
    state: { ...BASE, session: { kind: 'paused' } },
    icon: 'paused',
    headline: /^Paused$/,
    tooltip: /Paused/,
    items: { ...SIGNED_IN_ITEMS, pause: false },
    detail: /Set a presence to resume/,
  },
  {
    name: 'clear pending',
    state: { ...BASE, session: { kind: 'clear-pending', since: NOW, lastError: 'Request timed out after 1500 ms' } },
    icon: 'clear-pending',
    headline: /^Clear pending/,
    tooltip: /Clear pending/,
    items: { ...SIGNED_IN_ITEMS, pause: false },
    detail: /Last clear error: Request timed out after 1500 ms/,
  },
  {
    name: 'clear pending signed out',
    state: {
      ...BASE,
      account: { kind: 'signed-out', reason: 'session-expired' },
      session: { kind: 'clear-pending', since: NOW, lastError: 'Sign-in required' },
    },
    icon: 'clear-pending',
    headline: /^Sign in again/,
    tooltip: /clear pending/,
    items: SIGNED_OUT_ITEMS,
    detail: /sign in to finish it/,
  },
  {
    name: 'throttled while busy',
    state: { ...BASE, session: active(), problem: { kind: 'throttled', message: 'Graph returned 429; retrying in 30 s' } },
    icon: 'busy',
    headline: /^Busy \(in a call\)/,
    tooltip: /throttled$/,
    items: { ...SIGNED_IN_ITEMS, pause: true },
    detail: /^Throttled by Microsoft Graph: Graph returned 429; retrying in 30 s$/,
  },
  {
    name: 'offline without session',
    state: { ...BASE, problem: { kind: 'offline', message: 'No network' } },
    icon: 'pending',
    headline: /^No presence set$/,
    tooltip: /offline$/,
    items: SIGNED_IN_ITEMS,
    detail: /^Offline: No network$/,
  },
  {
    name: 'error problem',
    state: { ...BASE, session: active(), problem: { kind: 'error', message: 'Graph returned 500' } },
    icon: 'error',
    headline: /^Busy \(in a call\)/,
    tooltip: /error$/,
    items: SIGNED_IN_ITEMS,
    detail: /^Error: Graph returned 500$/,
  },
  {
    name: 'sandbox without session',
    state: { ...BASE, sandbox: true },
    icon: 'sandbox',
    headline: /^No presence set$/,
    tooltip: /^Presence Tray \(sandbox\): /,
    items: SIGNED_IN_ITEMS,
    detail: /^Sandbox: nothing is sent to Microsoft$/,
  },
  {
    name: 'sandbox with session',
    state: { ...BASE, sandbox: true, session: active({ pair: AVAILABLE }) },
    icon: 'available',
    headline: /^Available/,
    tooltip: /^Presence Tray \(sandbox\): Available/,
    items: { pause: true },
    detail: /^Sandbox/,
  },
];

describe('tray model states', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const model = buildTrayModel(testCase.state, context());
      const first = model.menu[0];

      assert.equal(model.iconKey, testCase.icon, 'icon');
      assert.equal(first?.id, 'status', 'first item id');
      assert.equal(first?.enabled, false, 'first item enabled');
      assert.match(first?.label ?? '', testCase.headline, 'first line');
      assert.match(model.tooltip, testCase.tooltip, 'tooltip');
      assert.ok(model.tooltip.length <= MAX_TOOLTIP_LENGTH, `tooltip length ${model.tooltip.length}`);

      for (const [id, expected] of Object.entries(testCase.items)) {
        const item = find(model.menu, id);
        if (expected === 'absent') {
          assert.equal(item, undefined, `${id} absent`);
        } else {
          assert.equal(item?.enabled, expected, `${id} enabled`);
        }
      }

      if (testCase.detail !== undefined) {
        const details = model.menu.filter((item) => item.id.startsWith('status-detail-'));
        assert.ok(
          details.some((item) => testCase.detail!.test(item.label) && !item.enabled),
          `a disabled detail line matches ${testCase.detail}; got ${JSON.stringify(details.map((item) => item.label))}`,
        );
      }
    });
  }

  it('icon keys all listed', () => {
    for (const testCase of CASES) {
      assert.ok(TRAY_ICON_KEYS.includes(testCase.icon), testCase.icon);
    }
  });
});

describe('tray menu content', () => {
  const signedInMenu = buildTrayModel({ ...BASE, session: active() }, context()).menu;

  it('every action reachable from menu', () => {
    const ids = new Set(flatten(signedInMenu).map((item) => item.id));
    const required = ['clear', 'pause', 'sign-in', 'sign-in-device-code', 'sign-out', 'settings', 'toggle-start-at-login', 'quit'];
    for (const id of required) {
      assert.ok(ids.has(id), `menu has ${id}`);
    }
    for (const pair of SESSION_PAIRS) {
      for (const duration of SET_DURATIONS) {
        assert.ok(ids.has(setActionId(pair, duration.code)), `menu has ${setActionId(pair, duration.code)}`);
      }
    }
  });

  it('every clickable item parses', () => {
    const clickable = flatten(signedInMenu).filter((item) => item.type !== 'separator' && item.type !== 'submenu' && item.enabled);
    for (const item of clickable) {
      assert.notEqual(parseTrayAction(item.id), null, `${item.id} (${item.label}) is an action`);
    }
  });

  it('busy item sends InACall', () => {
    const busy = find(signedInMenu, 'set:Busy/InACall:PT1H');
    const action = parseTrayAction(busy?.id ?? '');

    assert.equal(busy?.label, 'For 1 hour');
    assert.deepEqual(action, { kind: 'set', request: { availability: 'Busy', activity: 'InACall', durationMs: 60 * MINUTE } });
  });

  it('no Busy/Busy item', () => {
    const ids = flatten(signedInMenu).map((item) => item.id);
    assert.equal(ids.some((id) => id.startsWith('set:Busy/Busy')), false);
  });

  it('current pair marked', () => {
    const current = find(signedInMenu, 'set:Busy/InACall');
    const other = find(signedInMenu, 'set:Away/Away');

    assert.equal(current?.label, 'Busy (in a call) — current');
    assert.equal(other?.label, 'Away');
  });

  it('username on account items', () => {
    assert.equal(find(signedInMenu, 'account')?.label, 'Account (alice@contoso.com)');
    assert.equal(find(signedInMenu, 'sign-out')?.label, 'Sign out alice@contoso.com');
    assert.equal(find(signedInMenu, 'account-status')?.label, 'Signed in as Alice Example (alice@contoso.com)');
  });

  it('quit is last', () => {
    assert.equal(signedInMenu.at(-1)?.id, 'quit');
  });

  it('start at login checkbox', () => {
    const off = find(buildTrayModel(BASE, context({}, { startAtLogin: false })).menu, 'toggle-start-at-login');
    const on = find(buildTrayModel(BASE, context({}, { startAtLogin: true })).menu, 'toggle-start-at-login');

    assert.equal(off?.type, 'checkbox');
    assert.equal(off?.checked, false);
    assert.equal(on?.checked, true);
  });

  it('paused item tells how to resume', () => {
    const pause = find(buildTrayModel({ ...BASE, session: { kind: 'paused' } }, context()).menu, 'pause');
    assert.equal(pause?.label, 'Paused: set a presence to resume');
  });

  it('clear pending item label', () => {
    const state: AppState = { ...BASE, session: { kind: 'clear-pending', since: NOW, lastError: 'timeout' } };
    assert.equal(find(buildTrayModel(state, context()).menu, 'clear')?.label, 'Clear presence now');
  });
});

describe('tray clear accelerator', () => {
  it('shown when shortcut works', () => {
    const clear = find(buildTrayModel(BASE, context()).menu, 'clear');
    assert.equal(clear?.accelerator, 'CommandOrControl+Alt+Shift+P');
  });

  it('normalized spelling', () => {
    const settings = { shortcut: { enabled: true, accelerator: 'ctrl+alt+c' } };
    const clear = find(buildTrayModel(BASE, context({}, settings)).menu, 'clear');
    assert.equal(clear?.accelerator, 'Control+Alt+C');
  });

  it('hidden when unavailable', () => {
    const clear = find(buildTrayModel(BASE, context({ shortcutAvailable: false })).menu, 'clear');
    assert.equal(clear?.accelerator, undefined);
  });

  it('hidden when disabled', () => {
    const settings = { shortcut: { enabled: false, accelerator: 'CommandOrControl+Alt+Shift+P' } };
    const clear = find(buildTrayModel(BASE, context({}, settings)).menu, 'clear');
    assert.equal(clear?.accelerator, undefined);
  });

  it('hidden when invalid', () => {
    const settings = { shortcut: { enabled: true, accelerator: 'P' } };
    const clear = find(buildTrayModel(BASE, context({}, settings)).menu, 'clear');
    assert.equal(clear?.accelerator, undefined);
  });
});

describe('tray platform details', () => {
  const busy: AppState = { ...BASE, session: active() };

  it('macOS title shows time left', () => {
    assert.equal(buildTrayModel(busy, context({ platform: 'darwin' })).title, '42m');
  });

  it('no title on Linux', () => {
    assert.equal(buildTrayModel(busy, context({ platform: 'linux' })).title, undefined);
  });

  it('no title until cleared', () => {
    const state: AppState = { ...BASE, session: active({ intentUntil: null }) };
    assert.equal(buildTrayModel(state, context({ platform: 'darwin' })).title, undefined);
  });

  it('macOS title marks sandbox', () => {
    assert.equal(buildTrayModel({ ...busy, sandbox: true }, context({ platform: 'darwin' })).title, 'Sandbox · 42m');
  });

  it('click plan follows setting', () => {
    const model = buildTrayModel(busy, context({ platform: 'win32' }, { tray: { clickAction: 'clear' } }));
    assert.deepEqual(model.click, { menu: 'context-menu', onClick: 'clear' });
  });
});

describe('tray long texts', () => {
  const longError = `Graph returned 503 ${'x'.repeat(300)}`;
  const model = buildTrayModel({ ...BASE, session: active(), problem: { kind: 'error', message: longError } }, context());

  it('tooltip capped', () => {
    assert.ok(model.tooltip.length <= MAX_TOOLTIP_LENGTH, `length ${model.tooltip.length}`);
  });

  it('detail line cut with ellipsis', () => {
    const detail = model.menu.find((item) => item.label.startsWith('Error: '));
    assert.ok(detail !== undefined, 'error line present');
    assert.ok(detail.label.length <= 100, `length ${detail.label.length}`);
    assert.ok(detail.label.endsWith('…'), detail.label);
  });
});

describe('tray time left', () => {
  const cases: [number | null, string][] = [
    [null, 'until cleared'],
    [NOW + 42 * MINUTE, '42 min left'],
    [NOW + 41 * MINUTE + 1, '42 min left'],
    [NOW + 30 * 1000, '1 min left'],
    [NOW + 60 * MINUTE, '1 h left'],
    [NOW + 125 * MINUTE, '2 h 5 min left'],
    [NOW, 'ending now'],
    [NOW - MINUTE, 'ending now'],
  ];
  for (const [until, expected] of cases) {
    it(`formats ${expected}`, () => {
      assert.equal(formatTimeLeft(until, NOW), expected);
    });
  }
});
