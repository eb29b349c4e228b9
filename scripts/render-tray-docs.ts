/**
 * Writes `docs/tray.md` from the pure tray model: for each example state, the icon, the tooltip
 * and the menu. Run it with `npm run docs:tray` after changing the tray model; a unit test
 * fails while the committed file differs from what this script renders.
 */

import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppState } from '../main/core/app-state.ts';
import { DEFAULT_SETTINGS, type TrayClickAction } from '../main/core/settings/settings.ts';
import { decideClickAction } from '../main/core/tray/tray-click.ts';
import { TRAY_ICON_KEYS, trayIconFile2x, type TrayIconKey, type TrayPlatform } from '../main/core/tray/tray-icons.ts';
import { buildTrayModel, type TrayContext, type TrayMenuItem } from '../main/core/tray/tray-model.ts';

/** The wall-clock time every example is rendered at, so the output never changes by itself. */
export const DOCS_NOW_MS = Date.UTC(2026, 11, 4, 9, 0, 0);
const MINUTE = 60_000;

const ALICE = {
  kind: 'signed-in',
  username: 'alice@contoso.com',
  displayName: 'Alice Example',
  objectId: '00000000-0000-0000-0000-0000000000a1',
  tenantId: 'contoso.onmicrosoft.com',
} as const;

const BASE: AppState = {
  account: ALICE,
  session: { kind: 'none' },
  shown: null,
  lastClear: null,
  problem: null,
  sandbox: false,
};

const BUSY_CALL = { availability: 'Busy', activity: 'InACall' };

function active(overrides: Partial<Extract<AppState['session'], { kind: 'active' }>>): AppState['session'] {
  return {
    kind: 'active',
    pair: BUSY_CALL,
    intentUntil: DOCS_NOW_MS + 42 * MINUTE,
    expiresAt: DOCS_NOW_MS + 10 * MINUTE,
    nextRefreshAt: DOCS_NOW_MS + 4 * MINUTE,
    readback: { kind: 'confirmed', at: DOCS_NOW_MS - MINUTE },
    ...overrides,
  };
}

