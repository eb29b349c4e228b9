/**
 * Main-side decisions for the settings window's IPC: one handler per invoke channel, each of
 * which checks its payload, calls the core, and replies with an `IpcReply` instead of throwing.
 * The shell registers them with `ipcMain.handle` through `dispatchIpcInvoke`, which first checks
 * the sender, and forwards pushes with `connectPushChannels`.
 */

import type { PresenceAppApi } from '../app-api.ts';
import type { AppState } from '../app-state.ts';
import { redactSecrets } from '../log.ts';
import type { BrowserOpener, Logger } from '../ports.ts';
import { parseAccelerator } from '../shortcut/accelerator.ts';
import { SettingsUpdateError, type SettingsStore } from '../settings/store.ts';
import type {
  HelpTopic,
  InvokeChannel,
  InvokeChannels,
  InvokeResponse,
  IpcError,
  IpcReply,
  PushChannels,
  SettingsView,
  ShortcutCheck,
  WindowEnvironment,
} from '../../ipc-contract.ts';
import { checkHelpTopic, checkNoPayload, checkSetPresence, checkSettingsUpdate, checkShortcutTest, checkSignIn, type PayloadCheck } from './payloads.ts';
import { describeSender, isTrustedSender, type IpcSender, type TrustedSenders } from './sender.ts';

export interface IpcHandlerDeps {
  app: PresenceAppApi;
  settings: SettingsStore;
  /** Facts about this computer that the window shows. */
  environment(): WindowEnvironment;
  /**
   * Checks whether a parsed, normalized accelerator can be registered (another application may
   * own it). The handler has already rejected accelerators the parser does not accept.
   */
  checkShortcut(accelerator: string): Promise<ShortcutCheck>;
  browser: BrowserOpener;
  /** Switches the app to the local sandbox; rejects when the sandbox cannot start. */
  startSandbox(): Promise<void>;
  logger: Logger;
}

export type IpcHandler<C extends InvokeChannel> = (payload: unknown) => Promise<IpcReply<InvokeResponse<C>>>;
export type IpcHandlers = { readonly [C in InvokeChannel]: IpcHandler<C> };

/** Fixed pages for the help topics that do not depend on the app's state. */
export const HELP_URLS = {
  'app-registration': 'https://learn.microsoft.com/entra/identity-platform/quickstart-register-app',
  'presence-api': 'https://learn.microsoft.com/graph/api/presence-setpresence',
} as const satisfies Partial<Record<HelpTopic, string>>;

/** Returns a copy of the state with every error text passed through the secret filter. */
function redactState(state: AppState): AppState {
  const copy = structuredClone(state);
  if (copy.problem !== null) {
    copy.problem.message = redactSecrets(copy.problem.message);
  }
  if (copy.lastClear?.error !== undefined) {
    copy.lastClear.error = redactSecrets(copy.lastClear.error);
  }
  if (copy.session.kind === 'clear-pending') {
    copy.session.lastError = redactSecrets(copy.session.lastError);
  }
  return copy;
}

/** Builds what `settings:get` returns and `settings:changed` pushes. */
export function buildSettingsView(settings: SettingsStore, environment: WindowEnvironment): SettingsView {
  return {
    settings: settings.get(),
    managed: settings.managed(),
    problems: settings.problems(),
    environment,
  };
}

/** Returns the https URL a help topic opens, or an error explaining why there is none now. */
function helpUrl(topic: HelpTopic, state: AppState): { url: string } | { error: string } {
  if (topic === 'app-registration' || topic === 'presence-api') {
    return { url: HELP_URLS[topic] };
  }

  const account = state.account;
  let candidate: string | undefined;
  if (topic === 'device-code') {
    candidate = account.kind === 'signing-in' ? account.verificationUri : undefined;
  } else {
    candidate = account.kind === 'admin-consent-needed' ? account.adminConsentUrl : undefined;
  }
  if (candidate === undefined) {
    return { error: `There is no ${topic} page to open now (account is ${account.kind}).` };
  }

  // These URLs come from the identity service; only https ones reach the browser.
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return { error: `The ${topic} address is not a valid URL, so it was not opened.` };
  }
  if (parsed.protocol !== 'https:') {
    return { error: `The ${topic} address uses ${parsed.protocol} rather than https:, so it was not opened.` };
  }
  return { url: parsed.href };
}

function failure(code: IpcError['code'], message: string, field?: string): { ok: false; error: IpcError } {
  const error: IpcError = { code, message: redactSecrets(message) };
  if (field !== undefined) {
    error.field = field;
  }
  return { ok: false, error };
}

