/**
 * One scenario of the fault matrix: sign in, set Busy, inject one fault, fire one trigger, then
 * recover the way the app would at its next chance, and finish with a clear from the tray. Each
 * step records what the scenario test asserts: the time the trigger took on the app's clock,
 * process faults, journal and tray against the sandbox, session bounds and the Retry-After
 * schedule.
 */

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AppState } from '../../../main/core/app-state.ts';
import { parseIsoDuration } from '../../../main/core/graph/duration.ts';
import { DEFAULT_SELF_EXPIRY_MS } from '../../../main/core/presence/keep-alive.ts';
import { isEntryExpired } from '../../../main/core/presence/journal.ts';
import type { TrayPlatform } from '../../../main/core/tray/tray-icons.ts';
import { buildTrayModel, type TrayMenuItem } from '../../../main/core/tray/tray-model.ts';
import type { PresenceAppHost } from '../../../main/shell/presence-host.ts';
import type { RequestLogEntry } from '../../../main/sandbox/index.ts';
import { FakeBrowserWindow } from '../../fakes/electron/browser-window.ts';
import { MemoryLog } from '../../fakes/logger.ts';
import { processFaultMark, processFaultsSince } from './process-guard.ts';
import type { DriveLimits } from './time-driver.ts';
import { startHarness, type TrayHarness } from './tray-harness.ts';
import { readJournalFile, type MatrixWorld } from './matrix-world.ts';

/** The Graph write a fault is aimed at. */
export type TargetAction = 'clearPresence' | 'setPresence';

export interface FaultCase {
  id: string;
  title: string;
  /** The Retry-After the fault sends, in ms, or null. */
  retryAfterMs: number | null;
  /** The fault leaves the account needing a new sign-in, as a revoked refresh token does. */
  signInAgain?: boolean;
  arm(world: MatrixWorld, action: TargetAction): Promise<void>;
}

export interface TriggerCase {
  id: string;
  title: string;
  platform: TrayPlatform;
  action: TargetAction;
  /** How long the trigger's work may take on the app's clock; Infinity for "until done". */
  budgetMs: number;
  /** Steps before the fault is armed, such as waiting for the keep-alive tick. */
  prepare?(scenario: Scenario): Promise<void>;
  /** Fires the trigger and returns the fake ms its work took. */
  fire(scenario: Scenario): Promise<number>;
  /** Runs the app's next chance to finish what the trigger left pending. */
  recover(scenario: Scenario): Promise<void>;
}

export interface ScenarioReport {
  triggerMs: number;
  budgetMs: number;
  processFaults: string[];
  journalMismatches: string[];
  trayLies: string[];
  unbounded: string[];
  earlyRequests: string[];
  /** Presence reads sent during another request's Retry-After wait. */
  earlyReads: string[];
  /** The first Graph write after a relaunch that found an open journal entry, else null. */
  firstWriteAfterRelaunch: string | null;
  liveAtEnd: boolean;
  journalOpenAtEnd: boolean;
  stateAtEnd: string;
  /** One line per step and per Graph request, for a failing test's diagnostics. */
  timeline: string[];
}

/** Fake time a self-limiting trigger may overshoot its budget: one poll of real work. */
export const BUDGET_SLACK_MS = 500;

/** Real time one wait may take; an unanswered attempt costs up to 10 s of it. */
const REAL_LIMIT_MS = 45_000;

/** Maximum fake time a trigger without a budget may take: two 600 s Retry-After waits and more. */
const UNBOUNDED_FAKE_LIMIT_MS = 2 * 60 * 60_000;

const PROBLEM_PREFIXES = { offline: 'Offline', throttled: 'Throttled by Microsoft Graph', error: 'Error' } as const;

export class Scenario {
  readonly world: MatrixWorld;
  readonly fault: FaultCase;
  readonly trigger: TriggerCase;
  readonly log = new MemoryLog('debug');
  dataDir = '';
  private current: TrayHarness | null = null;
  private readonly harnesses: TrayHarness[] = [];
  private readonly report: ScenarioReport;

  constructor(world: MatrixWorld, fault: FaultCase, trigger: TriggerCase) {
    this.world = world;
    this.fault = fault;
    this.trigger = trigger;
    this.report = {
      triggerMs: Number.NaN,
      budgetMs: trigger.budgetMs,
      processFaults: [],
      journalMismatches: [],
      trayLies: [],
      unbounded: [],
      earlyRequests: [],
      earlyReads: [],
      firstWriteAfterRelaunch: null,
      liveAtEnd: false,
      journalOpenAtEnd: false,
      stateAtEnd: '',
      timeline: [],
    };
  }