/** The states the docs show, in order; the tray-model tests cover more combinations. */
export const TRAY_DOC_EXAMPLES: readonly { title: string; state: AppState }[] = [
  { title: 'Signed out', state: { ...BASE, account: { kind: 'signed-out', reason: 'never' } } },
  { title: 'Session expired', state: { ...BASE, account: { kind: 'signed-out', reason: 'session-expired' } } },
  { title: 'Signing in with the browser', state: { ...BASE, account: { kind: 'signing-in', method: 'browser' } } },
  {
    title: 'Signing in with a code',
    state: {
      ...BASE,
      account: { kind: 'signing-in', method: 'device-code', userCode: 'F7K2-QX9M', verificationUri: 'https://microsoft.com/devicelogin' },
    },
  },
  {
    title: 'Admin consent needed',
    state: {
      ...BASE,
      account: {
        kind: 'admin-consent-needed',
        tenantId: 'contoso.onmicrosoft.com',
        adminConsentUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=11111111-2222-3333-4444-555555555555',
      },
    },
  },
  {
    title: 'Personal account',
    state: { ...BASE, account: { kind: 'personal-account-unsupported', username: 'alice@outlook.com' } },
  },
  { title: 'No presence set', state: { ...BASE, shown: { availability: 'Available', activity: 'Available' } } },
  {
    title: 'Busy, waiting for Teams to show it',
    state: {
      ...BASE,
      session: active({ readback: { kind: 'pending', since: DOCS_NOW_MS - MINUTE, attempts: 1 } }),
      shown: { availability: 'Available', activity: 'Available' },
    },
  },
  {
    title: 'Busy until cleared, confirmed',
    state: { ...BASE, session: active({ intentUntil: null }), shown: BUSY_CALL },
  },
  {
    title: 'Do not disturb, overridden in Teams',
    state: {
      ...BASE,
      session: active({
        pair: { availability: 'DoNotDisturb', activity: 'Presenting' },
        intentUntil: DOCS_NOW_MS + 125 * MINUTE,
        readback: { kind: 'overridden', shown: { availability: 'Available', activity: 'Available' }, at: DOCS_NOW_MS },
      }),
      shown: { availability: 'Available', activity: 'Available' },
    },
  },
  {
    title: 'Away, not read back yet',
    state: {
      ...BASE,
      session: active({ pair: { availability: 'Away', activity: 'Away' }, intentUntil: DOCS_NOW_MS + 30 * MINUTE, readback: { kind: 'unknown' } }),
    },
  },
  { title: 'Paused', state: { ...BASE, session: { kind: 'paused' }, shown: { availability: 'Offline', activity: 'Offline' } } },
  {
    title: 'Clear pending',
    state: { ...BASE, session: { kind: 'clear-pending', since: DOCS_NOW_MS - 2 * MINUTE, lastError: 'Request to graph.microsoft.com timed out after 1500 ms' } },
  },
  {
    title: 'Clear pending while signed out',
    state: {
      ...BASE,
      account: { kind: 'signed-out', reason: 'session-expired' },
      session: { kind: 'clear-pending', since: DOCS_NOW_MS - 2 * MINUTE, lastError: 'Sign-in required' },
    },
  },
  {
    title: 'Throttled',
    state: {
      ...BASE,
      session: active({}),
      shown: BUSY_CALL,
      problem: { kind: 'throttled', message: 'Graph returned 429; retrying in 30 s' },
    },
  },
  { title: 'Offline', state: { ...BASE, problem: { kind: 'offline', message: 'No network; retrying when it returns' } } },
  {
    title: 'Error',
    state: { ...BASE, problem: { kind: 'error', message: 'Graph returned 500 to GET presence (request-id 3f2a…)' } },
  },
  { title: 'Sandbox, no presence set', state: { ...BASE, sandbox: true } },
  {
    title: 'Sandbox, Available for 30 min',
    state: {
      ...BASE,
      sandbox: true,
      session: active({ pair: { availability: 'Available', activity: 'Available' }, intentUntil: DOCS_NOW_MS + 30 * MINUTE }),
      shown: { availability: 'Available', activity: 'Available' },
    },
  },
];

/** Shape of each icon, in words. */
const ICON_SHAPES: Readonly<Record<TrayIconKey, string>> = {
  'signed-out': 'ring with a cross',
  'no-session': 'empty ring',
  available: 'disc with a check mark',
  busy: 'solid disc',
  away: 'disc with clock hands',
  dnd: 'disc with a bar',
  pending: 'ring with three dots',
  paused: 'ring with two bars',
  'clear-pending': 'disc with an exclamation mark',
  error: 'triangle with an exclamation mark',
  sandbox: 'square frame with a small square',
};

const DOCS_CONTEXT: TrayContext = {
  settings: DEFAULT_SETTINGS,
  platform: 'linux',
  nowWallMs: DOCS_NOW_MS,
  shortcutAvailable: true,
};

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function iconImage(key: TrayIconKey, platform: TrayPlatform): string {
  return `![${key}](../assets/${trayIconFile2x(key, platform)})`;
}

/** Renders menu items as a nested list; the durations under each presence are left out. */
function renderMenu(items: readonly TrayMenuItem[], depth: number, parentId: string | null): string[] {
  const lines: string[] = [];
  const indent = '  '.repeat(depth);
  for (const item of items) {
    if (item.type === 'separator') {
      lines.push(`${indent}- ───`);
      continue;
    }

    let text = escapeMarkdown(item.label);
    if (item.type === 'checkbox') {
      text = `${item.checked === true ? '☑' : '☐'} ${text}`;
    }
    if (item.accelerator !== undefined) {
      text += ` \`${item.accelerator}\``;
    }
    if (item.type === 'submenu') {
      text += ' ▸';
    }
    if (!item.enabled) {
      text += ' *(disabled)*';
    }
    lines.push(`${indent}- ${text}`);

    if (item.submenu !== undefined && parentId !== 'set-presence') {
      lines.push(...renderMenu(item.submenu, depth + 1, item.id));
    }
  }
  return lines;
}

