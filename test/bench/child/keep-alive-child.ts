/**
 * Keep-alive cost in a child process: the real presence session, Graph client and Node
 * transport against the sandbox on loopback, with time moved by a fake clock. Part one holds an
 * 8-hour intent with the file journal and reports requests and CPU time; part two runs many
 * keep-alive cycles with an in-memory journal and reports the heap growth. Reads its
 * configuration as JSON from stdin, writes one JSON line. Run bundled, with `--expose-gc`.
 */

import { createLogger } from '../../../main/core/log.ts';
import { PresenceClient } from '../../../main/core/graph/presence-client.ts';
import { createNodeTransport, type NodeTransport } from '../../../main/core/net/node-transport.ts';
import { createNodeBlobFile } from '../../../main/core/node/blob-file.ts';
import { createJournalStore } from '../../../main/core/node/journal-store.ts';
import type { HttpRequest, HttpResponse, HttpTransport, Logger } from '../../../main/core/ports.ts';
import { EMPTY_JOURNAL, type JournalRecord, type JournalStore } from '../../../main/core/presence/journal.ts';
import { KEEP_ALIVE_INTERVAL_MS } from '../../../main/core/presence/keep-alive.ts';
import { PresenceSession } from '../../../main/core/presence/session.ts';
import { FakeClock } from '../../fakes/clock.ts';
import type { PresenceTarget } from '../raw-https.ts';

export interface KeepAliveConfig {
  target: PresenceTarget;
  caPem: string;
  journalPath: string;
  intentHours: number;
  /** Keep-alive cycles before the first heap reading. */
  warmupCycles: number;
  cycles: number;
}

export interface KeepAliveResult {
  intent: {
    hours: number;
    /** Requests the client sent, by Graph action. */
    requests: Record<string, number>;
    cpuMs: number;
    /** Real time the simulated hours took. */
    wallMs: number;
  };
  cycles: {
    count: number;
    requests: Record<string, number>;
    heapBeforeBytes: number;
    heapAfterBytes: number;
    cpuMs: number;
    wallMs: number;
  };
}

const MINUTE_MS = 60_000;

/** Counts requests by action and tracks what is in flight, so the driver can wait for quiet. */
class CountingTransport implements HttpTransport {
  inFlight = 0;
  counts: Record<string, number> = {};

  constructor(private readonly inner: NodeTransport) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    const action = actionOf(request);
    this.counts[action] = (this.counts[action] ?? 0) + 1;
    this.inFlight += 1;
    try {
      return await this.inner.send(request);
    } finally {
      this.inFlight -= 1;
    }
  }

  describeProxy(): string | null {
    return null;
  }

  close(): void {
    this.inner.close();
  }
}

function actionOf(request: HttpRequest): string {
  const last = new URL(request.url).pathname.split('/').at(-1) ?? '';
  return request.method === 'GET' ? 'getPresence' : last;
}

/** Tracks journal operations in flight around any store. */
class TrackedJournal implements JournalStore {
  inFlight = 0;

  constructor(private readonly inner: JournalStore) {}

  async read(): Promise<JournalRecord> {
    return this.track(this.inner.read());
  }

