import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IpcHandlers } from '../../main/core/ipc/handlers.ts';
import { INVOKE_CHANNELS } from '../../main/ipc-contract.ts';
import { registerIpcHandlers, senderOf } from '../../main/shell/ipc.ts';
import { FakeIpcMain } from '../fakes/electron/browser-window.ts';
import { MemoryLog } from '../fakes/logger.ts';

const PAGE = 'file:///opt/presence-tray/dist/renderer/index.html';

function setup() {
  const calls: Array<{ channel: string; payload: unknown }> = [];
  const handlers = Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [
      channel,
      async (payload: unknown) => {
        calls.push({ channel, payload });
        return { ok: true, value: channel };
      },
    ]),
  ) as unknown as IpcHandlers;
  const ipcMain = new FakeIpcMain();
  const log = new MemoryLog();
  const remove = registerIpcHandlers({ ipcMain, handlers, trusted: () => ({ webContentsIds: new Set([7]), pageUrls: [PAGE] }), logger: log.logger });
  return { calls, ipcMain, log, remove };
}

describe('shell ipc', () => {
  it('registers every invoke channel', () => {
    const { ipcMain } = setup();
    assert.deepEqual([...ipcMain.handlers.keys()].sort(), [...INVOKE_CHANNELS].sort());
  });

  it('answers the trusted window', async () => {
    const { ipcMain, calls } = setup();

    const reply = await ipcMain.invoke('presence:clear', undefined, { webContentsId: 7, url: PAGE });

    assert.deepEqual(reply, { ok: true, value: 'presence:clear' });
    assert.equal(calls.length, 1);
  });

  it('rejects another window', async () => {
    const { ipcMain, calls } = setup();

    const reply = (await ipcMain.invoke('presence:clear', undefined, { webContentsId: 8, url: PAGE })) as { ok: boolean; error?: { code: string } };

    assert.equal(reply.ok, false);
    assert.equal(reply.error?.code, 'untrusted-sender');
    assert.equal(calls.length, 0);
  });

  it('rejects a subframe', async () => {
    const { ipcMain, calls } = setup();

    const reply = (await ipcMain.invoke('presence:clear', undefined, { webContentsId: 7, url: PAGE, mainFrame: false })) as { ok: boolean };

    assert.equal(reply.ok, false);
    assert.equal(calls.length, 0);
  });

  it('rejects a remote page', async () => {
    const { ipcMain, calls, log } = setup();

    const reply = (await ipcMain.invoke('auth:sign-out', undefined, { webContentsId: 7, url: 'https://evil.example/' })) as { ok: boolean };

    assert.equal(reply.ok, false);
    assert.equal(calls.length, 0);
    assert.match(log.text(), /untrusted sender/);
  });

  it('removes the handlers', () => {
    const { ipcMain, remove } = setup();
    remove();
    assert.equal(ipcMain.handlers.size, 0);
  });

  it('never trusts a gone frame', () => {
    assert.equal(senderOf({ sender: { id: 7 }, senderFrame: null }).frameIsMain, false);
  });
});
