/** What every benchmark case receives: the sandbox, the delay proxy, a token and the run's limits. */

import type { RunningSandbox } from '../../main/sandbox/index.ts';
import type { DelayProxy } from './delay-proxy.ts';
import type { PresenceTarget } from './raw-https.ts';

export interface BenchContext {
  sandbox: RunningSandbox;
  /** Proxy with the configured round-trip time in front of the sandbox. */
  proxy: DelayProxy;
  rttMs: number;
  /** Timed iterations per case. */
  count: number;
  /** Untimed iterations before each case. */
  warmup: number;
  /** The sandbox user's presence through the proxy, with a token from a direct sign-in. */
  delayed: PresenceTarget;
  /** The same presence straight at the sandbox, for untimed setup and loopback CPU figures. */
  direct: PresenceTarget;
  /** Scratch folder inside the checkout, so bundles there resolve `node_modules`. */
  workDir: string;
  /** The sandbox CA as a file, for `NODE_EXTRA_CA_CERTS` in child processes. */
  caFile: string;
  /** Progress line on stderr. */
  progress(message: string): void;
}

/** Counts requests in the sandbox log by action from `sinceId` on. */
export function countRequests(sandbox: RunningSandbox, sinceId: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of sandbox.control.requests()) {
    if (entry.id > sinceId) {
      counts[entry.action] = (counts[entry.action] ?? 0) + 1;
    }
  }
  return counts;
}

/** Returns the id of the newest sandbox log entry, or 0. */
export function lastRequestId(sandbox: RunningSandbox): number {
  return sandbox.control.requests().at(-1)?.id ?? 0;
}
