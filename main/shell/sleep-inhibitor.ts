/**
 * A logind sleep delay lock held by a `systemd-inhibit` child process. logind waits for every
 * delay lock that exists when a suspend starts, up to `InhibitDelayMaxSec` (5 s by default in
 * systemd's logind.conf). It rejects new locks for a suspend already under way. So the lock is
 * taken at start, released when the suspend work is done, and taken again on resume.
 *
 * Electron holds its own delay lock but releases it right after emitting `suspend`
 * (`shell/browser/lib/power_observer_linux.cc`), which covers only synchronous work.
 *
 * The locked command is `cat` reading a pipe from this process: when the app exits or crashes
 * the pipe closes, `cat` ends, and `systemd-inhibit` drops the lock, so no lock outlives the app.
 */

import { spawn, type ChildProcess } from 'node:child_process';

import type { Logger } from '../core/ports.ts';

export const SYSTEMD_INHIBIT_COMMAND: readonly string[] = [
  'systemd-inhibit',
  '--what=sleep',
  '--mode=delay',
  '--who=Presence Tray',
  '--why=Clearing the Teams presence session before sleep',
  'cat',
];

export interface SleepInhibitor {
  /** Takes the lock unless it is held; does nothing once the command was found missing. */
  acquire(): void;
  /** Releases the lock (ends the child process); safe to call when not held. */
  release(): void;
  isHeld(): boolean;
}

export interface SleepInhibitorOptions {
  logger: Logger;
  /** Program and arguments; the program must run until its standard input closes. */
  command?: readonly string[];
}

/** Creates the inhibitor; nothing runs until `acquire`. */
export function createSleepInhibitor(options: SleepInhibitorOptions): SleepInhibitor {
  const log = options.logger.child('sleep-lock');
  const [program, ...args] = options.command ?? SYSTEMD_INHIBIT_COMMAND;
  if (program === undefined) {
    throw new Error('The sleep inhibitor command is empty. Pass a program such as systemd-inhibit.');
  }

  let child: ChildProcess | null = null;
  let missing = false;

  const acquire = (): void => {
    if (child !== null || missing) {
      return;
    }

    const started = spawn(program, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.setEncoding('utf8');
    started.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-500);
    });

    started.on('spawn', () => {
      log.info('Took the sleep delay lock', { pid: started.pid ?? null });
    });
    started.on('error', (error: NodeJS.ErrnoException) => {
      if (child === started) {
        child = null;
      }
      if (error.code === 'ENOENT') {
        missing = true;
        log.warn('Cannot delay sleep: the command was not found, so a clear on suspend may not finish', { command: program });
        return;
      }
      log.warn('Cannot delay sleep: starting the lock command failed', { command: program, error: error.message });
    });
    // 'close' comes after stderr is fully read, so the log line can include it.
    started.on('close', (code, signal) => {
      if (child !== started) {
        return;
      }
      // The lock ended without release(): logind refused it or the command failed.
      child = null;
      log.warn('The sleep delay lock ended on its own; it is taken again after the next resume', {
        code,
        signal,
        stderr: stderr.trim(),
      });
    });
  };

  const release = (): void => {
    const held = child;
    if (held === null) {
      return;
    }
    child = null;
    held.stdin?.end();
    held.kill('SIGTERM');
    log.info('Released the sleep delay lock', { pid: held.pid ?? null });
  };

  return { acquire, release, isHeld: () => child !== null };
}
