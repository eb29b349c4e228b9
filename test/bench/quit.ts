/**
 * Quit to exit: the tray menu's Quit drives the real quit path (before-quit prevented, the
 * clear joined within the quit budget, then exit) through the Electron fakes. Measured with
 * the sandbox answering, and with it holding every clear without an answer, where the exit
 * must come at the budget.
 */

import type { BenchContext } from './context.ts';
import { summarize, type Summary } from './stats.ts';
import { removeDataDir, startBenchTray, waitForIdle, type BenchTray } from './tray-harness.ts';

export interface QuitResult {
  answering: Summary;
  notAnswering: Summary;
  /** The quit budget in the settings. */
  budgetMs: number;
}

/** Runs of the not-answering case; each one lasts the whole budget. */
const NOT_ANSWERING_RUNS = 5;

export async function measureQuit(context: BenchContext): Promise<QuitResult> {
  let dataDir: string | undefined;
  let budgetMs = 0;

  // The first start signs in; later starts reuse its data folder and token cache.
  const startSignedIn = async (): Promise<BenchTray> => {
    const bench = await startBenchTray({ origin: context.proxy.origin, caPem: context.sandbox.caPem, ...(dataDir === undefined ? {} : { dataDir }) });
    if (dataDir === undefined) {
      dataDir = bench.dataDir;
      await bench.running.presence.signIn('browser');
    }
    budgetMs = bench.running.settings.get().budgetsMs.quit;
    return bench;
  };

  const quitOnce = async (answering: boolean): Promise<number> => {
    const bench = await startSignedIn();
    try {
      await bench.running.presence.setPresence({ availability: 'Busy', durationMs: null });
      await waitForIdle(bench.transport);
      if (!answering) {
        context.sandbox.control.injectFaults({ action: 'clearPresence', responses: [{ noAnswer: true }, { noAnswer: true }, { noAnswer: true }] });
      }

      const startedAt = performance.now();
      bench.tray.contextMenu?.click('quit');
      const exitedAt = await bench.app.waitForExit(budgetMs + 10_000);
      return exitedAt - startedAt;
    } finally {
      context.sandbox.control.clearFaults();
      await bench.stop();
    }
  };

  try {
    context.progress('quit: sandbox answering');
    const answering: number[] = [];
    for (let index = 0; index < context.warmup + context.count; index += 1) {
      const elapsed = await quitOnce(true);
      if (index >= context.warmup) {
        answering.push(elapsed);
      }
    }

    context.progress(`quit: sandbox not answering (${NOT_ANSWERING_RUNS} runs of about ${budgetMs} ms)`);
    const notAnswering: number[] = [];
    for (let index = 0; index < NOT_ANSWERING_RUNS; index += 1) {
      notAnswering.push(await quitOnce(false));
    }

    return { answering: summarize(answering), notAnswering: summarize(notAnswering), budgetMs };
  } finally {
    if (dataDir !== undefined) {
      await removeDataDir(dataDir);
    }
  }
}
