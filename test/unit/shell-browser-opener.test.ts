import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createShellBrowserOpener } from '../../main/shell/browser-opener.ts';
import { FakeShell } from '../fakes/electron/shell.ts';
import { MemoryLog } from '../fakes/logger.ts';

describe('shell browser opener', () => {
  const accepted = [
    'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x',
    'http://localhost:53211/',
    'http://127.0.0.1:40000/callback',
  ];
  for (const url of accepted) {
    it(`opens ${new URL(url).origin}`, async () => {
      const shell = new FakeShell();
      await createShellBrowserOpener(shell, new MemoryLog().logger).open(url);
      assert.deepEqual(shell.opened, [new URL(url).href]);
    });
  }

  const rejected = ['file:///etc/passwd', 'http://example.com/', 'javascript:alert(1)', 'smb://server/share', 'not a url', 'ms-settings:privacy'];
  for (const url of rejected) {
    it(`rejects ${url}`, async () => {
      const shell = new FakeShell();
      await assert.rejects(createShellBrowserOpener(shell, new MemoryLog().logger).open(url), /Refusing to open/);
      assert.deepEqual(shell.opened, []);
    });
  }

  it('explains a failed open', async () => {
    const shell = new FakeShell();
    shell.failWith = new Error('no handler');

    await assert.rejects(
      createShellBrowserOpener(shell, new MemoryLog().logger).open('https://login.example.com/'),
      /Opening https:\/\/login\.example\.com in the browser failed: Error: no handler/,
    );
  });
});
