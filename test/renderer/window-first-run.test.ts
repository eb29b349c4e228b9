import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { NO_MANAGED_ACCOUNT } from '../../main/core/settings/managed.ts';
import { MemorySettingsStore } from '../fakes/settings-store.ts';
import { BrowserSuite, eventually, textWhen, type WindowHandle } from './harness.ts';

const GUID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';

let suite: BrowserSuite;

before(async () => {
  suite = await BrowserSuite.start();
});

after(async () => {
  await suite.close();
});

async function isVisible(window: WindowHandle, selector: string): Promise<boolean> {
  return window.page.locator(selector).isVisible();
}

describe('first run', () => {
  test('opens on account view', async () => {
    const window = await suite.openWindow();
    assert.equal(await isVisible(window, '#view-account'), true);
    assert.equal(await isVisible(window, '#view-status'), false);
    assert.equal(await window.page.getAttribute('#tab-account', 'aria-current'), 'page');
    await window.close();
  });

  test('loads without console errors', async () => {
    const window = await suite.openWindow();
    await window.page.click('#tab-status');
    await window.page.click('#tab-settings');
    assert.deepEqual(window.consoleErrors, []);
    assert.deepEqual(await window.page.evaluate('window.__cspViolations'), []);
    await window.close();
  });

  test('shows registration steps', async () => {
    const window = await suite.openWindow();
    const steps = (await window.page.locator('#registration-help li').allTextContents()).join('\n');
    assert.match(steps, /Mobile and desktop applications.*http:\/\/localhost/);
    assert.match(steps, /delegated permission Presence\.ReadWrite/);
    assert.match(steps, /Allow public client flows/);
    assert.match(steps, /public client/);
    await window.close();
  });

  test('valid account signs in', async () => {
    const window = await suite.openWindow();
    await window.page.fill('#client-id', ` ${GUID.toUpperCase()} `);
    await window.page.fill('#tenant', 'Contoso.onmicrosoft.com');
    await window.page.click('#sign-in-browser');
    await eventually(async () => window.app.calls.length, (count) => count > 0);
    assert.equal(window.settings.get().account.clientId, GUID);
    assert.equal(window.settings.get().account.tenant, 'contoso.onmicrosoft.com');
    assert.deepEqual(window.app.calls, [{ name: 'signIn', method: 'browser' }]);
    assert.match(await textWhen(window.page, '#account-panel', /Finish signing in/), /Finish signing in in your browser/);
    await window.close();
  });

  test('device code shown', async () => {
    const window = await suite.openWindow();
    await window.page.fill('#client-id', GUID);
    await window.page.click('#sign-in-code');
    assert.equal(await textWhen(window.page, '#account-device-code', /K7QX-2PLM/), 'K7QX-2PLM');
    await window.page.click('#account-open-device-page');
    await eventually(async () => window.opened.length, (count) => count > 0);
    assert.deepEqual(window.opened, ['https://microsoft.com/devicelogin']);
    await window.close();
  });

  test('cancel returns to signed out', async () => {
    const window = await suite.openWindow();
    await window.page.fill('#client-id', GUID);
    await window.page.click('#sign-in-code');
    await window.page.click('#account-cancel-sign-in');
    await eventually(async () => window.app.state().account.kind, (kind) => kind === 'signed-out');
    assert.deepEqual(window.app.calls.at(-1), { name: 'cancelSignIn' });
    await window.close();
  });

  test('sandbox starts', async () => {
    const window = await suite.openWindow();
    await window.page.click('#try-sandbox');
    await window.page.waitForSelector('#sandbox-badge:not([hidden])');
    assert.equal(window.sandboxStarts, 1);
    assert.equal(await isVisible(window, '#view-status'), true);
    await window.close();
  });

  test('managed values read-only', async () => {
    const settings = new MemorySettingsStore({
      managed: { ...NO_MANAGED_ACCOUNT, clientId: { value: GUID, source: 'PRESENCE_TRAY_CLIENT_ID' } },
    });
    const window = await suite.openWindow({ settings });
    assert.equal(await window.page.inputValue('#client-id'), GUID);
    assert.equal(await window.page.locator('#client-id').getAttribute('readonly'), '');
    assert.match((await window.page.textContent('#client-id-hint')) ?? '', /Set by your administrator \(PRESENCE_TRAY_CLIENT_ID\)/);
    await window.close();
  });

  test('missing bridge explained', async () => {
    const window = await suite.openWindow({ withoutBridge: true });
    assert.match(await textWhen(window.page, '#content', /connection/), /opened without its connection to Presence Tray/);
    await window.close();
  });
});

