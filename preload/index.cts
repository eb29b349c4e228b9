/**
 * Preload of the settings window. It exposes `window.presenceTray`: one method per IPC channel
 * of the contract and nothing else, so the page never touches `ipcRenderer` and cannot send on a
 * channel of its own choosing. A sandboxed preload runs as a single CommonJS script whose
 * `require` serves only Electron's renderer modules, so this file imports types alone and keeps
 * its own copy of the channel names; the type annotations make tsc fail if the copy drifts.
 */

import type { IpcRendererEvent } from 'electron';
import type { BRIDGE_INVOKE_METHODS, BRIDGE_PUSH_METHODS, PresenceTrayBridge } from '../main/ipc-contract.ts';
import electron = require('electron');

const INVOKE_METHODS: typeof BRIDGE_INVOKE_METHODS = {
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
};

const PUSH_METHODS: typeof BRIDGE_PUSH_METHODS = {
  onStateChanged: 'state:changed',
  onSettingsChanged: 'settings:changed',
};

function buildBridge(ipcRenderer: Electron.IpcRenderer): PresenceTrayBridge {
  const bridge: Record<string, unknown> = {};

  for (const [method, channel] of Object.entries(INVOKE_METHODS)) {
    // Only the first argument crosses, so a page cannot smuggle extra values to a handler.
    bridge[method] = (request?: unknown) => ipcRenderer.invoke(channel, request);
  }

  for (const [method, channel] of Object.entries(PUSH_METHODS)) {
    bridge[method] = (listener: unknown) => {
      if (typeof listener !== 'function') {
        throw new TypeError(`presenceTray.${method} needs a listener function, got ${typeof listener}.`);
      }
      // The IPC event object stays here: passing it on would hand the page `event.sender`.
      const forward = (_event: IpcRendererEvent, payload: unknown): void => {
        (listener as (payload: unknown) => void)(payload);
      };
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    };
  }

  return Object.freeze(bridge) as PresenceTrayBridge;
}

electron.contextBridge.exposeInMainWorld('presenceTray', buildBridge(electron.ipcRenderer));
