import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import fc from 'fast-check';

import type { AppState } from '../../main/core/app-state.ts';
import { connectPushChannels, createIpcHandlers, dispatchIpcInvoke, HELP_URLS, type IpcHandlers } from '../../main/core/ipc/handlers.ts';
import type { IpcSender, TrustedSenders } from '../../main/core/ipc/sender.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import { INVOKE_CHANNELS, type IpcReply, type ShortcutCheck, type WindowEnvironment } from '../../main/ipc-contract.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { MemorySettingsStore } from '../fakes/settings-store.ts';
import { FakePresenceApp, SIGNED_OUT_STATE } from '../renderer/fake-app.ts';

const GUID = '6f1c3a52-8d0e-4b7a-9c21-3e5d7f9a0b14';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU';
const PAGE = 'file:///opt/presence-tray/resources/app.asar/dist/renderer/index.html';

const ENVIRONMENT: WindowEnvironment = {
  platform: 'linux',
  proxy: null,
  shortcuts: { mode: 'native', reason: 'X11', fallbackCommand: null },
  secretStorage: 'os',
  lockEventsSupported: false,
};

interface Setup {
  handlers: IpcHandlers;
  app: FakePresenceApp;
  settings: MemorySettingsStore;
  opened: string[];
  shortcutChecks: string[];
  log: MemoryLog;
}

function setup(state: AppState = SIGNED_OUT_STATE): Setup {
  const log = new MemoryLog();
  const app = new FakePresenceApp(state);
  const settings = new MemorySettingsStore();
  const opened: string[] = [];
  const shortcutChecks: string[] = [];
  const handlers = createIpcHandlers({
    app,
    settings,
    environment: () => ENVIRONMENT,
    checkShortcut: async (accelerator): Promise<ShortcutCheck> => {
      shortcutChecks.push(accelerator);
      return { status: 'available', accelerator, message: 'ok', fallbackCommand: null };
    },
    browser: {
      open: async (url) => {
        opened.push(url);
      },
    },
    startSandbox: async () => {
      throw new Error('port 8443 is in use');
    },
    logger: log.logger,
  });
  return { handlers, app, settings, opened, shortcutChecks, log };
}

function errorOf(reply: IpcReply<unknown>): { code: string; message: string; field?: string } {
  assert.equal(reply.ok, false, `expected an error reply, got ${JSON.stringify(reply)}`);
  return reply.ok ? { code: '', message: '' } : reply.error;
}

