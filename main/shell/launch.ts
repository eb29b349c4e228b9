/**
 * Routing of a start of the app executable. With a command (`presence-tray clear --json`),
 * the command line runs: it sends the command to the running tray app over the command channel
 * and prints the app's result, or runs it here when no app is running. Without one it is a tray
 * launch that takes the single-instance lock. A second tray launch makes the first app emit
 * `second-instance`, and the first app opens its settings window.
 *
 * In Electron 45, `second-instance` has no way to send a result back to the second process
 * (electron.d.ts lists no acknowledgement callback), which is why commands use the channel in
 * `main/core/node/command-channel.ts`.
 */

import { randomUUID } from 'node:crypto';

import type { Event as ElectronEvent } from 'electron';

import { serveCommandChannel, type ChannelHandler } from '../core/node/command-channel.ts';
import type { Logger } from '../core/ports.ts';

/** The parts of `app` the single-instance lock uses. */
export interface SingleInstanceAppApi {
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean;
  on(
    event: 'second-instance',
    listener: (event: ElectronEvent, argv: string[], workingDirectory: string, additionalData: unknown) => void,
  ): unknown;
}

/**
 * Switches that Chromium, Electron or the packaging add to the command line, which are not the
 * user's: the AppImage and Snap wrappers add `--no-sandbox`, macOS Finder adds `-psn_…`, and
 * Chromium adds `--original-process-start-time` to a second instance's argv.
 */
const FOREIGN_SWITCHES = [
  /^--no-sandbox$/,
  /^-psn_/,
  /^--original-process-start-time=/,
  /^--enable-features=/,
  /^--disable-features=/,
  /^--ozone-platform(-hint)?=/,
  /^--password-store=/,
  /^--inspect(-brk)?(=.*)?$/,
  /^--remote-debugging-port=/,
  /^--allow-file-access-from-files$/,
];

/**
 * Returns the user's arguments: argv without the executable (and without the app folder when
 * started as `electron <folder>`), without foreign switches, and with `--clear` read as `clear`.
 */
export function commandArgs(argv: readonly string[], defaultApp: boolean): string[] {
  const args = argv.slice(defaultApp ? 2 : 1).filter((arg) => !FOREIGN_SWITCHES.some((pattern) => pattern.test(arg)));
  if (args.length === 1 && args[0] === '--clear') {
    return ['clear'];
  }
  return args;
}

/** The kind of start: the tray app, or one command that runs and exits. */
export type Launch = { kind: 'tray'; sandbox: boolean; verbose: boolean } | { kind: 'command'; args: string[] };

/** Options that may start the tray app itself; any other argument makes the start a command. */
const TRAY_FLAGS = new Set(['--sandbox', '--verbose']);

/** Tells a tray launch (no arguments, or only `--sandbox` and `--verbose`) from a command. */
export function classifyLaunch(args: readonly string[]): Launch {
  if (args.every((arg) => TRAY_FLAGS.has(arg))) {
    return { kind: 'tray', sandbox: args.includes('--sandbox'), verbose: args.includes('--verbose') };
  }
  return { kind: 'command', args: [...args] };
}

/**
 * Starts the command channel with every command logged by id, so a missed clear can be traced
 * from the log. Returns the function that stops the channel.
 */
export async function startCommandChannel(path: string, handler: ChannelHandler, logger: Logger): Promise<() => Promise<void>> {
  const log = logger.child('commands');
  const stop = await serveCommandChannel(path, async (argv) => {
    const id = randomUUID().slice(0, 8);
    // Only the command name is logged: a --header value may carry a credential.
    log.info('Command received', { id, command: argv.find((arg) => !arg.startsWith('-')) ?? '(none)' });
    const reply = await handler(argv);
    log.info('Command finished', { id, exitCode: reply.exitCode });
    return reply;
  });
  log.info('Command channel listening', { path });
  return stop;
}

export interface SecondInstanceOptions {
  app: SingleInstanceAppApi;
  /** Runs a command that reached the app as `second-instance` data (no reply is possible). */
  runCommand: ChannelHandler;
  /** Called for a plain second launch: show the settings window. */
  onLaunch: () => void;
  logger: Logger;
}

/** Returns the argv a second instance put in `additionalData`, or null when there is none. */
function argsFromAdditionalData(additionalData: unknown): string[] | null {
  const args = (additionalData as { args?: unknown } | null)?.args;
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    return null;
  }
  return args as string[];
}

/** Takes the single-instance lock with this launch's args; false means another app runs. */
export function requestPrimaryInstance(app: SingleInstanceAppApi, args: string[]): boolean {
  return app.requestSingleInstanceLock({ args });
}

/** Handles later launches: their args arrive as `additionalData`, which Electron keeps exact. */
export function listenForSecondInstances(options: SecondInstanceOptions): void {
  const log = options.logger.child('single-instance');

  options.app.on('second-instance', (_event, argv, _workingDirectory, additionalData) => {
    const args = argsFromAdditionalData(additionalData) ?? commandArgs(argv, false);
    if (args.length === 0) {
      log.info('Second launch; showing the settings window');
      options.onLaunch();
      return;
    }

    log.info('Second launch with a command; running it without a reply', { command: args[0] ?? '' });
    options.runCommand(args).then(
      (reply) => log.info('Second-launch command finished', { exitCode: reply.exitCode }),
      (error: unknown) => log.error('Second-launch command failed', { error: String(error) }),
    );
  });
}
