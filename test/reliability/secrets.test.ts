/**
 * Secrets: every access token, refresh token, ID token, authorization code, PKCE verifier and
 * device code the sandbox issued or received must stay out of everything the app writes or
 * shows. The command line runs end to end with --verbose (browser and device code sign-in,
 * set, status, clears that fail and refresh), and the tray app runs through failures that put
 * error texts into its state. Only a token cache the user accepted as plaintext may hold a
 * token. The sandbox's control API must refuse requests without its per-run secret.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { main } from '../../main/cli.ts';
import { DATA_FILES } from '../../main/core/paths.ts';
import { CONTROL_SECRET_HEADER, SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID, writeSandboxState } from '../../main/sandbox/index.ts';
import { sendRequest } from '../../main/sandbox/http-client.ts';
import { FakeSafeStorage } from '../fakes/electron/safe-storage.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { withinRealTime } from './support/matrix-scenario.ts';
import { MatrixWorld } from './support/matrix-world.ts';
import { OutputCollector } from './support/secret-scan.ts';
import { startHarness, type TrayHarness } from './support/tray-harness.ts';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Lists every file under `folder` with its bytes as Latin-1 text. */
async function filesUnder(folder: string): Promise<Array<{ path: string; text: string }>> {
  const files: Array<{ path: string; text: string }> = [];
  for (const name of await readdir(folder, { recursive: true })) {
    const path = join(folder, name);
    const bytes = await readFile(path).catch(() => null);
    if (bytes !== null) {
      files.push({ path, text: bytes.toString('latin1') });
    }
  }
  return files;
}

