import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import fc from 'fast-check';

import { describeSender, isTrustedSender, type IpcSender, type TrustedSenders } from '../../main/core/ipc/sender.ts';

const PAGE = 'file:///opt/Presence%20Tray/resources/app.asar/dist/renderer/index.html';
const APP_PAGE = 'app://presence-tray/renderer/index.html';
const TRUSTED: TrustedSenders = { webContentsIds: new Set([7]), pageUrls: [PAGE, APP_PAGE] };
const OURS: IpcSender = { senderUrl: PAGE, frameIsMain: true, webContentsId: 7 };

describe('isTrustedSender', () => {
  const cases: Array<[string, Partial<IpcSender>, boolean]> = [
    ['our page', {}, true],
    ['our page with fragment', { senderUrl: `${PAGE}#settings` }, true],
    ['our page with query', { senderUrl: `${PAGE}?view=status` }, true],
    ['app protocol page', { senderUrl: APP_PAGE }, true],
    ['dot segments to our page', { senderUrl: 'file:///opt/Presence%20Tray/resources/app.asar/dist/renderer/x/../index.html' }, true],
    ['subframe', { frameIsMain: false }, false],
    ['other webContents', { webContentsId: 8 }, false],
    ['other local file', { senderUrl: 'file:///tmp/index.html' }, false],
    ['sibling file', { senderUrl: 'file:///opt/Presence%20Tray/resources/app.asar/dist/renderer/evil.html' }, false],
    ['remote page', { senderUrl: 'https://login.microsoftonline.com/' }, false],
    ['data URL', { senderUrl: 'data:text/html,<script>1</script>' }, false],
    ['about blank', { senderUrl: 'about:blank' }, false],
    ['unparsable', { senderUrl: 'not a url' }, false],
    ['empty', { senderUrl: '' }, false],
    ['other app host', { senderUrl: 'app://other/renderer/index.html' }, false],
  ];
  for (const [name, change, expected] of cases) {
    test(name, () => {
      assert.equal(isTrustedSender({ ...OURS, ...change }, TRUSTED), expected);
    });
  }

  test('https page never trusted', () => {
    const https = 'https://127.0.0.1:5173/index.html';
    assert.equal(isTrustedSender({ ...OURS, senderUrl: https }, { webContentsIds: new Set([7]), pageUrls: [https] }), false);
  });

  test('random URLs not trusted', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.boolean(), fc.nat(20), (url, frameIsMain, id) => {
        assert.equal(isTrustedSender({ senderUrl: url, frameIsMain, webContentsId: id }, TRUSTED), false);
      }),
      { numRuns: 300 },
    );
  });

  test('random strings not trusted', () => {
    fc.assert(
      fc.property(fc.string(), (url) => {
        fc.pre(url !== PAGE && url !== APP_PAGE);
        const trusted = isTrustedSender({ ...OURS, senderUrl: url }, TRUSTED);
        // Only text that parses to our page exactly may pass.
        assert.equal(trusted, trusted && (new URL(url).pathname.endsWith('/renderer/index.html')));
      }),
      { numRuns: 300 },
    );
  });
});

describe('describeSender', () => {
  test('drops query and fragment', () => {
    assert.equal(describeSender({ ...OURS, senderUrl: `${PAGE}?token=abc#x` }), `webContents 7 (main frame) at ${PAGE}`);
  });
});
