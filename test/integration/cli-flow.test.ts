/**
 * The headless command end to end: the real command-line entry, real MSAL and the real Graph
 * client against the sandbox over HTTPS, with the sandbox found through its state file as a
 * separate `presence-tray sandbox` process would leave it.
 */

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { main } from '../../main/cli.ts';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  startSandbox,
  writeSandboxState,
  type RequestLogEntry,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';
import { isGraphPath, validateRequestAgainstOpenApi } from '../../main/sandbox/openapi-check.ts';

let sandbox: RunningSandbox;
let home: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      out: (text) => {
        stdout += text;
      },
      err: (text) => {
        stderr += text;
      },
    },
    { PRESENCE_TRAY_HOME: home },
  );
  return { code, stdout, stderr };
}

function json(result: Run): Record<string, unknown> {
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `expected one JSON line, got: ${result.stdout}`);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

/** Every request the sandbox logged in this file, kept across `resetLog` calls. */
const seen: RequestLogEntry[] = [];

function resetLog(): void {
  seen.push(...sandbox.control.requests());
  sandbox.control.clearRequests();
}

function graphWrites(action: string): number {
  return sandbox.control.requests().filter((entry) => entry.action === action).length;
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'pt-cli-'));
  sandbox = await startSandbox({ port: 0 });
  await writeSandboxState(home, {
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
  await rm(home, { recursive: true, force: true });
});

test('status before sign-in exits 3', async () => {
  const result = await run('--sandbox', 'status', '--json');
  assert.equal(result.code, 3);
  assert.equal((json(result).account as { kind: string }).kind, 'signed-out');
});

test('sign-in plays the sandbox browser', async () => {
  const result = await run('--sandbox', 'sign-in');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`Signed in as ${SANDBOX_USER.username}`));
});

test('set Busy sends the InACall pair', async () => {
  resetLog();
  const result = await run('--sandbox', 'set', 'Busy', '--for', 'PT1H');
  assert.equal(result.code, 0, result.stderr);

  const sets = sandbox.control.requests().filter((entry) => entry.action === 'setPresence');
  assert.equal(sets.length, 1);
  assert.deepEqual(sets[0]?.body, {
    sessionId: SANDBOX_CLIENT_ID,
    availability: 'Busy',
    activity: 'InACall',
    expirationDuration: 'PT10M',
  });
});

test('status shows Busy after set', async () => {
  const result = await run('--sandbox', 'status', '--json');
  assert.equal(result.code, 0, result.stderr);
  const report = json(result);
  assert.equal((report.shown as { availability: string }).availability, 'Busy');
  assert.equal((report.session as { kind: string }).kind, 'active');
});

test('clear reports the request-id', async () => {
  resetLog();
  const result = await run('--sandbox', 'clear', '--json');
  assert.equal(result.code, 0, result.stderr);
  const report = json(result);
  assert.equal(report.result, 'cleared');
  const logged = sandbox.control.requests().find((entry) => entry.action === 'clearPresence');
  assert.equal(report.requestId, logged?.requestId);
});

test('status shows Offline after clear', async () => {
  const result = await run('--sandbox', 'status', '--json');
  assert.equal((json(result).shown as { availability: string }).availability, 'Offline');
});

test('second clear is already cleared', async () => {
  const result = await run('--sandbox', 'clear', '--json');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(json(result).result, 'already-cleared');
});

test('what-if sends nothing', async () => {
  resetLog();
  const result = await run('--sandbox', 'clear', '--what-if', '--json', '--header', 'X-Trace: abc');
  assert.equal(result.code, 0, result.stderr);
  const report = json(result);
  assert.equal(report.url, `${sandbox.graphBaseUrl}/v1.0/users/${SANDBOX_USER.objectId}/presence/clearPresence`);
  assert.deepEqual(report.body, { sessionId: SANDBOX_CLIENT_ID });
  assert.equal(graphWrites('clearPresence'), 0);
});

test('clear with explicit ids and header', async () => {
  resetLog();
  const result = await run('--sandbox', 'clear', '--json', '--session-id', SANDBOX_CLIENT_ID, '--header', 'X-Trace: abc');
  assert.equal(result.code, 0, result.stderr);
  const logged = sandbox.control.requests().find((entry) => entry.action === 'clearPresence');
  assert.equal(logged?.headers['x-trace'], 'abc');
});

test('explicit clear closes the journal', async () => {
  await run('--sandbox', 'set', 'Busy');
  const cleared = await run('--sandbox', 'clear', '--header', 'X-Trace: abc');
  assert.equal(cleared.code, 0, cleared.stderr);

  const status = json(await run('--sandbox', 'status', '--json'));
  assert.deepEqual(status.session, { kind: 'none' });
});

test('presence id not a GUID exits 2', async () => {
  resetLog();
  const result = await run('--sandbox', 'clear', '--presence-id', 'not-a-guid');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Invalid --presence-id "not-a-guid"/);
  assert.equal(graphWrites('clearPresence'), 0);
});

test('another user id is explained once', async () => {
  resetLog();
  const otherUser = '0b7c3a9e-1d2f-4e5a-8b6c-7d8e9f0a1b2c';
  const result = await run('--sandbox', 'clear', '--presence-id', otherUser);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /another user|signed-in|account/i);
  assert.equal(graphWrites('clearPresence'), 1);
});

test('throttled past the deadline exits 4', async () => {
  await run('--sandbox', 'set', 'Away');
  sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ status: 429, headers: { 'Retry-After': '600' } }] });
  resetLog();

  const result = await run('--sandbox', 'clear', '--json');
  assert.equal(result.code, 4, result.stdout + result.stderr);
  assert.equal(graphWrites('clearPresence'), 1);

  sandbox.control.clearFaults();
  const retry = await run('--sandbox', 'clear', '--json');
  assert.equal(retry.code, 0, retry.stderr);
});

test('invalid pair rejected before sending', async () => {
  resetLog();
  const result = await run('--sandbox', 'set', 'Busy', '--activity', 'Busy');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Busy\/InACall/);
  assert.equal(graphWrites('setPresence'), 0);
});

test('duration out of form exits 2', async () => {
  const result = await run('--sandbox', 'set', 'Busy', '--for', '1 hour');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--for: Invalid duration "1 hour"/);
});

test('every Graph request matches OpenAPI', () => {
  resetLog();
  const graphRequests = seen.filter((entry) => isGraphPath(entry.path));
  assert.ok(graphRequests.length >= 10, `expected the flow's Graph requests, got ${graphRequests.length}`);
  for (const entry of graphRequests) {
    const result = validateRequestAgainstOpenApi(entry);
    assert.equal(result.valid, true, `${entry.method} ${entry.path}: ${result.problems.join(' ')}`);
  }
});

test('sign-out then status exits 3', async () => {
  const signOut = await run('--sandbox', 'sign-out');
  assert.equal(signOut.code, 0, signOut.stderr);
  const status = await run('--sandbox', 'status');
  assert.equal(status.code, 3);
});

test('no sandbox running is explained', async () => {
  const emptyHome = await mkdtemp(join(tmpdir(), 'pt-cli-empty-'));
  try {
    let stderr = '';
    const code = await main(['--sandbox', 'status'], { out: () => {}, err: (text) => (stderr += text) }, { PRESENCE_TRAY_HOME: emptyHome });
    assert.equal(code, 1);
    assert.match(stderr, /No sandbox is running: start one with `presence-tray sandbox`/);
  } finally {
    await rm(emptyHome, { recursive: true, force: true });
  }
});
