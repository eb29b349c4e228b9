/**
 * Routes MSAL's own log into ours. MSAL reports every discovery problem (bad TLS chain, issuer
 * mismatch, unreachable authority) as the same `endpoints_resolution_error` and writes the real
 * cause only to its Verbose log, so the recent lines are kept to explain that error.
 */

import { LogLevel, type Configuration } from '@azure/msal-node';

import { redactSecrets } from '../log.ts';
import type { Logger } from '../ports.ts';

type MsalLoggerOptions = NonNullable<NonNullable<Configuration['system']>['loggerOptions']>;

/** Lines kept for `discoveryCause`; one discovery writes about 20 Verbose lines. */
const KEPT_LINES = 200;

/** MSAL lines that state why discovery failed, as MSAL Node 7.2.4 words them. */
const CAUSE_LINE = /getEndpointMetadataFromNetwork: '|could not parse response|network error|non-MSALJS error|issuer|untrusted|Error Description|error is/i;

/** MSAL's line prefix: `[time] : [correlation id] : @azure/msal-node@7.2.4 : Verbose - `. */
const LINE_PREFIX = /^\[[^\]]*\] : \[[^\]]*\] : \S+ : \w+ - /;

export class MsalLogCapture {
  private readonly lines: string[] = [];

  constructor(private readonly logger: Logger) {}

  /** Logger options for MSAL: Verbose into the ring, Warning and Error also to our debug log. */
  loggerOptions(): MsalLoggerOptions {
    return {
      logLevel: LogLevel.Verbose,
      // PII stays off: MSAL would otherwise log user names and authority metadata.
      piiLoggingEnabled: false,
      loggerCallback: (level, message, containsPii) => {
        if (containsPii) {
          return;
        }
        const clean = redactSecrets(message);
        this.keep(clean);
        if (level === LogLevel.Error || level === LogLevel.Warning) {
          this.logger.debug(clean.replace(LINE_PREFIX, ''), { msalLevel: LogLevel[level] });
        }
      },
    };
  }

  /** Returns MSAL's last line that explains a failure of request `correlationId`, or null. */
  discoveryCause(correlationId: string | undefined): string | null {
    for (let index = this.lines.length - 1; index >= 0; index -= 1) {
      const line = this.lines[index] ?? '';
      const sameRequest = correlationId === undefined || line.includes(`[${correlationId}]`);
      if (sameRequest && CAUSE_LINE.test(line)) {
        return line.replace(LINE_PREFIX, '').replace(/\s+/g, ' ').trim();
      }
    }
    return null;
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) {
      this.lines.splice(0, this.lines.length - KEPT_LINES);
    }
  }
}
