/**
 * Crash recovery. A real process builds the app as the command line does and sets and clears
 * presence in a loop. The test SIGKILLs it at seeded random points: during start-up, inside a
 * set, between a set and a clear, inside a clear. After each kill the app starts again the way
 * the tray app starts (`start({ replayJournal: true })`), which must send the pending clear before
 * any other Graph write. The child runs from an esbuild bundle, because starting 200 processes
 * through tsx would take minutes.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { build } from 'esbuild';

import { createHeadlessContext, type CommandIo } from '../../main/cli/headless.ts';
import { isEntryExpired } from '../../main/core/presence/journal.ts';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  startSandbox,
  writeSandboxState,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { readJournalFile } from './support/matrix-world.ts';
import { OutputCollector } from './support/secret-scan.ts';
import { chooseSeed, seededRandom, type SeededRandom } from './support/seeded-random.ts';

/** Kills to survive; each costs one process start of about 0.2 s. */
const KILLS = 200;

/** A child that shows no progress for this long is killed and counted as stalled. */
const STALL_MS = 10_000;

/** Steps the child announces per set-and-clear cycle. */
const STEPS_PER_CYCLE = 4;

const CHILD_SOURCE = fileURLToPath(new URL('./support/crash-child.ts', import.meta.url));
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

const GLOBAL_OPTIONS = { sandbox: true, verbose: false, json: false, cacheFile: null };

interface KillPoint {
  /** The step the child was in at the kill (`set` or `clear`), or `start-up`. */
  step: string;
  signal: NodeJS.Signals | null;
  exitCode: number | null;
  stalled: boolean;
}