  async write(record: JournalRecord): Promise<void> {
    return this.track(this.inner.write(record));
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work;
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** Keeps only the latest record, so the journal itself cannot grow the heap. */
class LatestRecordJournal implements JournalStore {
  private record: JournalRecord = structuredClone(EMPTY_JOURNAL);

  async read(): Promise<JournalRecord> {
    return structuredClone(this.record);
  }

  async write(record: JournalRecord): Promise<void> {
    this.record = structuredClone(record);
  }
}

interface Rig {
  clock: FakeClock;
  session: PresenceSession;
  transport: CountingTransport;
  journal: TrackedJournal;
}

function createRig(config: KeepAliveConfig, journal: JournalStore, logger: Logger): Rig {
  const clock = new FakeClock(Date.now());
  const transport = new CountingTransport(createNodeTransport({ extraCaPem: config.caPem }));
  const tracked = new TrackedJournal(journal);
  const client = new PresenceClient({
    transport,
    graphBaseUrl: config.target.origin,
    tokens: { getAccessToken: async () => config.target.token },
    clock,
    logger,
    apiVersion: 'v1.0',
  });
  const session = new PresenceSession({
    writer: client,
    clock,
    logger,
    journal: tracked,
    identity: () => ({ presenceId: config.target.presenceId, sessionId: config.target.sessionId }),
  });
  return { clock, session, transport, journal: tracked };
}

/** Waits until no request and no journal operation has been in flight for a few turns. */
async function settle(rig: Rig): Promise<void> {
  let quietTurns = 0;
  const startedAt = performance.now();
  while (quietTurns < 3) {
    if (performance.now() - startedAt > 30_000) {
      throw new Error('Keep-alive work was still in flight after 30 s of real time.');
    }
    await new Promise((resolve) => setImmediate(resolve));
    quietTurns = rig.transport.inFlight === 0 && rig.journal.inFlight === 0 ? quietTurns + 1 : 0;
  }
}

/** Moves the fake clock `totalMs` forward in `stepMs` steps, settling after each. */
async function advance(rig: Rig, totalMs: number, stepMs: number): Promise<void> {
  for (let movedMs = 0; movedMs < totalMs; movedMs += stepMs) {
    await rig.clock.advance(Math.min(stepMs, totalMs - movedMs));
    await settle(rig);
  }
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    throw new Error('Run the keep-alive child with --expose-gc, so heap figures are taken after a full collection.');
  }
  gc();
  gc();
}

function cpuMsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function holdIntent(config: KeepAliveConfig, logger: Logger): Promise<KeepAliveResult['intent']> {
  const file = createNodeBlobFile(config.journalPath, { logger });
  const rig = createRig(config, createJournalStore({ file, logger }), logger);
  const intentMs = config.intentHours * 60 * MINUTE_MS;

  try {
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await rig.session.set({ pair: { availability: 'Busy', activity: 'InACall' }, intentUntil: rig.clock.wallMs() + intentMs });
    await settle(rig);
    // A minute past the intent, so the clear at its end is counted too.
    await advance(rig, intentMs + MINUTE_MS, MINUTE_MS);
    return { hours: config.intentHours, requests: { ...rig.transport.counts }, cpuMs: cpuMsSince(cpuBefore), wallMs: performance.now() - startedAt };
  } finally {
    rig.session.dispose();
    rig.transport.close();
  }
}

async function runCycles(config: KeepAliveConfig, logger: Logger): Promise<KeepAliveResult['cycles']> {
  const rig = createRig(config, new LatestRecordJournal(), logger);
  try {
    await rig.session.set({ pair: { availability: 'Available', activity: 'Available' }, intentUntil: null });
    await settle(rig);
    await advance(rig, config.warmupCycles * KEEP_ALIVE_INTERVAL_MS, KEEP_ALIVE_INTERVAL_MS);

    collectGarbage();
    const heapBeforeBytes = process.memoryUsage().heapUsed;
    const countsBefore = { ...rig.transport.counts };
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await advance(rig, config.cycles * KEEP_ALIVE_INTERVAL_MS, KEEP_ALIVE_INTERVAL_MS);
    const cpuMs = cpuMsSince(cpuBefore);
    const wallMs = performance.now() - startedAt;
    collectGarbage();
    const heapAfterBytes = process.memoryUsage().heapUsed;

    const requests: Record<string, number> = {};
    for (const [action, count] of Object.entries(rig.transport.counts)) {
      requests[action] = count - (countsBefore[action] ?? 0);
    }
    return { count: config.cycles, requests, heapBeforeBytes, heapAfterBytes, cpuMs, wallMs };
  } finally {
    rig.session.dispose();
    rig.transport.close();
  }
}

async function readConfig(): Promise<KeepAliveConfig> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as KeepAliveConfig;
}

try {
  const config = await readConfig();
  // Info level, as the app logs; the sink drops lines so only their formatting costs.
  const logger = createLogger(() => {}, 'info', 'bench');
  const intent = await holdIntent(config, logger);
  const cycles = await runCycles(config, logger);
  const result: KeepAliveResult = { intent, cycles };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`Keep-alive child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
