import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createElectronNotifier } from '../../main/shell/notifier.ts';
import { createFakeNotificationClass, type FakeNotificationControl } from '../fakes/electron/notification.ts';
import { MemoryLog } from '../fakes/logger.ts';

function setup(overrides: Partial<FakeNotificationControl> = {}) {
  const control: FakeNotificationControl = { supported: true, created: [], failWith: null, ...overrides };
  const log = new MemoryLog();
  const notifier = createElectronNotifier(createFakeNotificationClass(control), log.logger);
  return { control, log, notifier };
}

describe('shell notifier', () => {
  it('shows title and body', () => {
    const { control, notifier } = setup();

    notifier.notify({ id: 'sign-in', title: 'Sign in again', body: 'Your session expired.' });

    assert.equal(control.created.length, 1);
    assert.equal(control.created[0]?.shown, true);
    assert.equal(control.created[0]?.options.title, 'Sign in again');
    assert.equal(control.created[0]?.options.body, 'Your session expired.');
  });

  it('replaces a notification with the same id', () => {
    const { control, notifier } = setup();

    notifier.notify({ id: 'clear', title: 'Clear failed', body: 'first' });
    notifier.notify({ id: 'clear', title: 'Clear failed', body: 'second' });

    assert.equal(control.created[0]?.closed, true);
    assert.equal(control.created[1]?.shown, true);
  });

  it('logs when unsupported', () => {
    const { control, log, notifier } = setup({ supported: false });

    notifier.notify({ id: 'a', title: 'T', body: 'B' });
    notifier.notify({ id: 'b', title: 'T', body: 'B' });

    assert.equal(control.created.length, 0);
    assert.equal(log.lines.filter((line) => line.message.startsWith('Desktop notifications are not supported')).length, 1);
  });

  it('logs a failed notification', () => {
    const { log, notifier } = setup({ failWith: 'app is not code-signed' });

    assert.doesNotThrow(() => notifier.notify({ id: 'x', title: 'T', body: 'B' }));
    assert.match(log.text(), /Notification failed .*app is not code-signed/);
  });
});