  get harness(): TrayHarness {
    if (this.current === null) {
      throw new Error('The scenario has no running tray app.');
    }
    return this.current;
  }

  get presence(): PresenceAppHost {
    return this.harness.running.presence;
  }

  get driver(): MatrixWorld['driver'] {
    return this.world.driver;
  }

  /** Fake time the app's next chance comes after the trigger: a minute, or past the Retry-After. */
  get laterMs(): number {
    return Math.max(60_000, (this.fault.retryAfterMs ?? 0) + 1000);
  }

  /** Runs every step and returns what the test asserts. */
  async run(): Promise<ScenarioReport> {
    const mark = processFaultMark();
    try {
      await this.begin();
      await this.trigger.prepare?.(this);
      await this.fault.arm(this.world, this.trigger.action);
      this.report.triggerMs = await this.trigger.fire(this);
      await this.world.reset();
      await this.check('after the trigger');

      await this.trigger.recover(this);
      await this.check('after the recovery');

      await this.finish();
      this.checkRequests();
    } finally {
      this.recordRequests();
      await this.stopAll();
      this.report.processFaults = processFaultsSince(mark);
    }
    return this.report;
  }

  // ----- steps -----

  private async begin(): Promise<void> {
    await this.world.reset();
    this.world.sandbox.control.clearRequests();
    FakeBrowserWindow.instances.length = 0;
    if (this.world.liveSession() !== null) {
      // An earlier scenario failed and left its session: let it expire at the sandbox.
      this.world.sandbox.control.advanceClock(DEFAULT_SELF_EXPIRY_MS + 60_000);
    }

    this.dataDir = await mkdtemp(join(tmpdir(), `pt-matrix-${this.fault.id}-${this.trigger.id}-`));
    this.world.folders.push(this.dataDir);
    this.world.outputs.addLive(`log of ${this.fault.id} × ${this.trigger.id}`, () => this.log.text());
    this.world.outputs.addFolder(`data folder of ${this.fault.id} × ${this.trigger.id}`, this.dataDir);

    await this.launch();
    await this.signIn();

    await this.settle(this.presence.setPresence({ availability: 'Busy', durationMs: null }), 'the first set', 60_000);
    if (this.world.liveSession() === null) {
      throw new Error('Setup failed: the sandbox shows no session after the first set.');
    }
  }

  /** Starts a tray app on the scenario's data folder, as a launch of the app does. */
  async launch(): Promise<TrayHarness> {
    const harness = await startHarness({
      dataDir: this.dataDir,
      platform: this.trigger.platform,
      driver: this.driver,
      transport: this.world.transport,
      logger: this.log.logger,
      authority: this.world.sandbox.authority,
      graphBaseUrl: this.world.gate.origin,
      caPem: this.world.sandbox.caPem,
    });
    this.harnesses.push(harness);
    this.current = harness;
    this.world.outputs.addLive(`notifications of ${this.fault.id} × ${this.trigger.id}`, () =>
      harness.notifications.created.map((notification) => JSON.stringify(notification.options)).join('\n'),
    );
    return harness;
  }

  /**
   * Signs in through the sandbox's browser page. Fake time does not move meanwhile: the page
   * traffic does not pass the counting transport, so the driver could not tell it is running.
   */
  async signIn(): Promise<void> {
    await withinRealTime(this.presence.signIn('browser'), 30_000, 'the sign-in');
  }

  /** Stops the running app without clearing, after it exited or to simulate a crash. */
  async stopCurrent(): Promise<void> {
    const harness = this.current;
    this.current = null;
    if (harness !== null) {
      await harness.running.stop();
    }
  }

  /** Starts the app again after it exited, recording the first Graph write if a clear was due. */
  async relaunch(): Promise<void> {
    const journal = await readJournalFile(this.dataDir);
    const due = journal.entry !== null && !isEntryExpired(journal.entry, this.driver.fake.wallMs());
    const seen = this.world.sandbox.control.requests().length;

    await this.launch();

    if (due) {
      const writes = this.world.sandbox.control
        .requests()
        .slice(seen)
        .filter((entry) => entry.action === 'setPresence' || entry.action === 'clearPresence');
      this.report.firstWriteAfterRelaunch = writes[0]?.action ?? 'none';
    }
  }