describe('invalid account values', () => {
  test('client ID checked as typed', async () => {
    const window = await suite.openWindow();
    await window.page.locator('#client-id').pressSequentially('6f1c3a52-xyz');
    assert.match((await window.page.textContent('#client-id-error')) ?? '', /"6f1c3a52-xyz" is not a GUID/);
    assert.equal(await window.page.getAttribute('#client-id', 'aria-invalid'), 'true');
    await window.close();
  });

  test('error clears when valid', async () => {
    const window = await suite.openWindow();
    await window.page.fill('#client-id', 'nope');
    await window.page.fill('#client-id', GUID);
    assert.equal(await window.page.textContent('#client-id-error'), '');
    assert.equal(await window.page.getAttribute('#client-id', 'aria-invalid'), null);
    await window.close();
  });

  test('error tied to field', async () => {
    const window = await suite.openWindow();
    assert.equal(await window.page.getAttribute('#client-id', 'aria-describedby'), 'client-id-hint client-id-error');
    await window.close();
  });

  const tenants: Array<[string, RegExp]> = [
    ['common', /work or school accounts/],
    ['consumers', /personal Microsoft accounts/],
    ['https://login.microsoftonline.com/contoso.com', /looks like a URL/],
    ['contoso', /not a tenant ID, a domain name or organizations/],
  ];
  test('tenant values rejected', async () => {
    const window = await suite.openWindow();
    for (const [tenant, reason] of tenants) {
      await window.page.fill('#tenant', tenant);
      assert.match((await window.page.textContent('#tenant-error')) ?? '', reason, tenant);
    }
    await window.close();
  });

  test('invalid submit saves nothing', async () => {
    const window = await suite.openWindow();
    await window.page.fill('#client-id', 'abc');
    await window.page.fill('#tenant', 'common');
    await window.page.click('#sign-in-browser');
    assert.equal(await window.page.evaluate('document.activeElement.id'), 'client-id');
    assert.equal(window.settings.saves.length, 0);
    assert.deepEqual(window.app.calls, []);
    await window.close();
  });

  test('empty submit shows missing', async () => {
    const window = await suite.openWindow();
    await window.page.click('#sign-in-browser');
    assert.match((await window.page.textContent('#client-id-error')) ?? '', /Client ID is missing/);
    await window.close();
  });
});

describe('keyboard only', () => {
  test('tab order reaches form', async () => {
    const window = await suite.openWindow();
    const order: string[] = [];
    for (let step = 0; step < 6; step += 1) {
      await window.page.keyboard.press('Tab');
      order.push(String(await window.page.evaluate('document.activeElement.id')));
    }
    assert.deepEqual(order, ['tab-account', 'tab-status', 'tab-settings', 'client-id', 'tenant', 'sign-in-browser']);
    await window.close();
  });

  test('sign in with keys only', async () => {
    const window = await suite.openWindow();
    for (let step = 0; step < 4; step += 1) {
      await window.page.keyboard.press('Tab');
    }
    await window.page.keyboard.type(GUID);
    await window.page.keyboard.press('Tab');
    await window.page.keyboard.press('Control+A');
    await window.page.keyboard.type('contoso.com');
    await window.page.keyboard.press('Enter');
    await eventually(async () => window.app.calls.length, (count) => count > 0);
    assert.deepEqual(window.app.calls, [{ name: 'signIn', method: 'browser' }]);
    assert.equal(window.settings.get().account.tenant, 'contoso.com');
    await window.close();
  });

  test('focus is visible', async () => {
    const window = await suite.openWindow();
    for (let step = 0; step < 6; step += 1) {
      await window.page.keyboard.press('Tab');
      const outline = String(await window.page.evaluate('getComputedStyle(document.activeElement).outlineStyle'));
      assert.notEqual(outline, 'none', `focus ${step + 1} has no outline`);
    }
    await window.close();
  });

  test('tabs switch with Enter', async () => {
    const window = await suite.openWindow();
    await window.page.keyboard.press('Tab');
    await window.page.keyboard.press('Tab');
    await window.page.keyboard.press('Tab');
    await window.page.keyboard.press('Enter');
    assert.equal(await isVisible(window, '#view-settings'), true);
    assert.equal(await window.page.evaluate('document.activeElement.id'), 'settings-title');
    await window.close();
  });
});

describe('content security policy', () => {
  test('blocks inline script', async () => {
    const window = await suite.openWindow();
    await window.page.evaluate(`(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true;';
      document.body.append(script);
    })()`);
    assert.equal(await window.page.evaluate('window.inlineRan === true'), false);
    const violations = await eventually(async () => (await window.page.evaluate('window.__cspViolations')) as string[], (list) => list.length > 0);
    assert.match(violations.join('\n'), /script-src/);
    assert.match(window.consoleErrors.join('\n'), /Content Security Policy/);
    await window.close();
  });

  test('blocks inline style', async () => {
    const window = await suite.openWindow();
    await window.page.evaluate(`document.querySelector('h1').setAttribute('style', 'display: none')`);
    assert.equal(await isVisible(window, 'h1'), true);
    await window.close();
  });

  test('blocks network requests', async () => {
    const window = await suite.openWindow();
    const result = await window.page.evaluate(`fetch('/renderer/styles.css').then(() => 'loaded', () => 'blocked')`);
    assert.equal(result, 'blocked');
    await window.close();
  });
});
