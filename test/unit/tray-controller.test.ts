import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { PresenceAppApi, SetPresenceRequest } from '../../main/core/app-api.ts';
import type { AppState, ClearRecord, ClearTrigger } from '../../main/core/app-state.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';
import type { TrayPlatform } from '../../main/core/tray/tray-icons.ts';
import { TrayController, type TrayHooks } from '../../main/core/tray/tray-controller.ts';
import type { TrayModel, TraySettings } from '../../main/core/tray/tray-model.ts';
import type { TrayView } from '../../main/core/tray/tray-view.ts';
import { FakeBrowserOpener } from '../fakes/browser-opener.ts';
import { FakeClock, flushMicrotasks } from '../fakes/clock.ts';
import { MemoryLog } from '../fakes/logger.ts';

const MINUTE = 60_000;

/** An in-memory `TrayView` that keeps every rendered model and lets tests click. */
class FakeTrayView implements TrayView {
  readonly rendered: TrayModel[] = [];
  popUps = 0;
  destroyed = false;
  private clickListeners = new Set<() => void>();
  private actionListeners = new Set<(id: string) => void>();

  render(model: TrayModel): void {
    this.rendered.push(model);
  }

  popUpMenu(): void {
    this.popUps += 1;
  }

  onClick(listener: () => void): () => void {
    this.clickListeners.add(listener);
    return () => this.clickListeners.delete(listener);
  }

  onMenuAction(listener: (id: string) => void): () => void {
    this.actionListeners.add(listener);
    return () => this.actionListeners.delete(listener);
  }

  destroy(): void {
    this.destroyed = true;
  }

  click(): void {
    for (const listener of this.clickListeners) {
      listener();
    }
  }

  choose(id: string): void {
    for (const listener of this.actionListeners) {
      listener(id);
    }
  }

  last(): TrayModel | undefined {
    return this.rendered.at(-1);
  }
}

/** A `PresenceAppApi` that records calls and lets tests change the state. */
class FakePresenceApp implements PresenceAppApi {
  readonly calls: string[] = [];
  readonly setRequests: SetPresenceRequest[] = [];
  failNext: Error | null = null;
  private listeners = new Set<(state: AppState) => void>();

  constructor(private current: AppState) {}

  state(): AppState {
    return this.current;
  }

