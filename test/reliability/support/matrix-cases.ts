/**
 * The rows and columns of the fault matrix: every fault the app must survive and every trigger
 * that sends a Graph write. Budgets come from the settings' defaults and the session's own
 * limits, so a change there shows up here as a failing scenario.
 */

import { HttpNetworkError } from '../../../main/core/net/errors.ts';
import { REPLAY_BUDGET_MS } from '../../../main/core/presence/session.ts';
import { DEFAULT_SETTINGS } from '../../../main/core/settings/settings.ts';
import { CLOCK_JUMP_TICK_MS } from '../../../main/core/lifecycle/clock-jump.ts';
import type { FaultResponse } from '../../../main/sandbox/index.ts';
import type { MatrixWorld } from './matrix-world.ts';
import { DEFAULT_ACCELERATOR } from './tray-harness.ts';
import type { FaultCase, Scenario, TargetAction, TriggerCase } from './matrix-scenario.ts';

/** Budget of one `setPresence` with its retries (the session's SET_BUDGET_MS). */
const SET_BUDGET_MS = 30_000;
/** Budget of one readback `GET` (the readback tracker's READ_BUDGET_MS). */
const READ_BUDGET_MS = 15_000;
/** A recovery replays the journal, reads presence once and re-asserts the intent. */
const RECOVERY_BUDGET_MS = REPLAY_BUDGET_MS + READ_BUDGET_MS + SET_BUDGET_MS;

/** Connection attempts the relay refuses before it listens again. */
const REFUSALS = 2;

/** How far the wall clock jumps when a suspend sent no event. */
const CLOCK_JUMP_MS = 20 * 60_000;

const SESSION_MESSAGES = {
  set: 'presence set',
  retrying: 'presence refresh failed; retrying later',
  stopped: 'keep-alive stopped',
  jump: 'clock jump detected',
} as const;

function inject(world: MatrixWorld, action: TargetAction, responses: FaultResponse[]): Promise<void> {
  world.sandbox.control.injectFaults({ action, responses });
  return Promise.resolve();
}

function repeat(response: FaultResponse, times: number): FaultResponse[] {
  return Array.from({ length: times }, () => structuredClone(response));
}

/**
 * Injects the sandbox's own response to an expired access token. A token the sandbox really
 * expired would outlive the session, because MSAL renews 5 minutes before expiry and the sandbox
 * allows 5 minutes of clock skew, while the session lasts 10 minutes.
 */
function expiredTokenAnswer(world: MatrixWorld, action: TargetAction): void {
  world.sandbox.control.injectFaults({
    action,
    responses: [{ status: 401, graphError: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }],
  });
}

async function refuseGraphConnections(world: MatrixWorld): Promise<void> {
  let refusals = 0;
  world.transport.observer = {
    onSettled(request, error) {
      if (!(error instanceof HttpNetworkError) || error.code !== 'ECONNREFUSED' || !request.url.startsWith(world.gate.origin)) {
        return;
      }
      refusals += 1;
      if (refusals >= REFUSALS) {
        world.transport.observer = {};
        void world.gate.open();
      }
    },
  };
  await world.gate.refuse();
}

export const FAULTS: readonly FaultCase[] = [
  { id: 'refused', title: 'connection refused', retryAfterMs: null, arm: (world) => refuseGraphConnections(world) },
  { id: 'no-answer', title: 'no answer', retryAfterMs: null, arm: (world, action) => inject(world, action, [{ noAnswer: true }]) },
  { id: 'reset', title: 'connection reset', retryAfterMs: null, arm: (world, action) => inject(world, action, repeat({ reset: true }, 2)) },
  {
    id: '500',
    title: '500',
    retryAfterMs: null,
    arm: (world, action) => inject(world, action, [{ status: 500, graphError: { code: 'generalException', message: 'An unexpected error occurred.' } }]),
  },
  {
    id: '503-retry-after',
    title: '503 with Retry-After 7 s',
    retryAfterMs: 7000,
    arm: (world, action) => inject(world, action, repeat({ status: 503, headers: { 'Retry-After': '7' } }, 2)),
  },
  { id: '503', title: '503 without Retry-After', retryAfterMs: null, arm: (world, action) => inject(world, action, repeat({ status: 503 }, 2)) },
  {
    id: '429-41s',
    title: '429 with Retry-After 41 s',
    retryAfterMs: 41_000,
    arm: (world, action) => inject(world, action, repeat({ status: 429, headers: { 'Retry-After': '41' } }, 2)),
  },
  {
    id: '429-600s',
    title: '429 with Retry-After 600 s',
    retryAfterMs: 600_000,
    arm: (world, action) => inject(world, action, repeat({ status: 429, headers: { 'Retry-After': '600' } }, 2)),
  },
  { id: '429', title: '429 without Retry-After', retryAfterMs: null, arm: (world, action) => inject(world, action, repeat({ status: 429 }, 2)) },
  {
    id: '401-expired',
    title: '401 with an expired token',
    retryAfterMs: null,
    arm: async (world, action) => expiredTokenAnswer(world, action),
  },
  {
    id: 'invalid-grant',
    title: 'invalid_grant',
    retryAfterMs: null,
    signInAgain: true,
    arm: async (world, action) => {
      expiredTokenAnswer(world, action);
      world.sandbox.control.revokeRefreshTokens();
    },
  },
  {
    id: 'consent-required',
    title: 'consent_required',
    retryAfterMs: null,
    signInAgain: true,
    arm: async (world, action) => {
      expiredTokenAnswer(world, action);
      world.sandbox.control.requireAdminConsent(true);
    },
  },
  {
    id: '403',
    title: '403',
    retryAfterMs: null,
    arm: (world, action) =>
      inject(world, action, [{ status: 403, graphError: { code: 'Forbidden', message: 'Insufficient privileges to complete the operation.' } }]),
  },
  {
    id: '404',
    title: '404',
    retryAfterMs: null,
    // Graph returns 404 for a clear when the session is already gone, so the sandbox ends the
    // session first. A set gets a plain 404.
    arm: (world, action) =>
      inject(
        world,
        action,
        action === 'clearPresence'
          ? [{ status: 404, afterHandling: true }]
          : [{ status: 404, graphError: { code: 'NotFound', message: 'The requested user could not be found.' } }],
      ),
  },
];

