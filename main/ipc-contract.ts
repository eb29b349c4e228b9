/**
 * The IPC contract between the settings window and the main process, typed once for both sides:
 * the main-side handlers (`main/core/ipc/handlers.ts`), the preload bridge (`preload/index.cts`)
 * and the renderer. Types only, plus the channel names; nothing here may carry a token, an
 * authorization code or any other secret.
 */

import type { SetPresenceRequest } from './core/app-api.ts';
import type { AppState, ClearRecord } from './core/app-state.ts';
import type { ManagedAccount } from './core/settings/managed.ts';
import type { SettingsPatch } from './core/settings/patch.ts';
import type { Settings } from './core/settings/settings.ts';

/** Facts about this computer that the settings window shows but cannot change. */
export interface WindowEnvironment {
  platform: 'linux' | 'darwin' | 'win32' | 'other';
  /** The proxy requests go through, or null for a direct connection. */
  proxy: string | null;
  /**
   * Global shortcut support on this desktop: grabbed by the OS (`native`), approved by the Wayland
   * desktop portal (`portal`), or not at all (`unsupported`). `fallbackCommand` is the command to
   * bind in the desktop's own keyboard settings when ours may not fire.
   */
  shortcuts: { mode: 'native' | 'portal' | 'unsupported'; reason: string; fallbackCommand: string | null };
  /** `none` when no OS secret store exists, so tokens stay in memory unless the user opts in. */
  secretStorage: 'os' | 'none';
  /** Lock-screen events exist on macOS and Windows only. */
  lockEventsSupported: boolean;
}

/** Settings as the window shows them: values, presets, load problems and facts about this computer. */
export interface SettingsView {
  settings: Settings;
  managed: ManagedAccount;
  /** Problems found when the settings file was read, one sentence each. */
  problems: string[];
  environment: WindowEnvironment;
}

/** The outcome of trying a shortcut before saving it. */
export interface ShortcutCheck {
  status: 'available' | 'invalid' | 'in-use' | 'unsupported';
  /** The accelerator in normalized form when it parsed, else as sent. */
  accelerator: string;
  /** A sentence for the window, such as "Control+Alt+P is already used by another application". */
  message: string;
  /** The command to bind in the desktop's keyboard settings instead, when ours cannot fire. */
  fallbackCommand: string | null;
}

/** Pages the window may open in the browser; main maps each to a fixed or checked URL. */
export type HelpTopic = 'app-registration' | 'presence-api' | 'device-code' | 'admin-consent';

export type IpcErrorCode = 'untrusted-sender' | 'unknown-channel' | 'invalid-payload' | 'invalid-settings' | 'failed';

export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** The setting or payload field at fault, when there is one. */
  field?: string;
}

/** Every invoke reply: handlers never reject, so the renderer never receives a raw Error. */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Request and response of each invoke channel; `undefined` means "no payload". */
export interface InvokeChannels {
  'state:get': { request: undefined; response: AppState };
  'presence:set': { request: SetPresenceRequest; response: null };
  'presence:clear': { request: undefined; response: ClearRecord };
  'presence:pause': { request: undefined; response: null };
  'auth:sign-in': { request: { method: 'browser' | 'device-code' }; response: null };
  'auth:cancel': { request: undefined; response: null };
  'auth:sign-out': { request: undefined; response: null };
  'settings:get': { request: undefined; response: SettingsView };
  'settings:update': { request: SettingsPatch; response: SettingsView };
  'shortcut:test': { request: { accelerator: string }; response: ShortcutCheck };
  'app:open-external-help': { request: { topic: HelpTopic }; response: null };
  'sandbox:start': { request: undefined; response: null };
}

/** Payload of each channel main pushes to the window. */
export interface PushChannels {
  'state:changed': AppState;
  'settings:changed': SettingsView;
}

export type InvokeChannel = keyof InvokeChannels;
export type PushChannel = keyof PushChannels;
export type InvokeRequest<C extends InvokeChannel> = InvokeChannels[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeChannels[C]['response'];

/** Bridge method name → invoke channel. The preload builds `window.presenceTray` from it. */
export const BRIDGE_INVOKE_METHODS = {
  getState: 'state:get',
  setPresence: 'presence:set',
  clearPresence: 'presence:clear',
  pausePresence: 'presence:pause',
  signIn: 'auth:sign-in',
  cancelSignIn: 'auth:cancel',
  signOut: 'auth:sign-out',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  testShortcut: 'shortcut:test',
  openHelp: 'app:open-external-help',
  startSandbox: 'sandbox:start',
} as const satisfies Record<string, InvokeChannel>;

/** Bridge method name → push channel. */
export const BRIDGE_PUSH_METHODS = {
  onStateChanged: 'state:changed',
  onSettingsChanged: 'settings:changed',
} as const satisfies Record<string, PushChannel>;

/** Every invoke channel, for the shell to register with `ipcMain.handle`. */
export const INVOKE_CHANNELS = Object.values(BRIDGE_INVOKE_METHODS) as readonly InvokeChannel[];
/** Every push channel. */
export const PUSH_CHANNELS = Object.values(BRIDGE_PUSH_METHODS) as readonly PushChannel[];

type InvokeMethod<C extends InvokeChannel> = InvokeRequest<C> extends undefined
  ? () => Promise<IpcReply<InvokeResponse<C>>>
  : (request: InvokeRequest<C>) => Promise<IpcReply<InvokeResponse<C>>>;

/** The API the preload exposes as `window.presenceTray`. */
export type PresenceTrayBridge = {
  readonly [M in keyof typeof BRIDGE_INVOKE_METHODS]: InvokeMethod<(typeof BRIDGE_INVOKE_METHODS)[M]>;
} & {
  /** Each `on*` calls the listener with every push; returns a function that unsubscribes. */
  readonly [M in keyof typeof BRIDGE_PUSH_METHODS]: (listener: (payload: PushChannels[(typeof BRIDGE_PUSH_METHODS)[M]]) => void) => () => void;
};

type Assert<T extends true> = T;
type MissingInvokeChannels = Exclude<InvokeChannel, (typeof BRIDGE_INVOKE_METHODS)[keyof typeof BRIDGE_INVOKE_METHODS]>;
type MissingPushChannels = Exclude<PushChannel, (typeof BRIDGE_PUSH_METHODS)[keyof typeof BRIDGE_PUSH_METHODS]>;
/** Compiles only when every channel has a bridge method. */
export type ContractIsComplete = Assert<[MissingInvokeChannels, MissingPushChannels] extends [never, never] ? true : false>;
