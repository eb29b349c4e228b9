/**
 * Random IPC payloads from the settings window: 10,000 cases through the real handlers and the
 * real settings model, half of them any value at all and half shaped like the contract with
 * random leaves. Every reply must arrive (no rejection), rejections must name what was wrong
 * without echoing a token, and a rejected settings update must change nothing.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import fc from 'fast-check';

import { createIpcHandlers, dispatchIpcInvoke } from '../../main/core/ipc/handlers.ts';
import type { IpcSender, TrustedSenders } from '../../main/core/ipc/sender.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import { INVOKE_CHANNELS, type InvokeChannel, type IpcReply, type ShortcutCheck } from '../../main/ipc-contract.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { MemorySettingsStore } from '../fakes/settings-store.ts';
import { FakePresenceApp } from '../renderer/fake-app.ts';
import { processFaultMark, processFaultsSince } from './support/process-guard.ts';
import { chooseSeed } from './support/seeded-random.ts';

const RUNS = 10_000;

/** A token-shaped string planted in payloads; no reply may carry it back. */
const PLANTED_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJmdXp6LXRlc3QifQ.c2lnbmF0dXJlLWZ1enotdGVzdA';

const ERROR_CODES = new Set(['untrusted-sender', 'unknown-channel', 'invalid-payload', 'invalid-settings', 'failed']);

const TRUSTED_PAGE = 'file:///opt/presence-tray/resources/app.asar/dist/renderer/index.html';

/** Leaves that are valid somewhere in the contract, wrong elsewhere, or hostile. */
const leaf = fc.oneof(
  fc.constantFrom('Available', 'Busy', 'Away', 'DoNotDisturb', 'Offline', 'InACall', 'browser', 'device-code', 'v1.0', 'beta'),
  fc.constantFrom('CommandOrControl+Alt+Shift+P', 'Ctrl+Shift+F13', 'Alt+Space', 'Super+L', '', ' ', PLANTED_TOKEN),
  fc.constantFrom('open-menu', 'clear', 'app-registration', 'admin-consent', '__proto__', 'constructor'),
  fc.integer({ min: -10_000, max: 10_000_000 }),
  fc.constantFrom(0, 5, 15, 240, 241, 3000, Number.NaN, Infinity, -0, 1e21),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.uuid(),
);

/** Returns settings patches with real section and field names, random values and some unknown keys. */
function settingsPatch(): fc.Arbitrary<Record<string, unknown>> {
  const sections = Object.entries(DEFAULT_SETTINGS).map(([section, value]) => {
    if (typeof value !== 'object' || value === null) {
      return fc.tuple(fc.constant(section), leaf);
    }
    const fields = Object.keys(value);
    return fc.tuple(fc.constant(section), fc.dictionary(fc.constantFrom(...fields, 'unknownField'), leaf, { maxKeys: 4 }));
  });
  return fc.array(fc.oneof(...sections), { maxLength: 4 }).map((entries) => Object.fromEntries(entries));
}

/** Returns payloads shaped for `channel`, with random values. */
function shapedPayload(channel: InvokeChannel): fc.Arbitrary<unknown> {
  switch (channel) {
    case 'presence:set':
      return fc.record({ availability: leaf, activity: leaf, durationMs: leaf, extra: leaf }, { requiredKeys: [] });
    case 'settings:update':
      return settingsPatch();
    case 'shortcut:test':
      return fc.record({ accelerator: leaf }, { requiredKeys: [] });
    case 'auth:sign-in':
      return fc.record({ method: leaf }, { requiredKeys: [] });
    case 'app:open-external-help':
      return fc.record({ topic: leaf }, { requiredKeys: [] });
    default:
      return fc.oneof(fc.constant(undefined), fc.constant(null), leaf);
  }
}

const anyPayload = fc.anything({ maxDepth: 3, withNullPrototype: true, withMap: true, withSet: true, withBigInt: true, withDate: true });

