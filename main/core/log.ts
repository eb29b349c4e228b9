/**
 * The core logger: levels, a component prefix, and a filter that keeps secrets out of every
 * line. The sink is a port so the shell can write through electron-log and the command line
 * through stderr.
 */

import type { LogFields, Logger, LogLevel } from './ports.ts';

export type LogSink = (line: { level: LogLevel; component: string; message: string; fields: LogFields }) => void;

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names whose values are never logged, whatever they contain. */
const SECRET_FIELD = /token|secret|password|code_verifier|verifier|assertion|authorization|cookie|^code$/i;

/**
 * Matches values that look like bearer tokens or JWTs (three base64url parts) and long opaque
 * strings such as refresh tokens and authorization codes.
 */
const SECRET_VALUE = /(eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*)|(Bearer\s+\S+)|([A-Za-z0-9_\-.~+/]{80,}={0,2})/g;

/** Replaces anything that looks like a token in `text` with a marker. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_VALUE, '[redacted]');
}

function redactFields(fields: LogFields): LogFields {
  const clean: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(name)) {
      clean[name] = '[redacted]';
    } else if (typeof value === 'string') {
      clean[name] = redactSecrets(value);
    } else {
      clean[name] = value;
    }
  }
  return clean;
}

/** Creates a logger that writes lines at or above `minLevel` to `sink`, with secrets removed. */
export function createLogger(sink: LogSink, minLevel: LogLevel = 'info', component = 'app'): Logger {
  const write = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LEVEL_RANK[level] < LEVEL_RANK[minLevel]) {
      return;
    }
    sink({ level, component, message: redactSecrets(message), fields: redactFields(fields) });
  };

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (name) => createLogger(sink, minLevel, `${component}.${name}`),
  };
}

/** Formats a log line as `time level [component] message key=value ...`. */
export function formatLogLine(
  line: { level: LogLevel; component: string; message: string; fields: LogFields },
  nowIso: string,
): string {
  const pairs = Object.entries(line.fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(' ');
  const suffix = pairs.length > 0 ? ` ${pairs}` : '';
  return `${nowIso} ${line.level.toUpperCase()} [${line.component}] ${line.message}${suffix}`;
}
