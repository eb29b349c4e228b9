/** A fake `shell` that records the URLs it was asked to open. */

import type { ShellApi } from '../../../main/shell/browser-opener.ts';

export class FakeShell implements ShellApi {
  readonly opened: string[] = [];
  failWith: Error | null = null;

  async openExternal(url: string): Promise<void> {
    if (this.failWith !== null) {
      throw this.failWith;
    }
    this.opened.push(url);
  }
}
