/**
 * Ours in a running app: from a tray click, a shortcut press or a suspend event (through the
 * Electron fakes) to the 2xx of `clearPresence` as the app's transport received it. The token
 * is in MSAL's cache and valid for about an hour. "Warm" keeps the connection the preceding
 * `setPresence` used; "new connection" closes idle connections first, as after a resume.
 */

import type { BenchContext } from './context.ts';
import { summarize, type Summary } from './stats.ts';
import { removeDataDir, startBenchTray, waitForIdle, type BenchTray } from './tray-harness.ts';

export type TriggerName = 'tray' | 'shortcut' | 'suspend';
export type ConnectionState = 'warm' | 'new-connection';

export interface TriggerResult {
  trigger: TriggerName;
  connection: ConnectionState;
  elapsedMs: Summary;
  /** From the trigger to the request reaching the transport: the app's own work before sending. */
  beforeSendMs: Summary;
  /** TCP and TLS handshakes at the delay proxy, per clear. */
  handshakesPerClear: number;
  /** Requests to the token endpoint, per clear. */
  tokenRequestsPerClear: number;
  /** Requests other than the clear itself (discovery, token, presence reads), per clear. */
  otherRequestsPerClear: number;
}

const TRIGGERS: readonly TriggerName[] = ['tray', 'shortcut', 'suspend'];
const STATES: readonly ConnectionState[] = ['warm', 'new-connection'];

/** Runs every trigger in both connection states in one signed-in tray app. */
export async function measureTriggers(context: BenchContext): Promise<TriggerResult[]> {
  const bench = await startBenchTray({ origin: context.proxy.origin, caPem: context.sandbox.caPem });
  try {
    context.progress('ours: signing in the tray app through the proxy');
    await bench.running.presence.signIn('browser');

    const results: TriggerResult[] = [];
    for (const trigger of TRIGGERS) {
      for (const connection of STATES) {
        context.progress(`ours: ${trigger} trigger, ${connection}`);
        for (let index = 0; index < context.warmup; index += 1) {
          await clearOnce(bench, context, trigger, connection);
        }
        const runs: ClearRun[] = [];
        for (let index = 0; index < context.count; index += 1) {
          runs.push(await clearOnce(bench, context, trigger, connection));
        }
        results.push({
          trigger,
          connection,
          elapsedMs: summarize(runs.map((run) => run.elapsedMs)),
          beforeSendMs: summarize(runs.map((run) => run.beforeSendMs)),
          handshakesPerClear: average(runs.map((run) => run.handshakes)),
          tokenRequestsPerClear: average(runs.map((run) => run.tokenRequests)),
          otherRequestsPerClear: average(runs.map((run) => run.otherRequests)),
        });
      }
    }
    return results;
  } finally {
    await bench.stop();
    await removeDataDir(bench.dataDir);
  }
}

interface ClearRun {
  elapsedMs: number;
  beforeSendMs: number;
  handshakes: number;
  tokenRequests: number;
  otherRequests: number;
}

/** Sets Busy, lets the app go idle, fires the trigger and times the clear's 2xx. */
async function clearOnce(bench: BenchTray, context: BenchContext, trigger: TriggerName, connection: ConnectionState): Promise<ClearRun> {
  await bench.running.presence.setPresence({ availability: 'Busy', durationMs: null });
  await waitForIdle(bench.transport);
  if (connection === 'new-connection') {
    bench.transport.inner.closeIdleConnections();
  }

  context.sandbox.control.clearRequests();
  const connectionsBefore = context.proxy.connections();
  const previousClearAt = bench.running.presence.state().lastClear?.at ?? null;
  const response = bench.transport.nextResponse('/presence/clearPresence');
  const startedAt = performance.now();
  fire(bench, trigger);
  const mark = await withLimit(response, 30_000, `the ${trigger} clear's response`);
  const elapsedMs = mark.at - startedAt;
  if (mark.status < 200 || mark.status > 299) {
    throw new Error(`The ${trigger} clear returned ${mark.status}, expected 2xx: the session set before it was not found.`);
  }

  await waitForClearRecord(bench, trigger, previousClearAt);
  await waitForIdle(bench.transport);
  const requests = context.sandbox.control.requests();
  return {
    elapsedMs,
    beforeSendMs: mark.sentAt - startedAt,
    handshakes: context.proxy.connections() - connectionsBefore,
    tokenRequests: requests.filter((entry) => entry.action === 'token').length,
    otherRequests: requests.filter((entry) => entry.action !== 'clearPresence').length,
  };
}

function fire(bench: BenchTray, trigger: TriggerName): void {
  switch (trigger) {
    case 'tray':
      bench.tray.contextMenu?.click('clear');
      return;
    case 'shortcut': {
      const accelerator = bench.running.settings.get().shortcut.accelerator;
      if (!bench.globalShortcut.press(accelerator)) {
        throw new Error(`No global shortcut is registered for ${accelerator}: check the shortcut settings of the benchmark app.`);
      }
      return;
    }
    case 'suspend':
      bench.powerMonitor.fire('suspend');
      return;
  }
}

/** Waits until the app recorded the clear, so the next iteration starts from a settled app. */
async function waitForClearRecord(bench: BenchTray, trigger: TriggerName, previousClearAt: number | null): Promise<void> {
  const startedAt = performance.now();
  const recorded = (): boolean => {
    const last = bench.running.presence.state().lastClear;
    return last !== null && last.trigger === trigger && last.at !== previousClearAt;
  };
  while (!recorded()) {
    if (performance.now() - startedAt > 30_000) {
      throw new Error(`The app did not record the ${trigger} clear within 30 s.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function withLimit<T>(promise: Promise<T>, limitMs: number, description: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${limitMs} ms waiting for ${description}.`)), limitMs);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function average(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