describe('IPC payload fuzzing', () => {
  test(`${RUNS} random payloads get a reply`, async (context) => {
    const seed = chooseSeed();
    context.diagnostic(`fast-check seed ${seed} (set RELIABILITY_SEED=${seed} to repeat this run)`);
    const mark = processFaultMark();
    const log = new MemoryLog('warn');
    const app = new FakePresenceApp();
    const settings = new MemorySettingsStore({ logger: log.logger });
    const handlers = createIpcHandlers({
      app,
      settings,
      environment: () => ({
        platform: 'linux',
        proxy: null,
        shortcuts: { mode: 'native', reason: 'X11', fallbackCommand: null },
        secretStorage: 'os',
        lockEventsSupported: false,
      }),
      checkShortcut: async (accelerator): Promise<ShortcutCheck> => ({ status: 'available', accelerator, message: 'free', fallbackCommand: null }),
      browser: { open: async () => {} },
      startSandbox: async () => {},
      logger: log.logger,
    });
    const trusted: TrustedSenders = { webContentsIds: new Set([1]), pageUrls: [TRUSTED_PAGE] };
    const sender: IpcSender = { senderUrl: TRUSTED_PAGE, frameIsMain: true, webContentsId: 1 };
    const counts = { accepted: 0, rejected: 0 };
    const problems: string[] = [];

    const senderArb = fc.oneof(
      { weight: 4, arbitrary: fc.constant(sender) },
      {
        weight: 1,
        arbitrary: fc.record({
          senderUrl: fc.oneof(fc.constantFrom(TRUSTED_PAGE, 'https://evil.example/index.html', 'file:///tmp/index.html', ''), fc.webUrl()),
          frameIsMain: fc.boolean(),
          webContentsId: fc.integer({ min: 0, max: 3 }),
        }),
      },
    );
    const channelArb = fc.oneof(fc.constantFrom(...INVOKE_CHANNELS), fc.constantFrom('settings:delete', '__proto__', 'state:get ', ''));
    await fc.assert(
      fc.asyncProperty(
        senderArb,
        channelArb.chain((channel) =>
          fc.tuple(fc.constant(channel), (INVOKE_CHANNELS as readonly string[]).includes(channel) ? fc.oneof(anyPayload, shapedPayload(channel as InvokeChannel)) : anyPayload),
        ),
        async (from, [channel, payload]) => {
          const before = JSON.stringify(settings.get());
          const callsBefore = app.calls.length;
          const trustedSender = from.senderUrl === TRUSTED_PAGE && from.frameIsMain && from.webContentsId === 1;
          let reply: IpcReply<unknown>;
          try {
            reply = await dispatchIpcInvoke(handlers, channel, payload, from, trusted, log.logger);
          } catch (error) {
            problems.push(`${channel} rejected: ${String(error)}`);
            return;
          }

          if (!trustedSender) {
            if (reply.ok || reply.error.code !== 'untrusted-sender' || app.calls.length !== callsBefore || JSON.stringify(settings.get()) !== before) {
              problems.push(`${channel} from ${JSON.stringify(from)} was not rejected as untrusted, or had an effect`);
            }
            return;
          }
          if (reply.ok) {
            counts.accepted += 1;
            return;
          }
          counts.rejected += 1;
          const { code, message, field } = reply.error;
          if (!ERROR_CODES.has(code)) {
            problems.push(`${channel}: unknown error code ${code}`);
          }
          if (typeof message !== 'string' || message.trim() === '') {
            problems.push(`${channel}: empty error message`);
          }
          if (message.includes(PLANTED_TOKEN)) {
            problems.push(`${channel}: the error message echoes a token`);
          }
          if (field !== undefined && typeof field !== 'string') {
            problems.push(`${channel}: field is ${typeof field}`);
          }
          if (channel === 'settings:update' && JSON.stringify(settings.get()) !== before) {
            problems.push(`settings:update was rejected (${message}) but changed the settings`);
          }
        },
      ),
      { numRuns: RUNS, seed },
    );
    context.diagnostic(`${counts.accepted} accepted, ${counts.rejected} rejected`);

    assert.deepEqual(problems.slice(0, 10), []);
    assert.ok(counts.accepted > RUNS / 20, `only ${counts.accepted} payloads were accepted, so the valid paths were barely tried`);
    assert.ok(!log.text().includes(PLANTED_TOKEN), 'the log echoes a token from a payload');
    assert.deepEqual(processFaultsSince(mark), []);
  });
});
