/**
 * The app's log file through electron-log. Lines reach it through `createLogger` in
 * `main/core/log.ts`, which removes secrets first, and are written in the same format as the
 * command line's stderr, so one reader works for both.
 */

import type { ConsoleTransport, FileTransport, MainLogger, Transport } from 'electron-log';

import { createLogger, formatLogLine, type LogSink } from '../core/log.ts';
import type { Logger, LogLevel } from '../core/ports.ts';

/** The parts of electron-log's main logger this adapter uses. */
export type ElectronLogApi = Pick<MainLogger, 'debug' | 'info' | 'warn' | 'error'> & {
  transports: {
    file: Pick<FileTransport, 'level' | 'format' | 'maxSize' | 'getFile'>;
    console: Pick<ConsoleTransport, 'level' | 'format'>;
    ipc: Pick<Transport, 'level'> | null;
  };
};

/**
 * electron-log rotates the file to `main.old.log` past this size. 5 MB keeps weeks of info lines
 * at the rate the app logs (a few lines per presence change and per power event).
 */
const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Configures electron-log's transports and returns the core logger that writes to them.
 * The file is electron-log's default place: `~/.config/<app>/logs/main.log` on Linux,
 * `~/Library/Logs/<app>/main.log` on macOS, `%APPDATA%\<app>\logs\main.log` on Windows.
 */
export function createElectronLogger(log: ElectronLogApi, minLevel: LogLevel, options: { console: boolean }): Logger {
  log.transports.file.level = minLevel;
  log.transports.file.maxSize = LOG_FILE_MAX_BYTES;
  // Lines arrive formatted with their own time and level, so the transports add nothing.
  log.transports.file.format = '{text}';
  log.transports.console.format = '{text}';
  log.transports.console.level = options.console ? minLevel : false;
  if (log.transports.ipc !== null) {
    // Main-process lines stay out of the renderer's developer tools.
    log.transports.ipc.level = false;
  }

  return createLogger(createElectronLogSink(log), minLevel);
}

/** Returns a sink that writes each line at its level, formatted like the command line's stderr. */
export function createElectronLogSink(log: Pick<ElectronLogApi, LogLevel>): LogSink {
  return (line) => {
    const text = formatLogLine(line, new Date().toISOString());
    log[line.level](text);
  };
}

/** Returns where the log file is, for the settings window and error messages. */
export function logFilePath(log: Pick<ElectronLogApi, 'transports'>): string {
  return log.transports.file.getFile().path;
}