describe('handlers with random payloads', () => {
  test('never reject', async () => {
    const { handlers } = setup();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INVOKE_CHANNELS), fc.anything({ maxDepth: 3, withNullPrototype: true, withMap: true, withSet: true }), async (channel, payload) => {
        const reply = await handlers[channel](payload);
        assert.equal(typeof reply.ok, 'boolean');
        if (!reply.ok) {
          assert.ok(reply.error.message.length > 0);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('objects near the shape', async () => {
    const { handlers, app } = setup();
    const nearSetPresence = fc.record(
      {
        availability: fc.oneof(fc.constantFrom('Available', 'Busy', 'Away', 'DoNotDisturb', 'busy', 'Offline'), fc.anything()),
        activity: fc.oneof(fc.constantFrom('InACall', 'Busy', 'Presenting', 'Available'), fc.anything()),
        durationMs: fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.anything()),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(nearSetPresence, async (payload) => {
        const before = app.calls.length;
        const reply = await handlers['presence:set'](payload);
        assert.equal(reply.ok, app.calls.length === before + 1);
      }),
      { numRuns: 400 },
    );
  });

  test('settings patches near the shape', async () => {
    const { handlers, settings } = setup();
    const value = fc.oneof(fc.boolean(), fc.integer({ min: -10, max: 300 }), fc.constantFrom(GUID, 'common', 'contoso.com', 'beta', 'Ctrl+Alt+K', null), fc.anything());
    const patch = fc.dictionary(
      fc.constantFrom('account', 'presence', 'clearOn', 'shortcut', 'tray', 'budgetsMs', 'startAtLogin', 'version', '__proto__', 'other'),
      fc.oneof(value, fc.dictionary(fc.constantFrom('clientId', 'tenant', 'homeAccountId', 'selfExpiryMinutes', 'quit', 'accelerator', 'enabled', 'x'), value)),
    );
    await fc.assert(
      fc.asyncProperty(patch, async (payload) => {
        const reply = await handlers['settings:update'](payload);
        // Whatever happened, the stored settings stay valid.
        assert.doesNotThrow(() => new MemorySettingsStore({ initial: settings.get() }));
        if (!reply.ok) {
          assert.equal(reply.error.code, 'invalid-settings');
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('payload rejections', () => {
  const cases: Array<[string, string, unknown, string | undefined]> = [
    ['state:get with payload', 'state:get', { all: true }, undefined],
    ['set not object', 'presence:set', 'Busy', undefined],
    ['set unknown availability', 'presence:set', { availability: 'Offline', durationMs: null }, 'availability'],
    ['set wrong pair', 'presence:set', { availability: 'Busy', activity: 'Busy', durationMs: null }, 'activity'],
    ['set short duration', 'presence:set', { availability: 'Away', durationMs: 1000 }, 'durationMs'],
    ['set fractional duration', 'presence:set', { availability: 'Away', durationMs: 60_000.5 }, 'durationMs'],
    ['set missing duration', 'presence:set', { availability: 'Away' }, 'durationMs'],
    ['set extra field', 'presence:set', { availability: 'Away', durationMs: null, presenceId: 'x' }, 'presenceId'],
    ['sign-in method', 'auth:sign-in', { method: 'password' }, 'method'],
    ['shortcut too long', 'shortcut:test', { accelerator: 'A'.repeat(101) }, 'accelerator'],
    ['help unknown topic', 'app:open-external-help', { topic: 'https://evil.example' }, 'topic'],
  ];
  for (const [name, channel, payload, field] of cases) {
    test(name, async () => {
      const { handlers, app } = setup();
      const error = errorOf(await handlers[channel as keyof IpcHandlers](payload));
      assert.equal(error.code, 'invalid-payload');
      assert.equal(error.field, field);
      assert.equal(app.calls.length, 0);
    });
  }

  test('rejection is logged', async () => {
    const { handlers, log } = setup();
    await handlers['auth:sign-in']({ method: 'password' });
    assert.match(log.text(), /WARN \[test.ipc\] payload rejected channel="auth:sign-in" field="method"/);
  });
});

describe('handler results', () => {
  test('set passes request', async () => {
    const { handlers, app } = setup();
    const reply = await handlers['presence:set']({ availability: 'Busy', activity: 'InAConferenceCall', durationMs: 3_600_000 });
    assert.deepEqual(reply, { ok: true, value: null });
    assert.deepEqual(app.calls, [{ name: 'setPresence', request: { availability: 'Busy', activity: 'InAConferenceCall', durationMs: 3_600_000 } }]);
  });

  test('clear uses window trigger', async () => {
    const { handlers, app } = setup();
    await handlers['presence:clear'](undefined);
    assert.deepEqual(app.calls, [{ name: 'clearPresence', trigger: 'window' }]);
  });

  test('sign-in passes method', async () => {
    const { handlers, app } = setup();
    await handlers['auth:sign-in']({ method: 'device-code' });
    assert.deepEqual(app.calls, [{ name: 'signIn', method: 'device-code' }]);
  });

  test('settings update saves', async () => {
    const { handlers, settings } = setup();
    const reply = await handlers['settings:update']({ clearOn: { suspend: false } });
    assert.equal(reply.ok, true);
    assert.equal(settings.get().clearOn.suspend, false);
  });

  test('settings update returns view', async () => {
    const { handlers } = setup();
    const reply = await handlers['settings:update']({ presence: { selfExpiryMinutes: 60 } });
    assert.equal(reply.ok ? reply.value.settings.presence.selfExpiryMinutes : 0, 60);
    assert.deepEqual(reply.ok ? reply.value.environment : null, ENVIRONMENT);
  });

  const locked: Array<[string, unknown, string]> = [
    ['home account', { account: { homeAccountId: 'a.b' } }, 'account.homeAccountId'],
    ['budget', { budgetsMs: { quit: 5000 } }, 'budgetsMs.quit'],
  ];
  for (const [name, patch, field] of locked) {
    test(`window cannot set ${name}`, async () => {
      const { handlers, settings } = setup();
      const error = errorOf(await handlers['settings:update'](patch));
      assert.equal(error.field, field);
      assert.deepEqual(settings.get(), DEFAULT_SETTINGS);
    });
  }

  test('invalid setting names field', async () => {
    const { handlers } = setup();
    const error = errorOf(await handlers['settings:update']({ account: { tenant: 'consumers' } }));
    assert.equal(error.code, 'invalid-settings');
    assert.equal(error.field, 'account.tenant');
  });

  test('save failure reported', async () => {
    const { handlers, settings } = setup();
    settings.failNextSave(new Error('ENOSPC: no space left on device'));
    const error = errorOf(await handlers['settings:update']({ startAtLogin: true }));
    assert.equal(error.code, 'failed');
    assert.match(error.message, /ENOSPC/);
  });

  test('core error redacted', async () => {
    const { handlers, app } = setup();
    app.signIn = async () => {
      throw new Error(`token endpoint said Bearer ${JWT}`);
    };
    const error = errorOf(await handlers['auth:sign-in']({ method: 'browser' }));
    assert.doesNotMatch(error.message, /eyJ/);
    assert.match(error.message, /auth:sign-in failed/);
  });

  test('state errors redacted', async () => {
    const { handlers } = setup({ ...SIGNED_OUT_STATE, problem: { kind: 'error', message: `refresh failed for ${JWT}` } });
    const reply = await handlers['state:get'](undefined);
    assert.doesNotMatch(JSON.stringify(reply), /eyJ/);
  });

  test('sandbox failure reported', async () => {
    const { handlers } = setup();
    assert.match(errorOf(await handlers['sandbox:start'](undefined)).message, /port 8443 is in use/);
  });

  test('invalid shortcut not checked', async () => {
    const { handlers, shortcutChecks } = setup();
    const reply = await handlers['shortcut:test']({ accelerator: 'Shift+A' });
    assert.equal(reply.ok ? reply.value.status : '', 'invalid');
    assert.deepEqual(shortcutChecks, []);
  });

  test('valid shortcut normalized', async () => {
    const { handlers, shortcutChecks } = setup();
    await handlers['shortcut:test']({ accelerator: 'alt+ctrl+k' });
    assert.deepEqual(shortcutChecks, ['Control+Alt+K']);
  });
});

describe('help pages', () => {
  test('registration guide', async () => {
    const { handlers, opened } = setup();
    await handlers['app:open-external-help']({ topic: 'app-registration' });
    assert.deepEqual(opened, [HELP_URLS['app-registration']]);
  });

  test('device page while signing in', async () => {
    const { handlers, opened } = setup({ ...SIGNED_OUT_STATE, account: { kind: 'signing-in', method: 'device-code', userCode: 'ABC', verificationUri: 'https://microsoft.com/devicelogin' } });
    await handlers['app:open-external-help']({ topic: 'device-code' });
    assert.deepEqual(opened, ['https://microsoft.com/devicelogin']);
  });

  test('device page when signed out', async () => {
    const { handlers, opened } = setup();
    assert.match(errorOf(await handlers['app:open-external-help']({ topic: 'device-code' })).message, /no device-code page/);
    assert.deepEqual(opened, []);
  });

  test('non-https consent page refused', async () => {
    const { handlers, opened } = setup({ ...SIGNED_OUT_STATE, account: { kind: 'admin-consent-needed', tenantId: GUID, adminConsentUrl: 'javascript:alert(1)' } });
    assert.match(errorOf(await handlers['app:open-external-help']({ topic: 'admin-consent' })).message, /rather than https/);
    assert.deepEqual(opened, []);
  });
});

describe('dispatchIpcInvoke', () => {
  const trusted: TrustedSenders = { webContentsIds: new Set([3]), pageUrls: [PAGE] };
  const ours: IpcSender = { senderUrl: PAGE, frameIsMain: true, webContentsId: 3 };

  test('trusted sender answered', async () => {
    const { handlers, log } = setup();
    const reply = await dispatchIpcInvoke(handlers, 'settings:get', undefined, ours, trusted, log.logger);
    assert.equal(reply.ok, true);
  });

  test('untrusted sender rejected', async () => {
    const { handlers, app, log } = setup();
    const reply = await dispatchIpcInvoke(handlers, 'presence:clear', undefined, { ...ours, frameIsMain: false }, trusted, log.logger);
    assert.equal(errorOf(reply).code, 'untrusted-sender');
    assert.equal(app.calls.length, 0);
  });

  test('untrusted sender logged', async () => {
    const { handlers, log } = setup();
    await dispatchIpcInvoke(handlers, 'presence:clear', undefined, { ...ours, senderUrl: 'https://evil.example/x?secret=1' }, trusted, log.logger);
    assert.match(log.text(), /untrusted sender rejected.*https:\/\/evil\.example\/x"/);
  });

  test('unknown channel rejected', async () => {
    const { handlers, log } = setup();
    assert.equal(errorOf(await dispatchIpcInvoke(handlers, 'shell:exec', 'rm -rf', ours, trusted, log.logger)).code, 'unknown-channel');
  });

  test('prototype key is not a channel', async () => {
    const { handlers, log } = setup();
    assert.equal(errorOf(await dispatchIpcInvoke(handlers, 'constructor', undefined, ours, trusted, log.logger)).code, 'unknown-channel');
  });
});

describe('connectPushChannels', () => {
  function connect() {
    const { app, settings, log } = setup();
    const sent: Array<{ channel: string; payload: unknown }> = [];
    let failing = false;
    const stop = connectPushChannels({ app, settings, environment: () => ENVIRONMENT, logger: log.logger }, (channel, payload) => {
      if (failing) {
        throw new Error('Object has been destroyed');
      }
      sent.push({ channel, payload });
    });
    return { app, settings, log, sent, stop, fail: () => (failing = true) };
  }

  test('state change pushed', () => {
    const { app, sent } = connect();
    app.setState({ ...SIGNED_OUT_STATE, sandbox: true });
    assert.deepEqual(sent.map((message) => message.channel), ['state:changed']);
  });

  test('pushed state redacted', () => {
    const { app, sent } = connect();
    app.setState({ ...SIGNED_OUT_STATE, problem: { kind: 'error', message: `Bearer ${JWT}` } });
    assert.doesNotMatch(JSON.stringify(sent), /eyJ/);
  });

  test('settings change pushed', () => {
    const { settings, sent } = connect();
    settings.update({ startAtLogin: true });
    assert.deepEqual(sent.map((message) => message.channel), ['settings:changed']);
  });

  test('stop ends pushes', () => {
    const { app, sent, stop } = connect();
    stop();
    app.setState(SIGNED_OUT_STATE);
    assert.deepEqual(sent, []);
  });

  test('send failure logged', () => {
    const { app, log, fail } = connect();
    fail();
    assert.doesNotThrow(() => app.setState(SIGNED_OUT_STATE));
    assert.match(log.text(), /push to the settings window failed.*destroyed/);
  });
});
