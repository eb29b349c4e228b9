/** A logger that keeps every line in memory, so tests can read what an operator would see. */

import { createLogger, formatLogLine } from '../../main/core/log.ts';
import type { LogFields, Logger, LogLevel } from '../../main/core/ports.ts';

export interface RecordedLine {
  level: LogLevel;
  component: string;
  message: string;
  fields: LogFields;
}

export class MemoryLog {
  readonly lines: RecordedLine[] = [];
  readonly logger: Logger;

  constructor(minLevel: LogLevel = 'debug') {
    this.logger = createLogger((line) => this.lines.push(line), minLevel, 'test');
  }

  /** All lines as text, the way the log file would show them. */
  text(): string {
    return this.lines.map((line) => formatLogLine(line, '-')).join('\n');
  }
}