describe('crash recovery', () => {
  let sandbox: RunningSandbox;
  let home: string;
  let bundleDir: string;
  let bundle: string;
  const outputs = new OutputCollector();
  const env = (): NodeJS.ProcessEnv => {
    const copy: NodeJS.ProcessEnv = { ...process.env, PRESENCE_TRAY_HOME: home };
    delete copy.NODE_TEST_CONTEXT;
    delete copy.NODE_OPTIONS;
    return copy;
  };

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'pt-crash-home-'));
    bundleDir = await mkdtemp(join(tmpdir(), 'pt-crash-bundle-'));
    bundle = join(bundleDir, 'crash-child.mjs');
    const sandboxLog = new MemoryLog('info');
    sandbox = await startSandbox({ logger: sandboxLog.logger });
    outputs.addLive('sandbox log', () => sandboxLog.text());
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
    await build({
      entryPoints: [CHILD_SOURCE],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: bundle,
      banner: { js: REQUIRE_SHIM },
      logLevel: 'warning',
    });

    // One sign-in; every child restores the account from the sandbox token cache.
    const context = await createHeadlessContext(GLOBAL_OPTIONS, collectingIo('sign-in output'), env());
    try {
      await context.app.signIn('browser');
    } finally {
      await context.close();
    }
  });

  after(async () => {
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  });

  function collectingIo(label: string): CommandIo {
    let text = '';
    outputs.addLive(label, () => text);
    return {
      out: (chunk) => {
        text += chunk;
      },
      err: (chunk) => {
        text += chunk;
      },
    };
  }

  function liveSession(): boolean {
    const now = sandbox.control.now();
    return sandbox.control
      .presenceOf(SANDBOX_USER.objectId)
      .sessions.some((session) => session.kind === 'app' && session.id === SANDBOX_CLIENT_ID && (session.expiresAt ?? 0) > now);
  }

  /** Starts the child and SIGKILLs it at a random step; returns where it died. */
  async function runUntilKilled(random: SeededRandom, stderr: string[]): Promise<KillPoint> {
    const child = spawn(process.execPath, [bundle], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => stderr.push(chunk));

    // 0 kills during start-up; otherwise after that many announced steps.
    const killAfterSteps = random.int(0, 2 * STEPS_PER_CYCLE + 1);
    const extraDelayMs = random.int(0, 4);
    let lastStep = 'start-up';
    let seen = 0;
    let stalled = false;

    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    };
    let stallTimer = setTimeout(() => {
      stalled = true;
      kill();
    }, STALL_MS);

    child.stdout.setEncoding('utf8');
    let buffered = '';
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        seen += 1;
        lastStep = line.split(' ')[0] ?? line;
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => {
          stalled = true;
          kill();
        }, STALL_MS);
        if (seen === killAfterSteps) {
          setTimeout(kill, extraDelayMs);
        }
      }
    });
    if (killAfterSteps === 0) {
      setTimeout(kill, random.int(0, 250));
    }

    const [exitCode, signal] = await exited;
    clearTimeout(stallTimer);
    return { step: lastStep, signal, exitCode, stalled };
  }

  test(`${KILLS} SIGKILLs leave no session open`, async (context) => {
    const random = seededRandom(chooseSeed());
    context.diagnostic(`seed ${random.seed} (set RELIABILITY_SEED=${random.seed} to repeat this run)`);
    const stateDir = join(home, 'sandbox');
    const childErrors: string[] = [];
    outputs.addLive('child stderr', () => childErrors.join(''));

    const killedAt = new Map<string, number>();
    const notKilled: string[] = [];
    const liveWithoutJournal: string[] = [];
    const firstWriteNotClear: string[] = [];
    const liveWithoutJournalAfterRecovery: string[] = [];
    let replays = 0;

    for (let kill = 1; kill <= KILLS; kill += 1) {
      const point = await runUntilKilled(random, childErrors);
      if (point.signal !== 'SIGKILL' || point.stalled) {
        notKilled.push(`kill ${kill}: exit code ${point.exitCode}, signal ${point.signal}, stalled ${point.stalled}`);
      }
      killedAt.set(point.step, (killedAt.get(point.step) ?? 0) + 1);

      // What the crash left: a session that may be live must have an open journal entry.
      const left = await readJournalFile(stateDir);
      if (liveSession() && left.entry === null) {
        liveWithoutJournal.push(`kill ${kill} at ${point.step}`);
      }

      // Start as the tray app does; an open entry must be cleared before anything else.
      const due = left.entry !== null && !isEntryExpired(left.entry, Date.now());
      const seen = sandbox.control.requests().length;
      const recovered = await createHeadlessContext(GLOBAL_OPTIONS, collectingIo(`recovery ${kill} output`), env());
      try {
        await recovered.app.start({ replayJournal: true });
      } finally {
        await recovered.close();
      }
      const writes = sandbox.control
        .requests()
        .slice(seen)
        .filter((entry) => entry.action === 'setPresence' || entry.action === 'clearPresence');
      if (due) {
        replays += 1;
        if (writes[0]?.action !== 'clearPresence') {
          firstWriteNotClear.push(`kill ${kill} at ${point.step}: first write ${writes[0]?.action ?? 'none'}`);
        }
      }
      if (liveSession() && (await readJournalFile(stateDir)).entry === null) {
        liveWithoutJournalAfterRecovery.push(`kill ${kill} at ${point.step}`);
      }
      sandbox.control.clearRequests();
    }

    // The user ends the day with a clear; nothing may stay open.
    const last = await createHeadlessContext(GLOBAL_OPTIONS, collectingIo('final clear output'), env());
    try {
      await last.app.start({ replayJournal: true });
      await last.app.clearPresence('command-line', 30_000);
    } finally {
      await last.close();
    }
    const steps = [...killedAt.entries()].map(([step, count]) => `${step}=${count}`).join(', ');
    context.diagnostic(`killed at: ${steps}; pending clears replayed: ${replays}`);

    assert.deepEqual(notKilled, []);
    assert.deepEqual(liveWithoutJournal, []);
    assert.deepEqual(firstWriteNotClear, []);
    assert.deepEqual(liveWithoutJournalAfterRecovery, []);
    // The child moves from one step to the next at once, so kills land in start-up, sets and clears.
    assert.ok(killedAt.size >= 3, `kills landed at too few steps to mean much: ${steps}`);
    assert.ok(replays > 0, 'no kill left a pending clear, so the replay was never tested');
    assert.equal(liveSession(), false, 'a session is still live at the end');
    assert.equal((await readJournalFile(stateDir)).entry, null, 'the journal is still open at the end');
  });

  test('crash output holds no secret', async () => {
    const secrets = sandbox.control.issuedSecrets();
    const hits = await outputs.findSecrets(secrets);

    assert.ok(secrets.length > 0, 'the sandbox issued no secrets to look for');
    assert.deepEqual(hits, []);
  });
});
