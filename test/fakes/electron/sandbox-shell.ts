/**
 * Shell pieces the tray-app tests share: a `shell.openExternal` that plays the user's browser
 * against the sandbox's sign-in page, and a sleep inhibitor that records the Linux sleep lock
 * instead of starting systemd-inhibit.
 */

import { completeSandboxSignIn } from '../../../main/sandbox/index.ts';
import type { SleepInhibitor } from '../../../main/shell/sleep-inhibitor.ts';
import { FakeShell } from './shell.ts';

/** `shell.openExternal` that completes the sandbox's sign-in page, as the user's browser would. */
export class SandboxBrowserShell extends FakeShell {
  constructor(private readonly caPem: string) {
    super();
  }

  override async openExternal(url: string): Promise<void> {
    await super.openExternal(url);
    await completeSandboxSignIn(url, this.caPem);
  }
}

/** Records whether the sleep lock is held. */
export class RecordingInhibitor implements SleepInhibitor {
  held = false;

  acquire(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
  }

  isHeld(): boolean {
    return this.held;
  }
}
