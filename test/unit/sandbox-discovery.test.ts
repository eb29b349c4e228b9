/** The sandbox.json state file: mode, round trip, and the stale cases readers must report. */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  readSandboxState,
  removeSandboxState,
  SandboxNotRunningError,
  sandboxStatePath,
  writeSandboxState,
  type SandboxState,
} from '../../main/sandbox/discovery.ts';

const STATE: SandboxState = {
  origin: 'https://127.0.0.1:47443',
  authority: 'https://127.0.0.1:47443/3f9b2a6d-8c41-4e7a-b5d2-1c6e9f0a7b84',
  graphBaseUrl: 'https://127.0.0.1:47443',
  caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  controlSecret: 'not-a-real-secret-value',
  pid: process.pid,
  clientId: '6f1c9d2e-4b7a-4e3f-9a85-2d0c7b16e4a9',
  tenantId: '3f9b2a6d-8c41-4e7a-b5d2-1c6e9f0a7b84',
};

const NOT_RUNNING = 'No sandbox is running: start one with `presence-tray sandbox`';

/** Returns a loopback port this test listened on and closed again. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('sandbox discovery file', () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sandbox-discovery-'));
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('state file is written with mode 0600', { skip: process.platform === 'win32' }, async () => {
    await writeSandboxState(dataDir, STATE);
    const info = await stat(sandboxStatePath(dataDir));

    assert.equal(info.mode & 0o777, 0o600);
  });

  test('state file holds the state as JSON', async () => {
    await writeSandboxState(dataDir, STATE);
    const text = await readFile(sandboxStatePath(dataDir), 'utf8');

    assert.deepEqual(JSON.parse(text), STATE);
  });

  test('missing file is SandboxNotRunningError', async () => {
    await removeSandboxState(dataDir);

    await assert.rejects(readSandboxState(dataDir), (error: unknown) => {
      assert.ok(error instanceof SandboxNotRunningError);
      assert.equal(error.message, NOT_RUNNING);
      assert.match(error.reason, /does not exist/);
      return true;
    });
  });

  test('damaged file is SandboxNotRunningError', async () => {
    await writeFile(sandboxStatePath(dataDir), '{"origin":', { mode: 0o600 });

    await assert.rejects(readSandboxState(dataDir), (error: unknown) => error instanceof SandboxNotRunningError && /not a valid/.test(error.reason));
  });

  test('exited process is SandboxNotRunningError', async () => {
    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    await writeSandboxState(dataDir, { ...STATE, pid: exited });

    await assert.rejects(readSandboxState(dataDir), (error: unknown) => error instanceof SandboxNotRunningError && /has exited/.test(error.reason));
  });

  test('closed port is SandboxNotRunningError', async () => {
    // This process is alive, but the port was closed again before the read.
    const port = await closedLoopbackPort();
    await writeSandboxState(dataDir, { ...STATE, origin: `https://127.0.0.1:${port}` });

    await assert.rejects(readSandboxState(dataDir), (error: unknown) => error instanceof SandboxNotRunningError && /did not respond/.test(error.reason));
  });
});
