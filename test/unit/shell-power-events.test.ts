import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createPowerEvents } from '../../main/shell/power-events.ts';
import type { SleepInhibitor } from '../../main/shell/sleep-inhibitor.ts';
import { FakePowerMonitor, FakeSessionEndWindow } from '../fakes/electron/power-monitor.ts';
import { MemoryLog } from '../fakes/logger.ts';

/** Records acquire and release calls instead of starting systemd-inhibit. */
class RecordingInhibitor implements SleepInhibitor {
  readonly calls: string[] = [];
  private held = false;

  acquire(): void {
    this.calls.push('acquire');
    this.held = true;
  }

  release(): void {
    this.calls.push('release');
    this.held = false;
  }

  isHeld(): boolean {
    return this.held;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('shell power events', () => {
  const simpleEvents = [
    ['suspend', 'onSuspend'],
    ['resume', 'onResume'],
    ['lock-screen', 'onLockScreen'],
    ['unlock-screen', 'onUnlockScreen'],
    ['user-did-resign-active', 'onUserDidResignActive'],
    ['user-did-become-active', 'onUserDidBecomeActive'],
  ] as const;
  for (const [event, method] of simpleEvents) {
    it(`forwards ${event}`, () => {
      const monitor = new FakePowerMonitor();
      const power = createPowerEvents({ powerMonitor: monitor, platform: 'darwin', logger: new MemoryLog().logger });
      let calls = 0;

      power[method](() => {
        calls += 1;
      });
      monitor.fire(event);

      assert.equal(calls, 1);
    });
  }

  it('unsubscribes', () => {
    const monitor = new FakePowerMonitor();
    const power = createPowerEvents({ powerMonitor: monitor, platform: 'win32', logger: new MemoryLog().logger });
    let calls = 0;

    const unsubscribe = power.onSuspend(() => {
      calls += 1;
    });
    unsubscribe();
    monitor.fire('suspend');

    assert.equal(calls, 0);
  });

  it('keeps going after a listener throws', () => {
    const monitor = new FakePowerMonitor();
    const log = new MemoryLog();
    const power = createPowerEvents({ powerMonitor: monitor, platform: 'win32', logger: log.logger });
    let reached = false;

    power.onLockScreen(() => {
      throw new Error('boom');
    });
    power.onLockScreen(() => {
      reached = true;
    });
    monitor.fire('lock-screen');

    assert.equal(reached, true);
    assert.match(log.text(), /A power event listener threw .*boom/);
  });

  it('prevents and forwards shutdown', () => {
    const monitor = new FakePowerMonitor();
    const power = createPowerEvents({ powerMonitor: monitor, platform: 'linux', logger: new MemoryLog().logger });
    let calls = 0;
    power.onShutdown(() => {
      calls += 1;
    });

    const event = monitor.fireShutdown();

    assert.equal(event.defaultPrevented, true);
    assert.equal(calls, 1);
  });

  it('listens for shutdown before subscribers', () => {
    const monitor = new FakePowerMonitor();
    createPowerEvents({ powerMonitor: monitor, platform: 'linux', logger: new MemoryLog().logger });
    assert.equal(monitor.listenerCount('shutdown'), 1);
  });

  it('maps query-session-end to shutdown', () => {
    const window = new FakeSessionEndWindow();
    const power = createPowerEvents({ powerMonitor: new FakePowerMonitor(), platform: 'win32', logger: new MemoryLog().logger, sessionWindow: window });
    let calls = 0;
    power.onShutdown(() => {
      calls += 1;
    });

    const event = window.fireQuerySessionEnd(['logoff']);

    assert.equal(calls, 1);
    assert.equal(event.defaultPrevented, false);
  });

  it('reports session-end with reasons', () => {
    const window = new FakeSessionEndWindow();
    const power = createPowerEvents({ powerMonitor: new FakePowerMonitor(), platform: 'win32', logger: new MemoryLog().logger, sessionWindow: window });
    const seen: string[][] = [];
    let shutdowns = 0;
    power.onShutdown(() => {
      shutdowns += 1;
    });
    power.onSessionEnd((reasons) => seen.push([...reasons]));

    window.fireSessionEnd(['shutdown', 'critical']);

    assert.deepEqual(seen, [['shutdown', 'critical']]);
    assert.equal(shutdowns, 0);
  });

  it('ignores the session window off Windows', () => {
    const window = new FakeSessionEndWindow();
    createPowerEvents({ powerMonitor: new FakePowerMonitor(), platform: 'linux', logger: new MemoryLog().logger, sessionWindow: window });
    assert.equal(window.listenerCount('session-end'), 0);
  });

  it('takes the sleep lock at start', () => {
    const inhibitor = new RecordingInhibitor();
    createPowerEvents({ powerMonitor: new FakePowerMonitor(), platform: 'linux', logger: new MemoryLog().logger, sleepInhibitor: inhibitor });
    assert.deepEqual(inhibitor.calls, ['acquire']);
  });

  it('skips the sleep lock off Linux', () => {
    const inhibitor = new RecordingInhibitor();
    createPowerEvents({ powerMonitor: new FakePowerMonitor(), platform: 'darwin', logger: new MemoryLog().logger, sleepInhibitor: inhibitor });
    assert.deepEqual(inhibitor.calls, []);
  });

  it('holds the lock until suspend work ends', async () => {
    const monitor = new FakePowerMonitor();
    const inhibitor = new RecordingInhibitor();
    const power = createPowerEvents({ powerMonitor: monitor, platform: 'linux', logger: new MemoryLog().logger, sleepInhibitor: inhibitor });
    const work = deferred();
    let held: Promise<void> = Promise.resolve();
    power.onSuspend(() => {
      held = power.holdSuspend('clear', () => work.promise);
    });

    monitor.fire('suspend');
    const heldDuringWork = inhibitor.isHeld();
    work.resolve();
    await held;

    assert.equal(heldDuringWork, true);
    assert.equal(inhibitor.isHeld(), false);
  });

  it('releases the lock when nobody holds it', () => {
    const monitor = new FakePowerMonitor();
    const inhibitor = new RecordingInhibitor();
    createPowerEvents({ powerMonitor: monitor, platform: 'linux', logger: new MemoryLog().logger, sleepInhibitor: inhibitor });

    monitor.fire('suspend');

    assert.equal(inhibitor.isHeld(), false);
  });

  it('releases the lock after the cap', async () => {
    const monitor = new FakePowerMonitor();
    const inhibitor = new RecordingInhibitor();
    const log = new MemoryLog();
    const power = createPowerEvents({ powerMonitor: monitor, platform: 'linux', logger: log.logger, sleepInhibitor: inhibitor, maxSuspendHoldMs: 20 });
    const work = deferred();
    power.onSuspend(() => {
      void power.holdSuspend('clear', () => work.promise);
    });

    monitor.fire('suspend');
    await new Promise((resolve) => setTimeout(resolve, 200));
    work.resolve();

    assert.equal(inhibitor.isHeld(), false);
    assert.match(log.text(), /released the sleep delay lock anyway/);
  });

  it('takes the lock again on resume', () => {
    const monitor = new FakePowerMonitor();
    const inhibitor = new RecordingInhibitor();
    createPowerEvents({ powerMonitor: monitor, platform: 'linux', logger: new MemoryLog().logger, sleepInhibitor: inhibitor });

    monitor.fire('suspend');
    monitor.fire('resume');

    assert.deepEqual(inhibitor.calls, ['acquire', 'release', 'acquire']);
  });

  it('keeps the lock for work outside suspend', async () => {
    const inhibitor = new RecordingInhibitor();
    const power = createPowerEvents({ powerMonitor: new FakePowerMonitor(), platform: 'linux', logger: new MemoryLog().logger, sleepInhibitor: inhibitor });

    await power.holdSuspend('test', async () => {});

    assert.equal(inhibitor.isHeld(), true);
  });

  it('runs the work without a lock', async () => {
    const power = createPowerEvents({ powerMonitor: new FakePowerMonitor(), platform: 'win32', logger: new MemoryLog().logger });
    let ran = false;

    await power.holdSuspend('clear', async () => {
      ran = true;
    });

    assert.equal(ran, true);
  });

  it('passes a work failure on', async () => {
    const monitor = new FakePowerMonitor();
    const inhibitor = new RecordingInhibitor();
    const power = createPowerEvents({ powerMonitor: monitor, platform: 'linux', logger: new MemoryLog().logger, sleepInhibitor: inhibitor });
    let held: Promise<void> = Promise.resolve();
    power.onSuspend(() => {
      held = power.holdSuspend('clear', async () => {
        throw new Error('network down');
      });
    });

    monitor.fire('suspend');

    await assert.rejects(held, /network down/);
    assert.equal(inhibitor.isHeld(), false);
  });
});
