// Takes the settings window screenshots in docs/screenshots/ (first run, status, settings) in
// headless Chromium, with the same test bridge as the window tests.
// Usage: node --import tsx scripts/screenshots.ts
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import type { AppState } from '../main/core/app-state.ts';
import { DEFAULT_SETTINGS } from '../main/core/settings/settings.ts';
import { FakePresenceApp } from '../test/renderer/fake-app.ts';
import { BrowserSuite, FIXED_NOW } from '../test/renderer/harness.ts';
import { MemorySettingsStore } from '../test/fakes/settings-store.ts';

const OUT = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const CLIENT_ID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';
const TENANT_ID = 'c2d8e0f4-1a3b-4c5d-8e9f-0a1b2c3d4e5f';

const SIGNED_IN: AppState = {
  account: { kind: 'signed-in', username: 'adele.vance@contoso.onmicrosoft.com', displayName: 'Adele Vance', objectId: '8a6b2c1d-3e4f-4a5b-9c6d-7e8f9a0b1c2d', tenantId: TENANT_ID },
  session: {
    kind: 'active',
    pair: { availability: 'Busy', activity: 'InACall' },
    intentUntil: FIXED_NOW + 55 * 60_000,
    expiresAt: FIXED_NOW + 9 * 60_000 + 40_000,
    nextRefreshAt: FIXED_NOW + 3 * 60_000 + 20_000,
    readback: { kind: 'pending', since: FIXED_NOW - 45_000, attempts: 2 },
  },
  shown: { availability: 'Available', activity: 'Available' },
  lastClear: { at: FIXED_NOW - 26 * 60_000, trigger: 'suspend', result: 'cleared', requestId: '5e0a9c3b-72f1-4d8e-a6b4-19c0d2e3f4a5' },
  problem: null,
  sandbox: false,
};

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const suite = await BrowserSuite.start();
  try {
    const firstRun = await suite.openWindow();
    await firstRun.page.fill('#client-id', '6f1c3a52-8d0e-4b7a');
    await firstRun.page.click('#registration-help summary');
    await firstRun.page.screenshot({ path: join(OUT, 'first-run.png'), fullPage: true });
    await firstRun.close();

    const configured = structuredClone(DEFAULT_SETTINGS);
    configured.account.clientId = CLIENT_ID;
    configured.account.tenant = 'contoso.onmicrosoft.com';
    const status = await suite.openWindow({ app: new FakePresenceApp(SIGNED_IN), settings: new MemorySettingsStore({ initial: configured }) });
    await status.page.screenshot({ path: join(OUT, 'status.png'), fullPage: true });
    await status.close();

    const settings = await suite.openWindow({
      app: new FakePresenceApp(SIGNED_IN),
      settings: new MemorySettingsStore({ initial: configured }),
      environment: {
        platform: 'linux',
        proxy: 'http://proxy.contoso.com:8080',
        shortcuts: {
          mode: 'unsupported',
          reason: 'The app runs through XWayland on a Wayland session, where key grabs work only while an app window has focus.',
          fallbackCommand: 'presence-tray clear',
        },
        secretStorage: 'none',
        lockEventsSupported: false,
      },
    });
    await settings.page.click('#tab-settings');
    await settings.page.click('#advanced summary');
    await settings.page.screenshot({ path: join(OUT, 'settings.png'), fullPage: true });
    await settings.close();
  } finally {
    await suite.close();
  }
  console.log(`Screenshots written to ${OUT}`);
}

await main();
