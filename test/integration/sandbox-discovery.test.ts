/** A live sandbox found through its state file, as `presence-tray --sandbox` finds it. */

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  connectSandboxControl,
  readSandboxState,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SandboxNotRunningError,
  startSandbox,
  writeSandboxState,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';

describe('sandbox discovery with a live sandbox', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sandbox-live-'));
    sandbox = await startSandbox({ logger: silentLogger() });
    await writeSandboxState(dataDir, {
      origin: sandbox.origin,
      authority: sandbox.authority,
      graphBaseUrl: sandbox.graphBaseUrl,
      caPem: sandbox.caPem,
      controlSecret: sandbox.controlSecret,
      pid: process.pid,
      clientId: SANDBOX_CLIENT_ID,
      tenantId: SANDBOX_TENANT_ID,
    });
  });

  after(async () => {
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('running sandbox is found', async () => {
    const state = await readSandboxState(dataDir);

    assert.equal(state.origin, sandbox.origin);
  });

  test('found state drives the control API', async () => {
    const remote = connectSandboxControl(await readSandboxState(dataDir));

    assert.equal(typeof (await remote.now()), 'number');
  });

  test('wrong secret in the file is stale', async () => {
    await writeSandboxState(dataDir, { ...(await readSandboxState(dataDir)), controlSecret: 'another-run-secret-value' });

    await assert.rejects(readSandboxState(dataDir), (error: unknown) => error instanceof SandboxNotRunningError && /403/.test(error.reason));
  });
});

function silentLogger() {
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
  return logger;
}
