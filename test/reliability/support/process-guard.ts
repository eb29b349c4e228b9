/**
 * Counts unhandled promise rejections and uncaught exceptions in this test process, so each
 * scenario can assert that none happened while it ran. Installing the listeners also keeps
 * Node from ending the process at the first one, so the scenario that caused it is named.
 */

export interface ProcessFaults {
  unhandledRejections: string[];
  uncaughtExceptions: string[];
}

const recorded: ProcessFaults = { unhandledRejections: [], uncaughtExceptions: [] };
let installed = false;

/** Installs the counters once per process and returns the live record. */
export function guardProcess(): ProcessFaults {
  if (!installed) {
    installed = true;
    process.on('unhandledRejection', (reason) => {
      recorded.unhandledRejections.push(describe(reason));
    });
    process.on('uncaughtException', (error) => {
      recorded.uncaughtExceptions.push(describe(error));
    });
  }
  return recorded;
}

/** Returns the counts now, to compare with a later call. */
export function processFaultMark(): { rejections: number; exceptions: number } {
  return { rejections: recorded.unhandledRejections.length, exceptions: recorded.uncaughtExceptions.length };
}

/** Returns what was recorded after `mark`. */
export function processFaultsSince(mark: { rejections: number; exceptions: number }): string[] {
  return [
    ...recorded.unhandledRejections.slice(mark.rejections).map((text) => `unhandled rejection: ${text}`),
    ...recorded.uncaughtExceptions.slice(mark.exceptions).map((text) => `uncaught exception: ${text}`),
  ];
}

function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
