/**
 * "Try the sandbox" from the settings window: starts `presence-tray sandbox` as its own process
 * (it must outlive this one), waits until it has written its state file, and restarts the app
 * with `--sandbox`, which reads that file.
 */

import { spawn } from 'node:child_process';

import type { App } from 'electron';

import type { Logger } from '../core/ports.ts';

export type RelaunchAppApi = Pick<App, 'relaunch'>;

export interface SandboxSwitchOptions {
  app: RelaunchAppApi;
  /** The command that runs this executable as the command line, for example `[execPath]`. */
  command: readonly string[];
  /** Arguments of this launch, passed again on relaunch with `--sandbox` added. */
  launchArgs: readonly string[];
  /** Resolves once the sandbox state file is readable; rejects when it is not. */
  waitForSandbox: (timeoutMs: number) => Promise<void>;
  /** Quits this process after the relaunch is scheduled (the quit clears the session). */
  quit: () => void;
  logger: Logger;
  timeoutMs?: number;
}

/** Returns the function the IPC handler calls. */
export function createSandboxSwitch(options: SandboxSwitchOptions): () => Promise<void> {
  const log = options.logger.child('sandbox-switch');

  return async () => {
    const [program, ...prefix] = options.command;
    if (program === undefined) {
      throw new Error('Cannot start the sandbox: the command that runs the app is empty.');
    }

    const child = spawn(program, [...prefix, 'sandbox'], { detached: true, stdio: 'ignore' });
    child.unref();
    log.info('Started the sandbox process', { pid: child.pid ?? null });

    try {
      await options.waitForSandbox(options.timeoutMs ?? 15_000);
    } catch (error) {
      log.error('The sandbox did not start', { error: String(error) });
      throw new Error(`The sandbox did not start: ${(error as Error).message}. Run "presence-tray sandbox" in a terminal to see why.`, {
        cause: error,
      });
    }

    const args = options.launchArgs.includes('--sandbox') ? [...options.launchArgs] : [...options.launchArgs, '--sandbox'];
    options.app.relaunch({ args });
    log.info('Restarting the app against the sandbox');
    options.quit();
  };
}