  private async finish(): Promise<void> {
    if (this.current === null) {
      await this.relaunch();
    }
    if (this.presence.state().account.kind !== 'signed-in') {
      await this.signIn();
    }
    await this.fireClear(() => this.harness.tray.contextMenu?.click('clear'), 'the final tray clear', Infinity);
    await this.driver.until(() => this.driver.idle(), 'the final clear to settle', { fakeMs: 60_000, realMs: REAL_LIMIT_MS });

    const state = this.presence.state();
    this.report.liveAtEnd = this.world.liveSession() !== null;
    this.report.journalOpenAtEnd = (await readJournalFile(this.dataDir)).entry !== null;
    this.report.stateAtEnd = `${state.account.kind}/${state.session.kind}`;
    await this.check('at the end');
  }

  private async stopAll(): Promise<void> {
    for (const harness of this.harnesses) {
      await harness.running.stop().catch(() => undefined);
    }
    this.current = null;
    await this.world.reset();
  }

  // ----- firing triggers -----

  /** Runs `act`, then drives time until the app's last clear changes; returns the fake ms taken. */
  async fireClear(act: () => void, what: string, budgetMs: number): Promise<number> {
    const presence = this.presence;
    const before = clearKey(presence.state());
    const started = this.driver.fake.monotonicMs();
    let finished: number | null = null;
    const unsubscribe = presence.onStateChange((state) => {
      if (finished === null && clearKey(state) !== before) {
        finished = this.driver.fake.monotonicMs();
      }
    });

    try {
      act();
      await this.driver.until(() => finished !== null, what, this.limitsFor(budgetMs));
    } finally {
      unsubscribe();
    }
    return (finished ?? started) - started;
  }

  /** Runs `act`, then drives time until the fake Electron app exited; returns the fake ms taken. */
  async fireExit(act: () => void, what: string, budgetMs: number): Promise<number> {
    const harness = this.harness;
    const started = this.driver.fake.monotonicMs();
    act();
    await this.driver.until(() => harness.app.exitCode !== null, what, this.limitsFor(budgetMs));
    const elapsed = this.driver.fake.monotonicMs() - started;
    await this.stopCurrent();
    return elapsed;
  }

  /** Drives time until one of `messages` is logged after line `from`; returns that line's index. */
  async untilLogged(from: number, messages: readonly string[], what: string, budgetMs: number): Promise<number> {
    let found = -1;
    await this.driver.until(
      () => {
        found = this.log.lines.findIndex((line, index) => index >= from && messages.includes(line.message));
        return found >= 0;
      },
      what,
      this.limitsFor(budgetMs),
    );
    return found;
  }

  /** Drives time until `promise` settles, failing after `fakeLimitMs` of fake time. */
  async settle<T>(promise: Promise<T>, what: string, fakeLimitMs: number): Promise<T> {
    return this.driver.settle(promise, what, { fakeMs: fakeLimitMs, realMs: REAL_LIMIT_MS });
  }

  private limitsFor(budgetMs: number): DriveLimits {
    const fakeMs = Number.isFinite(budgetMs) ? budgetMs + 30_000 : UNBOUNDED_FAKE_LIMIT_MS;
    return { fakeMs, realMs: REAL_LIMIT_MS };
  }

  // ----- checks -----

  /** Compares the journal, the tray and the session bounds with the sandbox. */
  private async check(phase: string): Promise<void> {
    await this.driver.until(() => this.driver.idle(), `the app to settle ${phase}`, { fakeMs: 60_000, realMs: REAL_LIMIT_MS });
    const live = this.world.liveSession();
    const journal = await readJournalFile(this.dataDir);
    const state = this.current === null ? 'exited' : describeState(this.presence.state());
    this.report.timeline.push(
      `${phase}: app ${state}; sandbox session ${live === null ? 'none' : 'live'}; journal ${journal.entry === null ? 'closed' : 'open'}`,
    );

    // Journal: a session that may be live has an open entry that lasts at least as long.
    if (live !== null && journal.entry === null) {
      this.report.journalMismatches.push(`${phase}: the sandbox has a live session but the journal is closed`);
    }
    if (live !== null && journal.entry !== null && journal.entry.expiresAt !== null && live.expiresAt !== null) {
      const entryEndsAt = journal.entry.expiresAt + this.world.sandboxOffsetMs();
      if (entryEndsAt < live.expiresAt) {
        this.report.journalMismatches.push(`${phase}: the journal entry ends ${live.expiresAt - entryEndsAt} ms before the session`);
      }
    }

    // Bounds: no live session outlasts the self-expiry bound after its last set.
    if (live !== null && live.expiresAt !== null && live.expiresAt - live.lastSetAt > DEFAULT_SELF_EXPIRY_MS) {
      this.report.unbounded.push(`${phase}: the live session lasts ${live.expiresAt - live.lastSetAt} ms after its last set`);
    }

    if (this.current !== null) {
      this.checkTray(phase, this.presence.state(), live !== null);
    }
  }

