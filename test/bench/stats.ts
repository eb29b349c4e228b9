/** Summary statistics of benchmark samples, and the machine facts every record carries. */

import os from 'node:os';

export interface Summary {
  count: number;
  median: number;
  /** Nearest-rank 95th percentile. */
  p95: number;
  min: number;
  max: number;
  mean: number;
}

/** Summarizes `samples` (any unit); rounds to 3 decimals so the JSON stays readable. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) {
    throw new RangeError('Cannot summarize an empty sample list: run the case at least once.');
  }
  const sorted = [...samples].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const rank = Math.max(1, Math.ceil(0.95 * sorted.length));
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;

  return {
    count: sorted.length,
    median: round(median),
    p95: round(sorted[rank - 1]!),
    min: round(sorted[0]!),
    max: round(sorted.at(-1)!),
    mean: round(mean),
  };
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Returns `numerator / denominator` rounded to 3 decimals. */
export function ratio(numerator: number, denominator: number): number {
  return round(numerator / denominator);
}

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  /** ISO 8601 time the run started. */
  date: string;
}

export function machineFacts(startedAt: Date): MachineFacts {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    node: process.version,
    date: startedAt.toISOString(),
  };
}
