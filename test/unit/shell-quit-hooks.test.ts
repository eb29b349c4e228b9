import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { QuitReason } from '../../main/core/ports.ts';
import { createQuitHooks } from '../../main/shell/quit-hooks.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeApp } from '../fakes/electron/app.ts';
import { MemoryLog } from '../fakes/logger.ts';

function setup(watchdogMs = 4000) {
  const app = new FakeApp();
  const clock = new FakeClock();
  const log = new MemoryLog();
  const hooks = createQuitHooks({ app, clock, logger: log.logger, watchdogMs, finalQuitMs: 2000 });
  return { app, clock, log, hooks };
}

describe('shell quit hooks', () => {
  it('quits at once without handlers', () => {
    const { app } = setup();
    app.quit();
    assert.equal(app.exitCode, 0);
  });

  it('holds the quit until handlers finish', async () => {
    const { app, clock, hooks } = setup();
    let finish = (): void => {};
    hooks.onBeforeQuit(() => new Promise<void>((resolve) => (finish = resolve)));

    app.quit();
    await clock.advance(100);
    const exitedWhileRunning = app.exitCode !== null;
    finish();
    await clock.advance(1);

    assert.equal(exitedWhileRunning, false);
    assert.equal(app.exitCode, 0);
    assert.deepEqual(app.lifecycleCalls, ['quit', 'quit']);
  });

  it('passes the requested reason', async () => {
    const { app, clock, hooks } = setup();
    const reasons: QuitReason[] = [];
    hooks.onBeforeQuit(async (reason) => {
      reasons.push(reason);
    });

    hooks.requestQuit('shutdown');
    await clock.advance(1);

    assert.deepEqual(reasons, ['shutdown']);
    assert.equal(app.exitCode, 0);
  });

  it('defaults the reason to user-quit', async () => {
    const { app, clock, hooks } = setup();
    const reasons: QuitReason[] = [];
    hooks.onBeforeQuit(async (reason) => {
      reasons.push(reason);
    });

    app.quit();
    await clock.advance(1);

    assert.deepEqual(reasons, ['user-quit']);
  });

  it('runs handlers once on repeated quits', async () => {
    const { app, clock, hooks } = setup();
    let runs = 0;
    hooks.onBeforeQuit(async () => {
      runs += 1;
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 500));
    });

    app.quit();
    app.quit();
    hooks.requestQuit('user-quit');
    await clock.advance(600);

    assert.equal(runs, 1);
    assert.equal(app.exitCode, 0);
  });

  it('exits on the watchdog', async () => {
    const { app, clock, hooks, log } = setup(4000);
    hooks.onBeforeQuit(() => new Promise<void>(() => {}));

    app.quit();
    await clock.advance(3999);
    const exitedBefore = app.exitCode !== null;
    await clock.advance(1);

    assert.equal(exitedBefore, false);
    assert.equal(app.exitCode, 0);
    assert.match(log.text(), /did not finish in time/);
  });

  it('logs a failed handler and quits', async () => {
    const { app, clock, hooks, log } = setup();
    hooks.onBeforeQuit(async () => {
      throw new Error('clear failed');
    });

    app.quit();
    await clock.advance(1);

    assert.equal(app.exitCode, 0);
    assert.match(log.text(), /A quit handler failed .*clear failed/);
  });

  it('exits when the second quit hangs', async () => {
    const { app, clock, hooks } = setup();
    hooks.onBeforeQuit(async () => {});
    // A window that vetoes its close keeps the second quit from ending the process.
    app.on('before-quit', (event: { preventDefault(): void }) => {
      if (app.lifecycleCalls.length > 1) {
        event.preventDefault();
      }
    });

    app.quit();
    await clock.advance(1);
    const exitedAfterSecondQuit = app.exitCode !== null;
    await clock.advance(2000);

    assert.equal(exitedAfterSecondQuit, false);
    assert.equal(app.exitCode, 0);
    assert.ok(app.lifecycleCalls.includes('exit(0)'));
  });

  it('reports quitting from before-quit', () => {
    const { app, hooks } = setup();
    hooks.onBeforeQuit(async () => {});

    const before = hooks.isQuitting();
    app.quit();

    assert.equal(before, false);
    assert.equal(hooks.isQuitting(), true);
  });

  it('exits with a code', () => {
    const { app, hooks } = setup();
    hooks.exit(3);
    assert.equal(app.exitCode, 3);
  });
});