// ----- recoveries -----

/** Signs in again when the fault took the account's tokens away. */
async function signInIfNeeded(scenario: Scenario): Promise<void> {
  if (scenario.fault.signInAgain === true || scenario.presence.state().account.kind !== 'signed-in') {
    await scenario.signIn();
  }
}

/** Sends a pending clear again when the network comes back, after a sign-in if the fault needs one. */
async function recoverPendingClear(scenario: Scenario): Promise<void> {
  if (scenario.presence.state().session.kind !== 'clear-pending') {
    return;
  }
  await scenario.driver.pass(scenario.laterMs);
  await signInIfNeeded(scenario);
  await scenario.settle(scenario.presence.handlePowerEvent('network-up'), 'the replay when the network returns', RECOVERY_BUDGET_MS + 60_000);
}

/** Starts the app again later, after it exited; the start replays an open journal entry first. */
async function relaunchLater(scenario: Scenario): Promise<void> {
  await scenario.driver.pass(scenario.laterMs);
  await scenario.relaunch();
  if (scenario.presence.state().session.kind === 'clear-pending' || scenario.fault.signInAgain === true) {
    await signInIfNeeded(scenario);
  }
}

/** Wakes the machine or unlocks the screen, which replays the pending clear and re-asserts the intent. */
async function wakeUp(scenario: Scenario, event: 'resume' | 'unlock'): Promise<void> {
  if (event === 'resume') {
    // Monotonic time stops during sleep on Linux; only the wall clock moves.
    scenario.driver.fake.jumpWall(scenario.laterMs);
  } else {
    await scenario.driver.pass(scenario.laterMs);
  }
  await scenario.settle(scenario.presence.handlePowerEvent(event), `the replay at ${event}`, RECOVERY_BUDGET_MS + 60_000);
  if (scenario.fault.signInAgain === true) {
    await scenario.signIn();
  }
}

/** Lets the keep-alive carry on by itself once the fault is gone. */
async function keepGoing(scenario: Scenario): Promise<void> {
  await signInIfNeeded(scenario);
  await scenario.driver.pass(15 * 60_000);
}

// ----- triggers -----

const budgets = DEFAULT_SETTINGS.budgetsMs;