  update(state: AppState): void {
    this.current = state;
    for (const listener of this.listeners) {
      listener(state);
    }
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  onStateChange(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(call: string): Promise<void> {
    this.calls.push(call);
    const failure = this.failNext;
    this.failNext = null;
    return failure === null ? Promise.resolve() : Promise.reject(failure);
  }

  signIn(method: 'browser' | 'device-code'): Promise<void> {
    return this.record(`signIn ${method}`);
  }

  cancelSignIn(): void {
    this.calls.push('cancelSignIn');
  }

  signOut(): Promise<void> {
    return this.record('signOut');
  }

  setPresence(request: SetPresenceRequest): Promise<void> {
    this.setRequests.push(request);
    return this.record('setPresence');
  }

  async clearPresence(trigger: ClearTrigger): Promise<ClearRecord> {
    await this.record(`clearPresence ${trigger}`);
    return { at: 0, trigger, result: 'cleared', requestId: null };
  }

  pause(): Promise<void> {
    return this.record('pause');
  }

  handlePowerEvent(): Promise<void> {
    return this.record('handlePowerEvent');
  }

  prepareQuit(): Promise<void> {
    return this.record('prepareQuit');
  }
}

const SIGNED_IN: AppState = {
  account: {
    kind: 'signed-in',
    username: 'alice@contoso.com',
    displayName: 'Alice Example',
    objectId: '00000000-0000-0000-0000-0000000000a1',
    tenantId: 'contoso.onmicrosoft.com',
  },
  session: { kind: 'none' },
  shown: null,
  lastClear: null,
  problem: null,
  sandbox: false,
};

function busyFor(clock: FakeClock, ms: number): AppState {
  return {
    ...SIGNED_IN,
    session: {
      kind: 'active',
      pair: { availability: 'Busy', activity: 'InACall' },
      intentUntil: clock.wallMs() + ms,
      expiresAt: clock.wallMs() + 10 * MINUTE,
      nextRefreshAt: null,
      readback: { kind: 'confirmed', at: clock.wallMs() },
    },
  };
}

function setup(options: { state?: AppState; platform?: TrayPlatform; settings?: Partial<TraySettings> } = {}) {
  const clock = new FakeClock();
  const view = new FakeTrayView();
  const api = new FakePresenceApp(options.state ?? SIGNED_IN);
  const log = new MemoryLog();
  const browser = new FakeBrowserOpener();
  const hookCalls: string[] = [];
  let settings: TraySettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const hooks: TrayHooks = {
    openSettings: () => hookCalls.push('openSettings'),
    setStartAtLogin: async (enabled) => {
      hookCalls.push(`setStartAtLogin ${enabled}`);
    },
    quit: () => hookCalls.push('quit'),
  };
  const controller = new TrayController({
    view,
    api,
    hooks,
    browser,
    clock,
    logger: log.logger,
    platform: options.platform ?? 'linux',
    settings: () => settings,
    shortcutAvailable: () => true,
  });
  const changeSettings = (next: Partial<TraySettings>) => {
    settings = { ...settings, ...next };
  };
  return { clock, view, api, log, browser, hookCalls, controller, changeSettings };
}

describe('tray controller rendering', () => {
  it('renders on start', () => {
    const { controller, view } = setup();
    controller.start();

    assert.equal(view.rendered.length, 1);
    assert.equal(view.last()?.iconKey, 'no-session');
    controller.stop();
  });

  it('renders on state change', () => {
    const { controller, view, api } = setup();
    controller.start();
    api.update({ ...SIGNED_IN, account: { kind: 'signed-out', reason: 'signed-out' } });

    assert.equal(view.rendered.length, 2);
    assert.equal(view.last()?.iconKey, 'signed-out');
    controller.stop();
  });

  it('refresh picks up settings', () => {
    const { controller, view, changeSettings } = setup();
    controller.start();
    changeSettings({ startAtLogin: true });
    controller.refresh();

    const item = view.last()?.menu.find((entry) => entry.id === 'toggle-start-at-login');
    assert.equal(item?.checked, true);
    controller.stop();
  });

  it('stop unsubscribes', () => {
    const { controller, view, api } = setup();
    controller.start();
    controller.stop();
    api.update(SIGNED_IN);
    view.choose('clear');

    assert.equal(api.listenerCount(), 0);
    assert.equal(view.rendered.length, 1);
    assert.deepEqual(api.calls, []);
  });

  it('counts down each minute', async () => {
    const { controller, view, api, clock } = setup();
    controller.start();
    api.update(busyFor(clock, 42 * MINUTE + 30_000));

    assert.match(view.last()?.tooltip ?? '', /43 min left/);
    await clock.advance(30_000);
    assert.match(view.last()?.tooltip ?? '', /42 min left/);
    await clock.advance(MINUTE);
    assert.match(view.last()?.tooltip ?? '', /41 min left/);
    controller.stop();
    assert.equal(clock.pendingTimers(), 0);
  });

  it('no timer until cleared', () => {
    const { controller, clock, api } = setup();
    controller.start();
    const busy = busyFor(clock, MINUTE);
    if (busy.session.kind === 'active') {
      busy.session.intentUntil = null;
    }
    api.update(busy);

    assert.equal(clock.pendingTimers(), 0);
    controller.stop();
  });
});

describe('tray controller actions', () => {
  it('set sends request', async () => {
    const { controller, view, api } = setup();
    controller.start();
    view.choose('set:Busy/InACall:PT1H');
    await flushMicrotasks();

    assert.deepEqual(api.setRequests, [{ availability: 'Busy', activity: 'InACall', durationMs: 60 * MINUTE }]);
    controller.stop();
  });

  it('clear uses tray trigger', async () => {
    const { controller, view, api } = setup();
    controller.start();
    view.choose('clear');
    await flushMicrotasks();

    assert.deepEqual(api.calls, ['clearPresence tray']);
    controller.stop();
  });

  const apiActions: [string, string][] = [
    ['pause', 'pause'],
    ['sign-in', 'signIn browser'],
    ['sign-in-device-code', 'signIn device-code'],
    ['cancel-sign-in', 'cancelSignIn'],
    ['sign-out', 'signOut'],
  ];
  for (const [id, call] of apiActions) {
    it(`${id} calls api`, async () => {
      const { controller, view, api } = setup();
      controller.start();
      view.choose(id);
      await flushMicrotasks();

      assert.deepEqual(api.calls, [call]);
      controller.stop();
    });
  }

  const hookActions: [string, string][] = [
    ['settings', 'openSettings'],
    ['toggle-start-at-login', 'setStartAtLogin true'],
    ['quit', 'quit'],
  ];
  for (const [id, call] of hookActions) {
    it(`${id} calls hook`, async () => {
      const { controller, view, hookCalls } = setup();
      controller.start();
      view.choose(id);
      await flushMicrotasks();

      assert.deepEqual(hookCalls, [call]);
      controller.stop();
    });
  }

  it('ignores non-action id', async () => {
    const { controller, view, api, hookCalls, log } = setup();
    controller.start();
    view.choose('status');
    await flushMicrotasks();

    assert.deepEqual(api.calls, []);
    assert.deepEqual(hookCalls, []);
    assert.match(log.text(), /ignored menu item that is not an action.*status/);
    controller.stop();
  });

  it('logs failed action', async () => {
    const { controller, view, api, log } = setup();
    controller.start();
    api.failNext = new Error('Sign-in window could not open');
    view.choose('sign-in');
    await flushMicrotasks();

    assert.match(log.text(), /tray action failed.*sign-in.*Sign-in window could not open/);
    controller.stop();
  });
});

describe('tray controller admin consent', () => {
  const consentState = (url: string): AppState => ({
    ...SIGNED_IN,
    account: { kind: 'admin-consent-needed', tenantId: 'contoso.onmicrosoft.com', adminConsentUrl: url },
  });

  it('opens https page', async () => {
    const url = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=abc';
    const { controller, view, browser } = setup({ state: consentState(url) });
    controller.start();
    view.choose('open-admin-consent');
    await flushMicrotasks();

    assert.deepEqual(browser.opened, [url]);
    controller.stop();
  });

  it('refuses non-https page', async () => {
    const { controller, view, browser, log } = setup({ state: consentState('file:///etc/passwd') });
    controller.start();
    view.choose('open-admin-consent');
    await flushMicrotasks();

    assert.deepEqual(browser.opened, []);
    assert.match(log.text(), /protocol file:, expected https:/);
    controller.stop();
  });

  it('ignored when not needed', async () => {
    const { controller, view, browser } = setup();
    controller.start();
    view.choose('open-admin-consent');
    await flushMicrotasks();

    assert.deepEqual(browser.opened, []);
    controller.stop();
  });
});

describe('tray controller clicks', () => {
  it('Windows click opens menu', () => {
    const { controller, view } = setup({ platform: 'win32' });
    controller.start();
    view.click();

    assert.equal(view.popUps, 1);
    controller.stop();
  });

  it('Linux click leaves menu to desktop', async () => {
    const { controller, view, api } = setup({ platform: 'linux' });
    controller.start();
    view.click();
    await flushMicrotasks();

    assert.equal(view.popUps, 0);
    assert.deepEqual(api.calls, []);
    controller.stop();
  });

  it('click clears when set', async () => {
    const { controller, view, api } = setup({ settings: { tray: { clickAction: 'clear' } } });
    controller.start();
    view.click();
    await flushMicrotasks();

    assert.deepEqual(api.calls, ['clearPresence tray']);
    controller.stop();
  });

  it('click opens settings when set', () => {
    const { controller, view, hookCalls } = setup({ settings: { tray: { clickAction: 'open-settings' } } });
    controller.start();
    view.click();

    assert.deepEqual(hookCalls, ['openSettings']);
    controller.stop();
  });

  it('toggle-pause pauses active session', async () => {
    const clock = new FakeClock();
    const { controller, view, api } = setup({ state: busyFor(clock, 30 * MINUTE), settings: { tray: { clickAction: 'toggle-pause' } } });
    controller.start();
    view.click();
    await flushMicrotasks();

    assert.deepEqual(api.calls, ['pause']);
    controller.stop();
  });

  it('toggle-pause without session opens menu', async () => {
    const { controller, view, api } = setup({ platform: 'win32', settings: { tray: { clickAction: 'toggle-pause' } } });
    controller.start();
    view.click();
    await flushMicrotasks();

    assert.deepEqual(api.calls, []);
    assert.equal(view.popUps, 1);
    controller.stop();
  });
});