  private checkTray(phase: string, state: AppState, live: boolean): void {
    const model = buildTrayModel(state, {
      settings: this.harness.running.settings.get(),
      platform: this.trigger.platform,
      nowWallMs: this.driver.fake.wallMs(),
      shortcutAvailable: true,
    });
    const labels = flattenLabels(model.menu);
    const headline = labels[0] ?? '';

    if (live && state.session.kind !== 'active' && state.session.kind !== 'clear-pending') {
      this.report.trayLies.push(`${phase}: a session is live but the tray shows "${headline}" (${state.session.kind})`);
    }
    if (state.session.kind === 'clear-pending') {
      if (model.iconKey !== 'clear-pending') {
        this.report.trayLies.push(`${phase}: a clear is pending but the icon is ${model.iconKey}`);
      }
      if (state.account.kind === 'signed-in' && !headline.startsWith('Clear pending')) {
        this.report.trayLies.push(`${phase}: a clear is pending but the first line is "${headline}"`);
      }
      if (state.account.kind !== 'signed-in' && !labels.some((label) => label.includes('clear is still pending'))) {
        this.report.trayLies.push(`${phase}: a clear is pending while signed out, and no line says so`);
      }
    }
    if (state.problem !== null) {
      const prefix = PROBLEM_PREFIXES[state.problem.kind];
      if (!labels.some((label) => label.startsWith(prefix))) {
        this.report.trayLies.push(`${phase}: the app has a ${state.problem.kind} problem and no line starts with "${prefix}"`);
      }
    }
  }

  private recordRequests(): void {
    const first = this.world.sandbox.control.requests()[0]?.at ?? 0;
    for (const entry of this.world.sandbox.control.requests()) {
      const fault = entry.fault === null ? '' : ` (${entry.fault})`;
      this.report.timeline.push(`+${((entry.at - first) / 1000).toFixed(3)} s ${entry.method} ${entry.action} → ${entry.status ?? 'no response'}${fault}`);
    }
  }

  /**
   * Checks the scenario's Graph requests: set bounds, and that no write goes out while a
   * Retry-After runs. Reads during the wait are collected apart.
   */
  private checkRequests(): void {
    const requests = this.world.graphRequests();

    for (const entry of requests) {
      const body = entry.body as { expirationDuration?: unknown } | null;
      if (entry.action === 'setPresence' && typeof body?.expirationDuration === 'string') {
        const ms = parseIsoDuration(body.expirationDuration);
        if (ms > DEFAULT_SELF_EXPIRY_MS) {
          this.report.unbounded.push(`setPresence #${entry.id} asked for ${body.expirationDuration}, over the self-expiry bound`);
        }
      }
    }

    const retryAfterMs = this.fault.retryAfterMs;
    if (retryAfterMs === null) {
      return;
    }
    requests.forEach((entry, index) => {
      if (entry.fault !== 'response' || (entry.status !== 429 && entry.status !== 503)) {
        return;
      }
      const endsAt = entry.at + retryAfterMs;
      const nextWrite = requests.slice(index + 1).find((later) => later.method === 'POST');
      if (nextWrite !== undefined && nextWrite.at < endsAt) {
        this.report.earlyRequests.push(describeEarly(nextWrite, entry, retryAfterMs));
      }
      for (const read of requests.slice(index + 1).filter((later) => later.method === 'GET' && later.at < endsAt)) {
        this.report.earlyReads.push(describeEarly(read, entry, retryAfterMs));
      }
    });
  }
}

function describeEarly(early: RequestLogEntry, throttled: RequestLogEntry, retryAfterMs: number): string {
  return (
    `${early.method} ${early.action} #${early.id} came ${Math.round(early.at - throttled.at)} ms after ` +
    `${throttled.action} #${throttled.id} got ${throttled.status} with Retry-After ${retryAfterMs / 1000} s`
  );
}

function describeState(state: AppState): string {
  const last = state.lastClear === null ? 'none' : `${state.lastClear.trigger}:${state.lastClear.result}`;
  return `${state.account.kind}/${state.session.kind}, last clear ${last}`;
}

function clearKey(state: AppState): string {
  return JSON.stringify(state.lastClear);
}

function flattenLabels(items: readonly TrayMenuItem[]): string[] {
  return items.flatMap((item) => [item.label, ...flattenLabels(item.submenu ?? [])]);
}

/** Awaits `promise`, failing after `ms` of real time. */
export async function withinRealTime<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}.`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
