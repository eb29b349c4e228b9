/**
 * Registers the settings window's invoke channels with `ipcMain.handle`. Every message goes
 * through `dispatchIpcInvoke` in core, which checks the sender (our window's main frame showing
 * our page) before any handler runs. This file only reads the sender out of Electron's event.
 */

import type { IpcMainInvokeEvent } from 'electron';

import { dispatchIpcInvoke, type IpcHandlers } from '../core/ipc/handlers.ts';
import type { IpcSender, TrustedSenders } from '../core/ipc/sender.ts';
import type { Logger } from '../core/ports.ts';
import { INVOKE_CHANNELS } from '../ipc-contract.ts';

/** The parts of an invoke event the sender check reads. */
export interface InvokeEventFields {
  sender: Pick<IpcMainInvokeEvent['sender'], 'id'>;
  senderFrame: { url: string; parent: unknown } | null;
}

/** The parts of `ipcMain` this adapter uses; `main/index.ts` passes the real one. */
export interface IpcMainApi {
  handle(channel: string, listener: (event: InvokeEventFields, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Reads the sender facts; a frame that is gone (navigated or destroyed) is never trusted. */
export function senderOf(event: InvokeEventFields): IpcSender {
  const frame = event.senderFrame;
  return {
    senderUrl: frame?.url ?? '',
    frameIsMain: frame !== null && frame.parent === null,
    webContentsId: event.sender.id,
  };
}

export interface IpcRegistration {
  ipcMain: IpcMainApi;
  handlers: IpcHandlers;
  /** The windows and pages trusted now; read on every message, as windows come and go. */
  trusted: () => TrustedSenders;
  logger: Logger;
}

/** Registers a handler per invoke channel; returns a function that removes them. */
export function registerIpcHandlers(registration: IpcRegistration): () => void {
  const log = registration.logger.child('ipc');

  for (const channel of INVOKE_CHANNELS) {
    registration.ipcMain.handle(channel, (event, payload) =>
      dispatchIpcInvoke(registration.handlers, channel, payload, senderOf(event), registration.trusted(), log),
    );
  }
  log.info('IPC handlers registered', { channels: INVOKE_CHANNELS.length });

  return () => {
    for (const channel of INVOKE_CHANNELS) {
      registration.ipcMain.removeHandler(channel);
    }
  };
}
