/**
 * Keep-alive cost: requests and CPU time for an 8-hour intent under the fake clock, and the
 * heap growth over 10,000 keep-alive cycles, measured in a child process (so the sandbox's
 * own work is not counted) with `--expose-gc`.
 */

import { join } from 'node:path';

import type { BenchBundles } from './bundles.ts';
import type { KeepAliveConfig, KeepAliveResult } from './child/keep-alive-child.ts';
import { countRequests, lastRequestId, type BenchContext } from './context.ts';
import { runJsonChild } from './peers.ts';
import { round } from './stats.ts';

export interface KeepAliveFigures {
  intentHours: number;
  /** Requests the sandbox received during the intent, by action. */
  intentRequests: Record<string, number>;
  intentCpuMs: number;
  /** CPU time per hour of intent, ms. */
  cpuMsPerHour: number;
  cycles: number;
  cycleRequests: Record<string, number>;
  heapGrowthMiB: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  /** CPU per keep-alive cycle (one refresh and its readback), ms. */
  cpuMsPerCycle: number;
}

export async function measureKeepAlive(context: BenchContext, bundles: BenchBundles, options: { intentHours: number; cycles: number }): Promise<KeepAliveFigures> {
  context.progress(`keep-alive: ${options.intentHours}-hour intent, then ${options.cycles} cycles`);
  const config: KeepAliveConfig = {
    target: context.direct,
    caPem: context.sandbox.caPem,
    journalPath: join(context.workDir, 'keep-alive-journal.json'),
    intentHours: options.intentHours,
    warmupCycles: 200,
    cycles: options.cycles,
  };

  context.sandbox.control.clearRequests();
  const sinceId = lastRequestId(context.sandbox);
  const result = await runJsonChild<KeepAliveResult>(bundles.keepAliveChild, config, context.caFile, 'keep-alive');
  const sandboxCounts = countRequests(context.sandbox, sinceId);
  context.sandbox.control.clearRequests();

  // The sandbox log covers both parts; the child's own counts split them.
  const totalChild = sumCounts(result.intent.requests) + sumCounts(result.cycles.requests);
  const totalSandbox = sumCounts(sandboxCounts);
  if (totalSandbox < totalChild) {
    throw new Error(`The sandbox logged ${totalSandbox} requests but the keep-alive child sent at least ${totalChild}: the counts disagree.`);
  }

  const mib = (bytes: number): number => round(bytes / 1024 ** 2);
  return {
    intentHours: result.intent.hours,
    intentRequests: result.intent.requests,
    intentCpuMs: round(result.intent.cpuMs),
    cpuMsPerHour: round(result.intent.cpuMs / result.intent.hours),
    cycles: result.cycles.count,
    cycleRequests: result.cycles.requests,
    heapGrowthMiB: mib(result.cycles.heapAfterBytes - result.cycles.heapBeforeBytes),
    heapBeforeMiB: mib(result.cycles.heapBeforeBytes),
    heapAfterMiB: mib(result.cycles.heapAfterBytes),
    cpuMsPerCycle: round(result.cycles.cpuMs / result.cycles.count),
  };
}

function sumCounts(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