function renderIconTable(): string[] {
  const lines = ['| key | Linux and Windows | macOS (Template) | shape |', '| --- | --- | --- | --- |'];
  for (const key of TRAY_ICON_KEYS) {
    lines.push(`| \`${key}\` | ${iconImage(key, 'linux')} | ${iconImage(key, 'darwin')} | ${ICON_SHAPES[key]} |`);
  }
  return lines;
}

function renderClickTable(): string[] {
  const clickActions: TrayClickAction[] = ['open-menu', 'clear', 'open-settings', 'toggle-pause'];
  const platforms: TrayPlatform[] = ['linux', 'win32', 'darwin'];
  const lines = [`| click setting | ${platforms.join(' | ')} |`, `| --- |${' --- |'.repeat(platforms.length)}`];
  for (const clickAction of clickActions) {
    const cells = platforms.map((platform) => {
      const plan = decideClickAction(clickAction, platform);
      return `menu: ${plan.menu}; click: ${plan.onClick}`;
    });
    lines.push(`| \`${clickAction}\` | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Returns the first presence under "Set presence", with its durations. */
function firstPresenceSubmenu(): TrayMenuItem[] {
  const menu = buildTrayModel(BASE, DOCS_CONTEXT).menu;
  const setPresence = menu.find((item) => item.id === 'set-presence');
  const first = setPresence?.submenu?.[0];
  if (first === undefined) {
    throw new Error('The tray menu has no "Set presence" submenu with a presence in it; update renderTrayDocs.');
  }
  return [first];
}

/** Returns the whole Markdown text of `docs/tray.md`. */
export function renderTrayDocs(): string {
  const lines: string[] = [
    '# Tray icon and menu',
    '',
    '<!-- Generated by scripts/render-tray-docs.ts (npm run docs:tray) from the tray model. Do not edit by hand. -->',
    '',
    'The tray shows the state in three ways that do not depend on colour: the icon\'s shape, the tooltip,',
    'and the first, disabled line of the menu. Every action is in the menu, because on Linux the desktop',
    'decides what a click on the icon does, and some desktops do nothing.',
    '',
    `The examples below are rendered for Linux at a fixed time, with the default settings (shortcut`,
    `\`${DEFAULT_SETTINGS.shortcut.accelerator}\`). On macOS the icons are the black Template images,`,
    'the menu is the same, and the time left also shows beside the icon. On Windows the icons come from one',
    'ICO file per state. Under "Set presence", each presence has the same submenu:',
    '',
    ...renderMenu(firstPresenceSubmenu(), 0, null),
    '',
    '## Icons',
    '',
    ...renderIconTable(),
    '',
    '## Click on the icon',
    '',
    'Where the menu is attached and what a click does, per platform and "click" setting:',
    '',
    ...renderClickTable(),
    '',
    '## States',
  ];

  for (const example of TRAY_DOC_EXAMPLES) {
    const model = buildTrayModel(example.state, DOCS_CONTEXT);
    lines.push(
      '',
      `### ${example.title}`,
      '',
      `${iconImage(model.iconKey, 'linux')} \`${model.iconKey}\``,
      '',
      `Tooltip: ${escapeMarkdown(model.tooltip)}`,
      '',
      ...renderMenu(model.menu, 0, null),
    );
  }

  return `${lines.join('\n')}\n`;
}

function main(): void {
  const target = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'docs', 'tray.md');
  writeFileSync(target, renderTrayDocs());
  console.log(`Wrote ${target}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}
