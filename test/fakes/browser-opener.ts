/**
 * A fake `BrowserOpener` that records each URL and hands it to a test-provided action, such as
 * playing the sandbox's sign-in page, or nothing at all (the user closed the tab).
 */

import type { BrowserOpener } from '../../main/core/ports.ts';

export type BrowserAction = (url: string) => Promise<void> | void;

export class FakeBrowserOpener implements BrowserOpener {
  readonly opened: string[] = [];
  /** Errors thrown by the action; the fake never rethrows them, like a detached browser. */
  readonly actionErrors: unknown[] = [];
  /** When set, `open` records the URL and rejects with this error, as a missing `xdg-open` does. */
  openError: Error | null = null;
  private waiters: Array<(url: string) => void> = [];

  /** `action` runs in the background for each URL; `open` resolves as soon as it is recorded. */
  constructor(public action: BrowserAction = () => {}) {}

  async open(url: string): Promise<void> {
    this.opened.push(url);
    for (const waiter of this.waiters.splice(0)) {
      waiter(url);
    }
    if (this.openError !== null) {
      throw this.openError;
    }
    void Promise.resolve()
      .then(() => this.action(url))
      .catch((error: unknown) => {
        this.actionErrors.push(error);
      });
  }

  /** Resolves with the next URL opened (or the last one, if `count` URLs were already opened). */
  nextOpen(count = this.opened.length + 1): Promise<string> {
    const already = this.opened[count - 1];
    if (already !== undefined) {
      return Promise.resolve(already);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