/** Turns an error from the core into a reply; a settings error names the field. */
function errorReply(channel: InvokeChannel, error: unknown): { ok: false; error: IpcError } {
  if (error instanceof SettingsUpdateError) {
    return failure('invalid-settings', error.message, error.problems[0]?.path);
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure('failed', `${channel} failed: ${message}`);
}

/**
 * Creates the handler of every invoke channel. Each one checks the payload, runs the core call
 * and replies; it never rejects, whatever the payload.
 */
export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const log = deps.logger.child('ipc');

  function handler<C extends InvokeChannel, P>(
    channel: C,
    check: (payload: unknown) => PayloadCheck<P>,
    run: (request: P) => Promise<InvokeChannels[C]['response']> | InvokeChannels[C]['response'],
  ): IpcHandler<C> {
    return async (payload) => {
      let checked: PayloadCheck<P>;
      try {
        checked = check(payload);
      } catch (error) {
        // Checks are written not to throw; this keeps a missed case from becoming a raw rejection.
        log.error('payload check threw', { channel, error: (error as Error).message });
        return failure('invalid-payload', `${channel}: the payload could not be read.`);
      }
      if (!checked.ok) {
        log.warn('payload rejected', { channel, field: checked.field ?? null, reason: checked.message });
        const code = channel === 'settings:update' ? 'invalid-settings' : 'invalid-payload';
        return failure(code, checked.message, checked.field);
      }

      try {
        const value = await run(checked.value);
        return { ok: true, value };
      } catch (error) {
        log.warn('request failed', { channel, error: (error as Error)?.message ?? String(error) });
        return errorReply(channel, error);
      }
    };
  }

  const noPayload = (channel: string) => (payload: unknown) => checkNoPayload(channel, payload);
  const view = (): SettingsView => buildSettingsView(deps.settings, deps.environment());

  return {
    'state:get': handler('state:get', noPayload('state:get'), () => redactState(deps.app.state())),
    'presence:set': handler('presence:set', checkSetPresence, async (request) => {
      await deps.app.setPresence(request);
      return null;
    }),
    'presence:clear': handler('presence:clear', noPayload('presence:clear'), async () => {
      const record = await deps.app.clearPresence('window');
      return record.error === undefined ? record : { ...record, error: redactSecrets(record.error) };
    }),
    'presence:pause': handler('presence:pause', noPayload('presence:pause'), async () => {
      await deps.app.pause();
      return null;
    }),
    'auth:sign-in': handler('auth:sign-in', checkSignIn, async ({ method }) => {
      await deps.app.signIn(method);
      return null;
    }),
    'auth:cancel': handler('auth:cancel', noPayload('auth:cancel'), () => {
      deps.app.cancelSignIn();
      return null;
    }),
    'auth:sign-out': handler('auth:sign-out', noPayload('auth:sign-out'), async () => {
      await deps.app.signOut();
      return null;
    }),
    'settings:get': handler('settings:get', noPayload('settings:get'), view),
    'settings:update': handler('settings:update', checkSettingsUpdate, (patch) => {
      deps.settings.update(patch);
      return view();
    }),
    'shortcut:test': handler('shortcut:test', checkShortcutTest, async ({ accelerator }) => {
      const parsed = parseAccelerator(accelerator);
      if (!parsed.ok) {
        return { status: 'invalid', accelerator, message: parsed.error, fallbackCommand: null } satisfies ShortcutCheck;
      }
      return deps.checkShortcut(parsed.normalized);
    }),
    'app:open-external-help': handler('app:open-external-help', checkHelpTopic, async ({ topic }) => {
      const target = helpUrl(topic, deps.app.state());
      if ('error' in target) {
        throw new Error(target.error);
      }
      log.info('opening help page', { topic });
      await deps.browser.open(target.url);
      return null;
    }),
    'sandbox:start': handler('sandbox:start', noPayload('sandbox:start'), async () => {
      await deps.startSandbox();
      return null;
    }),
  };
}

/**
 * Handles one invoke from the shell's `ipcMain.handle`: rejects an untrusted sender or an
 * unknown channel, else runs the channel's handler. The returned promise never rejects.
 */
export async function dispatchIpcInvoke(
  handlers: IpcHandlers,
  channel: string,
  payload: unknown,
  sender: IpcSender,
  trusted: TrustedSenders,
  logger: Logger,
): Promise<IpcReply<unknown>> {
  if (!isTrustedSender(sender, trusted)) {
    logger.warn('IPC from an untrusted sender rejected', { channel: channel.slice(0, 64), sender: describeSender(sender) });
    return failure('untrusted-sender', `${channel.slice(0, 64)} was rejected: the sender is not the Presence Tray settings window.`);
  }
  if (!Object.hasOwn(handlers, channel)) {
    logger.warn('IPC on an unknown channel rejected', { channel: channel.slice(0, 64) });
    return failure('unknown-channel', `${JSON.stringify(channel.slice(0, 64))} is not a Presence Tray IPC channel.`);
  }
  return handlers[channel as InvokeChannel](payload);
}

export interface PushSources {
  app: PresenceAppApi;
  settings: SettingsStore;
  environment(): WindowEnvironment;
  logger: Logger;
}

/**
 * Forwards state and settings changes to a window through `send` (the shell's
 * `webContents.send`). Returns a function that stops forwarding; call it when the window closes.
 */
export function connectPushChannels(
  sources: PushSources,
  send: <C extends keyof PushChannels>(channel: C, payload: PushChannels[C]) => void,
): () => void {
  const log = sources.logger.child('ipc');
  const safeSend = <C extends keyof PushChannels>(channel: C, payload: PushChannels[C]): void => {
    try {
      send(channel, payload);
    } catch (error) {
      // A window that is closing may reject the message; the next push or a reload catches up.
      log.warn('push to the settings window failed', { channel, error: (error as Error).message });
    }
  };

  const stopState = sources.app.onStateChange((state) => safeSend('state:changed', redactState(state)));
  const stopSettings = sources.settings.onChange(() => safeSend('settings:changed', buildSettingsView(sources.settings, sources.environment())));
  return () => {
    stopState();
    stopSettings();
  };
}
