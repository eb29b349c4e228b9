/**
 * Access to `window.presenceTray`, the API the preload exposes. Every call settles to an
 * `IpcReply`: a rejected invoke (no handler registered, window closing) becomes an error reply,
 * so views handle one shape.
 */

import type { IpcReply, PresenceTrayBridge } from '../main/ipc-contract.ts';

declare global {
  interface Window {
    presenceTray?: PresenceTrayBridge;
  }
}

/** Returns the bridge, or null when the page was opened without the preload. */
export function getBridge(): PresenceTrayBridge | null {
  return window.presenceTray ?? null;
}

/** Runs a bridge call and turns a rejection into an error reply. */
export async function settle<T>(call: () => Promise<IpcReply<T>>): Promise<IpcReply<T>> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: `The app did not respond: ${(error as Error)?.message ?? String(error)}` } };
  }
}