export const TRIGGERS: readonly TriggerCase[] = [
  {
    id: 'tray',
    title: 'tray clear',
    platform: 'linux',
    action: 'clearPresence',
    budgetMs: Infinity,
    fire: (scenario) => scenario.fireClear(() => scenario.harness.tray.contextMenu?.click('clear'), 'the tray clear', Infinity),
    recover: recoverPendingClear,
  },
  {
    id: 'shortcut',
    title: 'shortcut',
    platform: 'linux',
    action: 'clearPresence',
    budgetMs: Infinity,
    fire: (scenario) =>
      scenario.fireClear(
        () => {
          if (!scenario.harness.globalShortcut.press(DEFAULT_ACCELERATOR)) {
            throw new Error(`The shortcut ${DEFAULT_ACCELERATOR} is not registered.`);
          }
        },
        'the shortcut clear',
        Infinity,
      ),
    recover: recoverPendingClear,
  },
  {
    id: 'quit',
    title: 'quit',
    platform: 'linux',
    action: 'clearPresence',
    budgetMs: budgets.quit,
    fire: (scenario) => scenario.fireExit(() => scenario.harness.tray.contextMenu?.click('quit'), 'the quit', budgets.quit),
    recover: relaunchLater,
  },
  {
    id: 'suspend',
    title: 'suspend',
    platform: 'linux',
    action: 'clearPresence',
    budgetMs: budgets.suspend,
    fire: (scenario) => scenario.fireClear(() => scenario.harness.powerMonitor.fire('suspend'), 'the suspend clear', budgets.suspend),
    recover: (scenario) => wakeUp(scenario, 'resume'),
  },
  {
    id: 'lock',
    title: 'lock',
    platform: 'win32',
    action: 'clearPresence',
    budgetMs: budgets.lockScreen,
    fire: (scenario) => scenario.fireClear(() => scenario.harness.powerMonitor.fire('lock-screen'), 'the lock clear', budgets.lockScreen),
    recover: (scenario) => wakeUp(scenario, 'unlock'),
  },
  {
    id: 'shutdown',
    title: 'shutdown',
    platform: 'linux',
    action: 'clearPresence',
    budgetMs: budgets.shutdown,
    fire: async (scenario) => {
      const presence = scenario.presence;
      let clearMs: number | null = null;
      const before = JSON.stringify(presence.state().lastClear);
      const started = scenario.driver.fake.monotonicMs();
      const unsubscribe = presence.onStateChange((state) => {
        if (clearMs === null && JSON.stringify(state.lastClear) !== before) {
          clearMs = scenario.driver.fake.monotonicMs() - started;
        }
      });
      try {
        const exitMs = await scenario.fireExit(() => scenario.harness.powerMonitor.fireShutdown(), 'the shutdown', budgets.quit);
        // The app must exit within the quit budget; the clear itself within the shutdown budget.
        return exitMs > budgets.quit ? exitMs : (clearMs ?? exitMs);
      } finally {
        unsubscribe();
      }
    },
    recover: relaunchLater,
  },
  {
    id: 'keep-alive',
    title: 'keep-alive tick',
    platform: 'linux',
    action: 'setPresence',
    budgetMs: SET_BUDGET_MS,
    prepare: async (scenario) => {
      const session = scenario.presence.state().session;
      if (session.kind !== 'active' || session.nextRefreshAt === null) {
        throw new Error(`Setup failed: expected an active session with a keep-alive, got ${session.kind}.`);
      }
      await scenario.driver.pass(session.nextRefreshAt - scenario.driver.fake.wallMs() - 1000);
    },
    fire: async (scenario) => {
      const from = scenario.log.lines.length;
      const tickAt = scenario.driver.fake.monotonicMs() + 1000;
      await scenario.untilLogged(
        from,
        [SESSION_MESSAGES.set, SESSION_MESSAGES.retrying, SESSION_MESSAGES.stopped],
        'the keep-alive outcome',
        SET_BUDGET_MS + 1000,
      );
      return scenario.driver.fake.monotonicMs() - tickAt;
    },
    recover: keepGoing,
  },
  {
    id: 'resume',
    title: 'resume',
    platform: 'linux',
    action: 'clearPresence',
    budgetMs: RECOVERY_BUDGET_MS,
    prepare: async (scenario) => {
      // The suspend clear finds no network, so a clear is pending when the machine wakes.
      await scenario.world.gate.refuse();
      await scenario.fireClear(() => scenario.harness.powerMonitor.fire('suspend'), 'the offline suspend clear', budgets.suspend);
      await scenario.world.gate.open();
      scenario.driver.fake.jumpWall(60_000);
      if (scenario.presence.state().session.kind !== 'clear-pending') {
        throw new Error('Setup failed: the offline suspend left no pending clear.');
      }
    },
    fire: async (scenario) => {
      const started = scenario.driver.fake.monotonicMs();
      await scenario.settle(scenario.presence.handlePowerEvent('resume'), 'the replay at resume', RECOVERY_BUDGET_MS + 30_000);
      return scenario.driver.fake.monotonicMs() - started;
    },
    recover: recoverPendingClear,
  },
  {
    id: 'clock-jump',
    title: 'wall-clock jump',
    platform: 'linux',
    action: 'setPresence',
    budgetMs: CLOCK_JUMP_TICK_MS + RECOVERY_BUDGET_MS,
    fire: async (scenario) => {
      const from = scenario.log.lines.length;
      const started = scenario.driver.fake.monotonicMs();
      scenario.driver.fake.jumpWall(CLOCK_JUMP_MS);
      const detected = await scenario.untilLogged(from, [SESSION_MESSAGES.jump], 'the clock jump detection', CLOCK_JUMP_TICK_MS + 1000);
      await scenario.untilLogged(
        detected,
        [SESSION_MESSAGES.set, SESSION_MESSAGES.retrying, SESSION_MESSAGES.stopped],
        'the refresh after the clock jump',
        CLOCK_JUMP_TICK_MS + RECOVERY_BUDGET_MS,
      );
      return scenario.driver.fake.monotonicMs() - started;
    },
    recover: keepGoing,
  },
];