describe('secrets stay secret', () => {
  const world = new MatrixWorld();
  const outputs = new OutputCollector();
  let home: string;
  /** The token cache files the user accepted as plaintext: the sandbox's and --cache-file. */
  let acceptedCaches: string[];
  const harnesses: TrayHarness[] = [];

  before(async () => {
    await world.open();
    home = await mkdtemp(join(tmpdir(), 'pt-secrets-'));
    acceptedCaches = [join(home, 'sandbox', DATA_FILES.tokenCache), join(home, 'accepted-cache.json')];
    await writeSandboxState(home, {
      origin: world.sandbox.origin,
      authority: world.sandbox.authority,
      graphBaseUrl: world.sandbox.graphBaseUrl,
      caPem: world.sandbox.caPem,
      controlSecret: world.sandbox.controlSecret,
      pid: process.pid,
      clientId: SANDBOX_CLIENT_ID,
      tenantId: SANDBOX_TENANT_ID,
    });
  });

  after(async () => {
    for (const harness of harnesses) {
      await harness.running.stop().catch(() => undefined);
    }
    await world.close();
    await rm(home, { recursive: true, force: true });
  });

  /** Runs the command line with --sandbox --verbose, and keeps its output for the scan. */
  async function cli(argv: string[], onErr?: (text: string) => void): Promise<CliRun> {
    const run: CliRun = { code: -1, stdout: '', stderr: '' };
    outputs.addLive(`presence-tray ${argv.join(' ')}`, () => `${run.stdout}\n${run.stderr}`);
    const io = {
      out: (text: string) => {
        run.stdout += text;
      },
      err: (text: string) => {
        run.stderr += text;
        onErr?.(text);
      },
    };
    run.code = await withinRealTime(main(['--sandbox', '--verbose', ...argv], io, { PRESENCE_TRAY_HOME: home }), 60_000, argv.join(' '));
    return run;
  }

  test('command line shows no secret', async () => {
    const control = world.sandbox.control;

    const signIn = await cli(['sign-in']);
    const set = await cli(['set', 'Busy', '--for', 'PT30M', '--json']);
    const status = await cli(['status', '--json']);
    control.injectFaults({ action: 'clearPresence', responses: [{ status: 401, graphError: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }] });
    const refreshed = await cli(['clear', '--json']);
    control.injectFaults({ action: 'clearPresence', responses: [{ status: 429, headers: { 'Retry-After': '600' } }] });
    const throttled = await cli(['clear', '--json', '--header', 'X-Reliability: secrets']);
    control.revokeRefreshTokens();
    control.injectFaults({ action: 'clearPresence', responses: [{ status: 401, graphError: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }] });
    const revoked = await cli(['clear', '--json']);
    let approved = false;
    const deviceCode = await cli(['sign-in', '--device-code'], () => {
      if (!approved) {
        approved = true;
        // The code is on the terminal: approve it as the user would in the browser.
        setTimeout(() => control.approveDeviceCode(), 50);
      }
    });
    const explicitCache = await cli(['--cache-file', join(home, 'accepted-cache.json'), 'sign-in']);
    const signOut = await cli(['sign-out']);

    const secrets = control.issuedSecrets();
    const hits = await outputs.findSecrets(secrets);
    const files = await filesUnder(home);
    const tokenFiles = files.filter((file) => secrets.some((secret) => file.text.includes(secret))).map((file) => file.path);

    assert.equal(signIn.code, 0, signIn.stderr);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(throttled.code, 4, throttled.stderr);
    assert.equal(revoked.code, 3, revoked.stderr);
    assert.equal(deviceCode.code, 0, deviceCode.stderr);
    assert.equal(explicitCache.code, 0, explicitCache.stderr);
    assert.equal(signOut.code, 0, signOut.stderr);
    assert.ok(secrets.length >= 10, `the sandbox recorded only ${secrets.length} secrets`);
    assert.deepEqual(hits, []);
    assert.ok(tokenFiles.includes(acceptedCaches[1] as string), 'the scan found no token even in the accepted --cache-file');
    assert.deepEqual(
      tokenFiles.filter((path) => !acceptedCaches.includes(path)),
      [],
      'a file the user did not accept as plaintext holds a token',
    );
  });

  test('tray app shows no secret', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pt-secrets-tray-'));
    world.folders.push(dataDir);
    const log = new MemoryLog('debug');
    const harness = await startHarness({
      dataDir,
      platform: 'linux',
      driver: world.driver,
      transport: world.transport,
      logger: log.logger,
      authority: world.sandbox.authority,
      graphBaseUrl: world.gate.origin,
      caPem: world.sandbox.caPem,
    });
    harnesses.push(harness);
    const presence = harness.running.presence;
    const states: string[] = [];
    presence.onStateChange((state) => states.push(JSON.stringify(state)));
    const control = world.sandbox.control;
    const limits = { fakeMs: 60 * 60_000, realMs: 30_000 };

    await withinRealTime(presence.signIn('browser'), 30_000, 'the sign-in');
    await world.driver.settle(presence.setPresence({ availability: 'Busy', durationMs: null }), 'the set', limits);
    control.injectFaults({ action: 'clearPresence', responses: [{ status: 401, graphError: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }] });
    await world.driver.settle(presence.clearPresence('tray'), 'the clear after a 401', limits);
    await world.driver.settle(presence.setPresence({ availability: 'DoNotDisturb', durationMs: 30 * 60_000 }), 'the second set', limits);
    control.revokeRefreshTokens();
    control.injectFaults({ action: 'clearPresence', responses: [{ status: 401, graphError: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }] });
    await world.driver.settle(presence.clearPresence('tray', 1500), 'the clear with a revoked token', limits);
    const failedState = presence.state();
    await withinRealTime(presence.signIn('browser'), 30_000, 'the second sign-in');
    await world.driver.until(() => world.driver.idle(), 'the replay', limits);

    const secrets = control.issuedSecrets();
    const text = [log.text(), ...states, ...harness.notifications.created.map((notification) => JSON.stringify(notification.options))].join('\n');
    const leaked = secrets.filter((secret) => text.includes(secret)).length;
    const files = await filesUnder(dataDir);
    const tokenFiles = files.filter((file) => secrets.some((secret) => file.text.includes(secret))).map((file) => file.path);
    const cache = files.find((file) => file.path.endsWith(DATA_FILES.tokenCache));

    assert.equal(failedState.session.kind, 'clear-pending', 'the revoked token did not leave a pending clear, so its error text was not shown');
    assert.ok(secrets.length >= 5, `the sandbox recorded only ${secrets.length} secrets`);
    assert.equal(leaked, 0, 'a secret is in the log, the state or a notification');
    assert.ok(cache !== undefined, 'no token cache file was written');
    assert.ok(cache.text.startsWith('FAKE-SAFE-STORAGE:'), 'the token cache file is not encrypted by the secret store');
    assert.deepEqual(tokenFiles, [], 'a file in the data folder holds a token in plaintext');
  });

  test('no secret store writes no cache', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pt-secrets-basic-'));
    world.folders.push(dataDir);
    const log = new MemoryLog('info');
    const harness = await startHarness({
      dataDir,
      platform: 'linux',
      driver: world.driver,
      transport: world.transport,
      logger: log.logger,
      authority: world.sandbox.authority,
      graphBaseUrl: world.gate.origin,
      caPem: world.sandbox.caPem,
      safeStorage: new FakeSafeStorage({ backend: 'basic_text' }),
    });
    harnesses.push(harness);

    await withinRealTime(harness.running.presence.signIn('browser'), 30_000, 'the sign-in');
    const names = await readdir(dataDir);

    assert.equal(harness.running.presence.state().account.kind, 'signed-in');
    assert.ok(!names.includes(DATA_FILES.tokenCache), `a token cache was written without a secret store: ${names.join(', ')}`);
  });

  test('control API needs its secret', async () => {
    const origin = world.sandbox.origin;
    const ca = world.sandbox.caPem;
    const clockBefore = world.sandbox.control.now();
    const advance = JSON.stringify({ ms: 3_600_000 });

    const missing = await sendRequest(`${origin}/_sandbox/now`, { ca });
    const wrong = await sendRequest(`${origin}/_sandbox/now`, { ca, headers: { [CONTROL_SECRET_HEADER]: 'x'.repeat(43) } });
    const missingWrite = await sendRequest(`${origin}/_sandbox/advanceClock`, { ca, method: 'POST', body: advance, headers: { 'content-type': 'application/json' } });
    const secretsRead = await sendRequest(`${origin}/_sandbox/issuedSecrets`, { ca });
    const clockAfter = world.sandbox.control.now();
    const right = await sendRequest(`${origin}/_sandbox/now`, { ca, headers: { [CONTROL_SECRET_HEADER]: world.sandbox.controlSecret } });

    assert.equal(missing.status, 403);
    assert.equal(wrong.status, 403);
    assert.equal(missingWrite.status, 403);
    assert.equal(secretsRead.status, 403);
    assert.ok(clockAfter - clockBefore < 3_600_000, 'a rejected control request still moved the clock');
    assert.ok(!missing.body.includes(world.sandbox.controlSecret), 'the 403 shows the secret');
    assert.equal(right.status, 200);
  });
});
