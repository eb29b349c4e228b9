/**
 * What every scenario of the fault matrix shares: one sandbox whose clock is the test's fake
 * clock, the relay that can refuse Graph connections, the counting transport, and the collector
 * of every output for the secret scan. It also reads the facts the scenarios check: the session
 * at the sandbox, the journal on disk and the Graph requests the sandbox logged.
 */

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { createNodeTransport, type NodeTransport } from '../../../main/core/net/node-transport.ts';
import { DATA_FILES } from '../../../main/core/paths.ts';
import { parseJournal } from '../../../main/core/presence/journal-format.ts';
import { EMPTY_JOURNAL, type JournalRecord } from '../../../main/core/presence/journal.ts';
import {
  createSandboxClock,
  SANDBOX_CLIENT_ID,
  SANDBOX_USER,
  startSandbox,
  type RequestLogEntry,
  type RunningSandbox,
} from '../../../main/sandbox/index.ts';
import type { PresenceSnapshot } from '../../../main/sandbox/index.ts';
import { MemoryLog } from '../../fakes/logger.ts';
import { CountingTransport } from './counting-transport.ts';
import { guardProcess } from './process-guard.ts';
import { RefusingGate } from './refusing-gate.ts';
import { OutputCollector } from './secret-scan.ts';
import { TimeDriver } from './time-driver.ts';

export const USER_ID = SANDBOX_USER.objectId;

export type SandboxSession = PresenceSnapshot['sessions'][number];

export class MatrixWorld {
  readonly driver: TimeDriver;
  readonly outputs = new OutputCollector();
  readonly folders: string[] = [];
  sandbox!: RunningSandbox;
  gate!: RefusingGate;
  transport!: CountingTransport;
  private node!: NodeTransport;
  private readonly sandboxLog = new MemoryLog('info');

  constructor() {
    guardProcess();
    this.driver = new TimeDriver(Date.now(), () => this.transport.inFlight + (this.gate.changing ? 1 : 0));
  }

  async open(): Promise<void> {
    const clock = createSandboxClock(() => this.driver.fake.wallMs());
    this.sandbox = await startSandbox({ clock, logger: this.sandboxLog.logger });
    this.gate = new RefusingGate(this.sandbox.port);
    await this.gate.open();
    this.node = createNodeTransport({ extraCaPem: this.sandbox.caPem });
    this.transport = new CountingTransport(this.node);
  }

  async close(): Promise<void> {
    this.node.close();
    await this.gate.close();
    await this.sandbox.close();
    for (const folder of this.folders) {
      await rm(folder, { recursive: true, force: true });
    }
  }

  /** Removes every fault and knob a scenario may have left set. */
  async reset(): Promise<void> {
    this.sandbox.control.clearFaults();
    this.sandbox.control.requireAdminConsent(false);
    this.transport.observer = {};
    await this.gate.open();
  }

  /** Sandbox time minus the app's wall time; grows when a scenario moves the sandbox alone. */
  sandboxOffsetMs(): number {
    return this.sandbox.control.now() - this.driver.fake.wallMs();
  }

  /** Returns the app's session at the sandbox if it has not expired, else null. */
  liveSession(): SandboxSession | null {
    const now = this.sandbox.control.now();
    const sessions = this.sandbox.control.presenceOf(USER_ID).sessions;
    return sessions.find((session) => session.kind === 'app' && session.id === SANDBOX_CLIENT_ID && (session.expiresAt ?? 0) > now) ?? null;
  }

  /** Graph requests the sandbox logged since the last `clearRequests`, in arrival order. */
  graphRequests(): RequestLogEntry[] {
    return this.sandbox.control.requests().filter((entry) => entry.path.startsWith('/v1.0/') || entry.path.startsWith('/beta/'));
  }
}

/** Reads the journal file as the app would, without moving a damaged one aside. */
export async function readJournalFile(dataDir: string): Promise<JournalRecord> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dataDir, DATA_FILES.journal));
  } catch {
    return structuredClone(EMPTY_JOURNAL);
  }
  return parseJournal(bytes).record;
}
