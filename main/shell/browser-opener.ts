/**
 * `BrowserOpener` over `shell.openExternal`. The URL is checked first: `openExternal` hands it to
 * the OS, which may run a program for other schemes (Electron security checklist, item 15).
 */

import type { Shell } from 'electron';

import { assertOpenableUrl } from '../core/node/browser-opener.ts';
import type { BrowserOpener, Logger } from '../core/ports.ts';

export type ShellApi = Pick<Shell, 'openExternal'>;

/** Creates the opener; only https URLs and http on localhost (the MSAL redirect) are opened. */
export function createShellBrowserOpener(shell: ShellApi, logger: Logger): BrowserOpener {
  const log = logger.child('browser');

  return {
    async open(url) {
      const parsed = assertOpenableUrl(url);
      try {
        await shell.openExternal(parsed.href);
      } catch (error) {
        // NOTE: Windows rejects URLs longer than 2081 characters (Electron docs/api/shell.md).
        log.error('Opening the browser failed', { host: parsed.host, length: parsed.href.length, error: String(error) });
        throw new Error(`Opening ${parsed.origin} in the browser failed: ${String(error)}. Open the page by hand or try again.`, {
          cause: error,
        });
      }
      log.info('Opened the browser', { host: parsed.host });
    },
  };
}
