/**
 * Opens sign-in pages from the command line: the desktop's own opener (`xdg-open`, `open`,
 * `start`) plus the URL on stderr, so a user on a machine without a browser can copy it.
 */

import { spawn } from 'node:child_process';
import type { BrowserOpener } from '../ports.ts';

/** Throws unless `url` is https, or http on localhost (the MSAL loopback redirect). */
export function assertOpenableUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Refusing to open "${url.slice(0, 80)}": it is not a valid URL.`);
  }
  const loopback = parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new Error(`Refusing to open ${parsed.protocol}//${parsed.host}: only https addresses are opened.`);
  }
  return parsed;
}

function openerCommand(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') {
    return { command: 'open', args: [url] };
  }
  if (platform === 'win32') {
    // The empty string is the window title that `start` takes first.
    return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  }
  return { command: 'xdg-open', args: [url] };
}

/** Creates an opener that prints the URL to `print` and starts the desktop's browser. */
export function createSystemBrowserOpener(print: (line: string) => void, platform: NodeJS.Platform = process.platform): BrowserOpener {
  return {
    async open(url) {
      assertOpenableUrl(url);
      print(`Open this page to sign in if no browser appears:\n${url}`);

      const { command, args } = openerCommand(platform, url);
      await new Promise<void>((resolve) => {
        const child = spawn(command, args, { stdio: 'ignore', detached: true });
        // A missing opener is not fatal: the URL is already printed.
        child.on('error', () => resolve());
        child.on('spawn', () => {
          child.unref();
          resolve();
        });
      });
    },
  };
}
