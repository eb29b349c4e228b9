/**
 * The presence session with the real Graph client, the real Node transport and a real journal
 * file, against the sandbox over HTTPS. The unit tests cover keep-alive timing with a fake
 * clock, so these tests check what goes over the wire and what the journal file holds.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { PresenceClient } from '../../main/core/graph/presence-client.ts';
import { createNodeTransport, type NodeTransport } from '../../main/core/net/node-transport.ts';
import { createNodeBlobFile } from '../../main/core/node/blob-file.ts';
import { systemClock } from '../../main/core/node/clock.ts';
import { createJournalStore } from '../../main/core/node/journal-store.ts';
import type { JournalRecord } from '../../main/core/presence/journal.ts';
import { PresenceSession } from '../../main/core/presence/session.ts';
import type { PresenceWriter } from '../../main/core/presence/writer.ts';
import { acquireSandboxTokens, SANDBOX_CLIENT_ID, SANDBOX_USER, startSandbox, type RunningSandbox } from '../../main/sandbox/index.ts';
import { validateRequestAgainstOpenApi } from '../../main/sandbox/openapi-check.ts';
import { MemoryLog } from '../fakes/logger.ts';

const OID = SANDBOX_USER.objectId;
const IDENTITY = { presenceId: OID, sessionId: SANDBOX_CLIENT_ID };
const BUSY = { availability: 'Busy', activity: 'InACall' };
const MINUTE = 60_000;

describe('presence session over the sandbox', () => {
  let sandbox: RunningSandbox;
  let transport: NodeTransport;
  let accessToken: string;
  let folder: string;
  let journalPath: string;
  let log: MemoryLog;
  const sessions: PresenceSession[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0, logger: new MemoryLog().logger });
    transport = createNodeTransport({ extraCaPem: sandbox.caPem });
    accessToken = (await acquireSandboxTokens(sandbox)).accessToken;
  });

  after(async () => {
    transport.close();
    await sandbox.close();
  });

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'pt-session-'));
    journalPath = join(folder, 'presence-journal.json');
    log = new MemoryLog();
    sandbox.control.clearFaults();
    sandbox.control.setReadbackDelay({});
    sandbox.control.clearRequests();
  });

  afterEach(async () => {
    // Each test ends with no session at the sandbox, so the next one starts clean.
    for (const session of sessions.splice(0)) {
      session.dispose();
    }
    sandbox.control.clearFaults();
    await launch().clear({ trigger: 'tray', deadlineMs: Infinity });
    await rm(folder, { recursive: true, force: true });
  });

  /** Starts one app run: a fresh session over the same journal file, as after a restart. */
  function launch(): PresenceSession {
    const writer: PresenceWriter = new PresenceClient({
      transport,
      graphBaseUrl: sandbox.graphBaseUrl,
      tokens: { getAccessToken: async () => accessToken },
      clock: systemClock,
      logger: log.logger,
      apiVersion: 'v1.0',
    });
    const journal = createJournalStore({ file: createNodeBlobFile(journalPath), logger: log.logger });
    const session = new PresenceSession({ writer, clock: systemClock, logger: log.logger, journal, identity: () => IDENTITY });
    sessions.push(session);
    return session;
  }

  async function journalOnDisk(): Promise<JournalRecord> {
    return JSON.parse(await readFile(journalPath, 'utf8')) as JournalRecord;
  }

  function actions(): string[] {
    return sandbox.control
      .requests()
      .filter((entry) => entry.action === 'setPresence' || entry.action === 'clearPresence')
      .map((entry) => `${entry.action}:${entry.status}`);
  }

  test('set and clear over HTTPS', async () => {
    const session = launch();

    await session.set({ pair: BUSY, intentUntil: null });
    const shownWhileSet = sandbox.control.presenceOf(OID);
    const setBody = sandbox.control.requests().find((entry) => entry.action === 'setPresence')?.body;
    const entryWhileSet = (await journalOnDisk()).entry;
    const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });

    assert.deepEqual(setBody, { sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT10M' });
    assert.equal(shownWhileSet.availability, 'Busy');
    assert.equal(shownWhileSet.activity, 'InACall');
    assert.equal(entryWhileSet?.presenceId, OID);
    assert.equal(record.result, 'cleared');
    assert.notEqual(record.requestId, null);
    assert.equal(sandbox.control.presenceOf(OID).availability, 'Offline');
    assert.equal((await journalOnDisk()).entry, null);
  });

  test('requests match the OpenAPI description', async () => {
    const session = launch();
    await session.set({ pair: BUSY, intentUntil: Date.now() + 30 * MINUTE });
    await session.clear({ trigger: 'tray', deadlineMs: Infinity });

    const graphRequests = sandbox.control.requests().filter((entry) => entry.path.startsWith('/v1.0/'));
    assert.ok(graphRequests.length >= 2);
    for (const entry of graphRequests) {
      const result = validateRequestAgainstOpenApi(entry);
      assert.deepEqual(result.problems, [], `${entry.method} ${entry.path}`);
    }
  });

  test('three clears one request', async () => {
    const session = launch();
    await session.set({ pair: BUSY, intentUntil: null });
    sandbox.control.clearRequests();

    const records = await Promise.all([
      session.clear({ trigger: 'tray', deadlineMs: Infinity }),
      session.clear({ trigger: 'shortcut', deadlineMs: Infinity }),
      session.clear({ trigger: 'quit', deadlineMs: systemClock.monotonicMs() + 3000 }),
    ]);

    assert.deepEqual(actions(), ['clearPresence:200']);
    for (const record of records) {
      assert.equal(record.result, 'cleared');
    }
  });

  test('expired session clears as 404', async () => {
    const session = launch();
    await session.set({ pair: BUSY, intentUntil: null });
    sandbox.control.advanceClock(11 * MINUTE); // the session expires at the sandbox only
    sandbox.control.clearRequests();

    const record = await session.clear({ trigger: 'tray', deadlineMs: Infinity });

    assert.equal(record.result, 'already-cleared');
    assert.equal(record.error, undefined);
    assert.deepEqual(actions(), ['clearPresence:404']);
    assert.equal((await journalOnDisk()).entry, null);
  });

  test('unanswered quit clear journaled', async () => {
    const session = launch();
    await session.set({ pair: BUSY, intentUntil: null });
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ noAnswer: true }] });

    const started = Date.now();
    const record = await session.clear({ trigger: 'quit', deadlineMs: systemClock.monotonicMs() + 1500 });
    const elapsedMs = Date.now() - started;

    assert.equal(record.result, 'journaled');
    // Generous bound for a loaded machine; the budget itself is 1.5 s.
    assert.ok(elapsedMs < 5000, `clear returned after ${elapsedMs} ms`);
    assert.equal((await journalOnDisk()).entry?.presenceId, OID);
    assert.equal(sandbox.control.presenceOf(OID).availability, 'Busy');
  });

  test('next start replays pending clear', async () => {
    const first = launch();
    await first.set({ pair: BUSY, intentUntil: null });
    sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ status: 503, headers: { 'Retry-After': '600' } }] });
    assert.equal((await first.clear({ trigger: 'quit', deadlineMs: systemClock.monotonicMs() + 3000 })).result, 'journaled');
    first.dispose();
    sandbox.control.clearRequests();

    const second = launch();
    await second.start(systemClock.monotonicMs() + 5000);

    assert.deepEqual(actions(), ['clearPresence:200']);
    assert.equal(sandbox.control.presenceOf(OID).availability, 'Offline');
    assert.equal((await journalOnDisk()).entry, null);
  });

  test('crash restart clears then re-asserts', async () => {
    const first = launch();
    await first.set({ pair: BUSY, intentUntil: Date.now() + 60 * MINUTE });
    first.dispose(); // no clear: the process died
    sandbox.control.clearRequests();

    const second = launch();
    await second.start(systemClock.monotonicMs() + 5000);

    assert.deepEqual(actions(), ['clearPresence:200', 'setPresence:200']);
    assert.equal(second.state().kind, 'active');
    assert.equal(sandbox.control.presenceOf(OID).activity, 'InACall');
  });

  test('lagging read shows pending', async () => {
    sandbox.control.setReadbackDelay({ reads: 1 });
    const session = launch();
    await session.set({ pair: BUSY, intentUntil: null });

    const readback = await waitForReadback(session);

    assert.equal(readback, 'pending');
    assert.equal(sandbox.control.requests().filter((entry) => entry.action === 'setPresence').length, 1);
  });

  test('log holds no token', async () => {
    const session = launch();
    await session.set({ pair: BUSY, intentUntil: null });
    await session.clear({ trigger: 'tray', deadlineMs: Infinity });
    const text = log.text();
    for (const secret of sandbox.control.issuedSecrets()) {
      assert.ok(!text.includes(secret), 'a secret the sandbox issued is in the log');
    }
  });
});

/** Waits up to 10 s (real time) for the first readback after a set. */
async function waitForReadback(session: PresenceSession): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const state = session.state();
    const kind = state.kind === 'active' ? state.readback.kind : state.kind;
    if (kind !== 'unknown' || Date.now() > deadline) {
      return kind;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
