/**
 * The `sandbox.json` file through which `presence-tray --sandbox <command>` in another process
 * finds the running sandbox. It contains the control secret, so it is written with mode 0600.
 */

import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_FILES } from '../core/paths.ts';
import { CONTROL_PREFIX } from './routes.ts';
import { CONTROL_SECRET_HEADER } from './control-http.ts';
import { sendRequest } from './http-client.ts';

export interface SandboxState {
  origin: string;
  authority: string;
  graphBaseUrl: string;
  caPem: string;
  controlSecret: string;
  pid: number;
  clientId: string;
  tenantId: string;
}

/** Raised when no sandbox responds: no state file, or the file is stale. */
export class SandboxNotRunningError extends Error {
  constructor(
    /** The reason the state file could not be used, for logs. */
    readonly reason: string,
  ) {
    super('No sandbox is running: start one with `presence-tray sandbox`');
    this.name = 'SandboxNotRunningError';
  }
}

const STRING_FIELDS = ['origin', 'authority', 'graphBaseUrl', 'caPem', 'controlSecret', 'clientId', 'tenantId'] as const;

/** Time `readSandboxState` waits for the sandbox to respond before calling the file stale. */
const PROBE_TIMEOUT_MS = 2000;

export function sandboxStatePath(dataDir: string): string {
  return join(dataDir, DATA_FILES.sandboxState);
}

/** Writes the state file atomically (temporary file, then rename), readable only by the user. */
export async function writeSandboxState(dataDir: string, state: SandboxState): Promise<void> {
  const path = sandboxStatePath(dataDir);
  const temporary = `${path}.${randomUUID()}.tmp`;

  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  try {
    // The mode passed to writeFile is reduced by the umask, so set it again explicitly.
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Removes the state file, as a sandbox does when it stops. */
export async function removeSandboxState(dataDir: string): Promise<void> {
  await rm(sandboxStatePath(dataDir), { force: true });
}

/**
 * Reads the state file and checks that its sandbox still runs: the process exists and the
 * control API responds with the file's certificate and secret. Throws SandboxNotRunningError
 * when the file is missing, damaged or stale.
 */
export async function readSandboxState(dataDir: string): Promise<SandboxState> {
  const path = sandboxStatePath(dataDir);

  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SandboxNotRunningError(`${path} does not exist.`);
    }
    throw error;
  }

  const state = parseState(text);
  if (state === null) {
    throw new SandboxNotRunningError(`${path} is not a valid sandbox state file.`);
  }
  if (!processExists(state.pid)) {
    throw new SandboxNotRunningError(`${path} names process ${state.pid}, which has exited.`);
  }

  try {
    const response = await sendRequest(`${state.origin}${CONTROL_PREFIX}now`, {
      method: 'POST',
      headers: { [CONTROL_SECRET_HEADER]: state.controlSecret, 'content-type': 'application/json' },
      body: '{}',
      ca: state.caPem,
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    if (response.status !== 200) {
      throw new Error(`its control API returned ${response.status}`);
    }
  } catch (error) {
    throw new SandboxNotRunningError(`The sandbox at ${state.origin} named in ${path} did not respond: ${(error as Error).message}`);
  }
  return state;
}

function parseState(text: string): SandboxState | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }

  const fields = value as Record<string, unknown>;
  if (!STRING_FIELDS.every((name) => typeof fields[name] === 'string') || !Number.isInteger(fields.pid)) {
    return null;
  }
  return value as SandboxState;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
