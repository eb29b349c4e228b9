/**
 * `PresenceApp`: the one object the tray, the shortcut, the settings window and the command line
 * talk to. It owns sign-in, the Graph client and the presence session, turns their results into
 * `AppState`, and applies the trigger policy to OS events. It makes no Electron call: the shell
 * hands it ports.
 */

import type { AccountState, AppState, ClearRecord, ClearTrigger, SessionState } from './app-state.ts';
import type { PowerEvent, PresenceAppApi, SetPresenceRequest } from './app-api.ts';
import { AuthService, type AccountSummary, type DeviceCodeInfo } from './auth/auth-service.ts';
import { AuthError, CONSUMER_TENANT_ID, personalAccountError } from './auth/auth-errors.ts';
import { createTokenCacheStorage, type TokenCacheMode } from './auth/cache-plugin.ts';
import { PresenceClient, type PresenceSnapshot } from './graph/presence-client.ts';
import { GraphError } from './graph/errors.ts';
import { ClockJumpDetector } from './lifecycle/clock-jump.ts';
import { decide } from './lifecycle/power-policy.ts';
import { QuitCoordinator, type QuitReport } from './lifecycle/quit-coordinator.ts';
import type { BlobFile, BrowserOpener, Clock, HttpTransport, Logger, Notifier, QuitReason, SecretBox } from './ports.ts';
import type { JournalRecord, JournalStore } from './presence/journal.ts';
import { isEntryExpired } from './presence/journal.ts';
import { DEFAULT_ACTIVITY, type PresencePair } from './presence/pairs.ts';
import { PresenceSession, type SessionProblem } from './presence/session.ts';
import type { SessionIdentity } from './presence/writer.ts';
import type { SettingsStore } from './settings/store.ts';

/** Clear triggers that come straight from the user; they always send a request. */
const USER_TRIGGERS: ReadonlySet<ClearTrigger> = new Set<ClearTrigger>(['tray', 'shortcut', 'command-line', 'window']);

/** Budget of the clear that runs before a sign-out removes the account. */
const SIGN_OUT_CLEAR_BUDGET_MS = 5_000;

/** Budget of the journal replay at launch; no OS deadline applies, so it may retry a while. */
const START_REPLAY_BUDGET_MS = 30_000;

export interface PresenceAppPorts {
  clock: Clock;
  logger: Logger;
  transport: HttpTransport;
  browser: BrowserOpener;
  notifier: Notifier;
  secretBox: SecretBox;
  tokenCacheFile: BlobFile;
  journal: JournalStore;
  settings: SettingsStore;
}

export interface PresenceAppConfig {
  /** Application (client) ID; null until the user connects an app registration. */
  clientId: string | null;
  /** `https://login.microsoftonline.com/<tenant>` or the sandbox's authority. */
  authority: string;
  /** `https://graph.microsoft.com` or the sandbox's origin. */
  graphBaseUrl: string;
  sandbox: boolean;
  /** Whether the user accepted an owner-only plaintext token cache (the CLI's --cache-file). */
  allowPlaintextTokenCache?: boolean;
  /** Shows the device code to the user; the tray shows it in its state instead. */
  onDeviceCode?: (info: DeviceCodeInfo) => void;
}

export interface StartOptions {
  /**
   * Whether to clear an open journal entry at start. The tray app does, because an open entry
   * means it stopped without clearing. A one-shot command does not: a `set` before it left that
   * entry open on purpose.
   */
  replayJournal: boolean;
}

/** Returns the account's state after a sign-in failure. */
function accountStateForError(error: AuthError, fallback: AccountState): AccountState {
  switch (error.kind) {
    case 'admin-consent-needed':
      return { kind: 'admin-consent-needed', tenantId: error.tenantId ?? 'unknown', adminConsentUrl: error.adminConsentUrl ?? '' };
    case 'signed-out':
    case 'interaction-required':
      return { kind: 'signed-out', reason: 'session-expired' };
    default:
      return fallback;
  }
}

function signedInState(account: AccountSummary): AccountState {
  if (account.tenantId === CONSUMER_TENANT_ID) {
    return { kind: 'personal-account-unsupported', username: account.username };
  }
  return {
    kind: 'signed-in',
    username: account.username,
    displayName: account.displayName,
    objectId: account.objectId,
    tenantId: account.tenantId,
  };
}

function problemOf(problem: SessionProblem | null): AppState['problem'] {
  if (problem === null) {
    return null;
  }
  switch (problem.kind) {
    case 'offline':
      return { kind: 'offline', message: problem.message };
    case 'throttled':
      return { kind: 'throttled', message: problem.message };
    default:
      return { kind: 'error', message: problem.message };
  }
}

export class PresenceApp implements PresenceAppApi {
  private readonly ports: PresenceAppPorts;
  private readonly config: PresenceAppConfig;
  private readonly logger: Logger;
  private readonly auth: AuthService | null;
  private readonly client: PresenceClient | null;
  private readonly session: PresenceSession;
  private readonly quit: QuitCoordinator;
  private readonly clockJumps: ClockJumpDetector;
  private readonly listeners = new Set<(state: AppState) => void>();
  private readonly cacheMode: TokenCacheMode;

  private account: AccountState = { kind: 'signed-out', reason: 'never' };
  private summary: AccountSummary | null = null;
  private lastClear: ClearRecord | null = null;
  private appProblem: AppState['problem'] = null;
  private notified = new Set<string>();
  private signInController: AbortController | null = null;
  private quitReport: Promise<QuitReport> | null = null;

  private constructor(ports: PresenceAppPorts, config: PresenceAppConfig, auth: AuthService | null, cacheMode: TokenCacheMode) {
    this.ports = ports;
    this.config = config;
    this.logger = ports.logger.child('app');
    this.auth = auth;
    this.cacheMode = cacheMode;

    this.client =
      auth === null
        ? null
        : new PresenceClient({
            transport: ports.transport,
            graphBaseUrl: config.graphBaseUrl,
            tokens: {
              getAccessToken: (options) => auth.getAccessToken(options),
              account: () => (this.summary === null ? null : { objectId: this.summary.objectId, tenantId: this.summary.tenantId }),
            },
            clock: ports.clock,
            logger: ports.logger,
            apiVersion: ports.settings.get().presence.graphApiVersion,
          });

    this.session = new PresenceSession({
      writer: this.client ?? missingClientWriter(),
      clock: ports.clock,
      logger: ports.logger,
      journal: ports.journal,
      identity: () => this.identity(),
      renewToken: auth === null ? undefined : async () => void (await auth.renewAhead()),
      selfExpiryMs: () => ports.settings.get().presence.selfExpiryMinutes * 60_000,
      onRetryNotBefore: (wallMs) => this.client?.restoreThrottle(wallMs),
    });
    this.session.onChange(() => {
      this.followSessionProblem();
      this.publish();
    });

    this.quit = new QuitCoordinator({ clock: ports.clock, logger: ports.logger });
    this.quit.join(
      'presence-clear',
      async ({ deadlineMs }) => {
        const decision = decide('quit', ports.settings.get());
        if (decision.action === 'clear') {
          await this.clearWithDeadline('quit', deadlineMs);
        }
      },
      ports.settings.get().budgetsMs.quit,
    );

    this.clockJumps = new ClockJumpDetector({
      clock: ports.clock,
      logger: ports.logger,
      onJump: () => {
        void this.handleLifecycle('clock-jump');
      },
    });
  }

  /** Builds the app; sign-in needs a client ID, everything else works without one. */
  static async create(ports: PresenceAppPorts, config: PresenceAppConfig): Promise<PresenceApp> {
    const cache = await createTokenCacheStorage({
      secretBox: ports.secretBox,
      file: ports.tokenCacheFile,
      allowPlaintext: config.allowPlaintextTokenCache ?? ports.settings.get().allowPlaintextTokenCache,
      sandboxTokens: config.sandbox,
      logger: ports.logger,
    });

    let auth: AuthService | null = null;
    if (config.clientId !== null) {
      auth = new AuthService({
        clientId: config.clientId,
        authority: config.authority,
        transport: ports.transport,
        cache,
        browser: ports.browser,
        clock: ports.clock,
        logger: ports.logger,
        homeAccountId: ports.settings.get().account.homeAccountId,
      });
    }
    return new PresenceApp(ports, config, auth, cache.mode);
  }

  /** Restores the account and, for the tray app, replays a pending clear before anything else. */
  async start(options: StartOptions): Promise<void> {
    this.logger.info('starting', {
      sandbox: this.config.sandbox,
      cacheMode: this.cacheMode,
      clientConfigured: this.config.clientId !== null,
      proxy: this.ports.transport.describeProxy(),
    });

    if (this.auth !== null) {
      try {
        const restored = await this.auth.restore();
        if (restored !== null) {
          this.summary = restored;
          this.account = signedInState(restored);
        }
      } catch (error) {
        this.logger.warn('could not restore the account from the token cache', { error: String(error) });
      }
    }
    this.publish();

    if (options.replayJournal) {
      await this.session.start(this.ports.clock.monotonicMs() + START_REPLAY_BUDGET_MS);
      this.clockJumps.start();
    }
  }

  /** Stops timers; does not clear (quit does that through `prepareQuit`). */
  async dispose(): Promise<void> {
    this.clockJumps.stop();
    this.session.dispose();
    this.listeners.clear();
    await this.auth?.close();
  }

  state(): AppState {
    return {
      account: this.account,
      session: this.session.state(),
      shown: this.session.shown(),
      lastClear: this.lastClear ?? this.session.lastClear(),
      problem: this.appProblem ?? problemOf(this.session.problem()),
      sandbox: this.config.sandbox,
    };
  }

  onStateChange(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns where the token cache is kept, so the tray and CLI can report missing secure storage. */
  tokenCacheMode(): TokenCacheMode {
    return this.cacheMode;
  }

  /** Returns the session the journal records, for a one-shot `status` that keeps no session itself. */
  async journaledSession(): Promise<SessionState> {
    const live = this.session.state();
    if (live.kind !== 'none') {
      return live;
    }
    const record: JournalRecord = await this.ports.journal.read();
    const entry = record.entry;
    if (entry === null || isEntryExpired(entry, this.ports.clock.wallMs())) {
      return record.paused ? { kind: 'paused' } : { kind: 'none' };
    }
    if (entry.intent === undefined || entry.expiresAt === null) {
      // An open entry without an intent is a clear that did not finish.
      return {
        kind: 'clear-pending',
        since: this.ports.clock.wallMs(),
        lastError: 'A clear did not finish. Run "presence-tray clear" again, or start the tray app, which sends it first.',
      };
    }
    return {
      kind: 'active',
      pair: entry.intent.pair,
      intentUntil: entry.intent.intentUntil,
      expiresAt: entry.expiresAt,
      nextRefreshAt: null,
      readback: { kind: 'unknown' },
    };
  }

  /** Reads what Graph shows for the signed-in user now. */
  async readPresence(budgetMs = 15_000): Promise<PresenceSnapshot> {
    const identity = this.requireIdentity();
    const client = this.requireClient();
    try {
      return await client.getPresence(identity.presenceId, { deadlineMs: this.ports.clock.monotonicMs() + budgetMs });
    } catch (error) {
      this.handleAuthFailure(error);
      throw error;
    }
  }

  async signIn(method: 'browser' | 'device-code'): Promise<void> {
    const auth = this.requireAuth();
    this.signInController?.abort();
    const controller = new AbortController();
    this.signInController = controller;

    const before = this.account;
    this.account = { kind: 'signing-in', method };
    this.appProblem = null;
    this.publish();
    this.logger.info('sign-in started', { method });

    try {
      const account =
        method === 'browser'
          ? await auth.signInInteractive({ signal: controller.signal })
          : await auth.signInDeviceCode({
              signal: controller.signal,
              onCode: (info) => {
                this.account = { kind: 'signing-in', method, userCode: info.userCode, verificationUri: info.verificationUri };
                this.publish();
                this.config.onDeviceCode?.(info);
              },
            });
      this.acceptAccount(account);
      this.logger.info('sign-in finished', { method, tenant: account.tenantId });
    } catch (error) {
      const authError = error instanceof AuthError ? error : null;
      this.account = authError === null ? before : accountStateForError(authError, { kind: 'signed-out', reason: 'never' });
      if (this.account.kind === 'signing-in') {
        this.account = { kind: 'signed-out', reason: 'never' };
      }
      this.logger.warn('sign-in failed', { method, kind: authError?.kind ?? 'unknown', error: String(error) });
      this.notifyForError(error);
      this.publish();
      throw error;
    } finally {
      if (this.signInController === controller) {
        this.signInController = null;
      }
    }

    this.publish();
    if (this.currentAccount().kind === 'signed-in') {
      await this.session.onSignedIn();
    }
  }

  /** Reads the account state through a call, so narrowing from before an await does not stick. */
  private currentAccount(): AccountState {
    return this.account;
  }

  cancelSignIn(): void {
    this.logger.info('sign-in cancelled by the user');
    this.signInController?.abort();
    this.auth?.cancelSignIn();
  }

  async signOut(): Promise<void> {
    const auth = this.requireAuth();
    if (this.identity() !== null) {
      // Sign-out removes the token the clear needs, so end the session first.
      await this.session.clear({ trigger: 'pause', deadlineMs: this.ports.clock.monotonicMs() + SIGN_OUT_CLEAR_BUDGET_MS });
    }
    await auth.signOut();
    this.summary = null;
    this.account = { kind: 'signed-out', reason: 'signed-out' };
    this.saveHomeAccount(null);
    this.logger.info('signed out');
    this.publish();
  }

  async setPresence(request: SetPresenceRequest): Promise<void> {
    this.requireIdentity();
    const pair: PresencePair = {
      availability: request.availability,
      activity: request.activity ?? DEFAULT_ACTIVITY[request.availability],
    };
    const intentUntil = request.durationMs === null ? null : this.ports.clock.wallMs() + request.durationMs;
    this.appProblem = null;
    try {
      await this.session.set({ pair, intentUntil });
    } catch (error) {
      this.handleAuthFailure(error);
      throw error;
    }
  }

  async clearPresence(trigger: ClearTrigger, budgetMs = Infinity): Promise<ClearRecord> {
    return this.clearWithDeadline(trigger, this.ports.clock.monotonicMs() + budgetMs);
  }

  /**
   * Sends one `clearPresence` for the given ids and extra headers, outside the session, like the
   * PowerShell cmdlet with -PresenceId, -SessionId and -Headers. A 403 for another user's ID is
   * explained as an account mismatch and not retried.
   */
  async clearSessionDirect(
    target: { presenceId: string; sessionId: string },
    extraHeaders: Record<string, string>,
    budgetMs: number,
  ): Promise<ClearRecord> {
    this.requireIdentity();
    const client = this.requireClient();
    const deadlineMs = this.ports.clock.monotonicMs() + budgetMs;
    try {
      const result = await client.clearPresence(target.presenceId, { sessionId: target.sessionId }, { deadlineMs, extraHeaders });
      this.logger.info('clear sent with explicit ids', {
        presenceId: target.presenceId,
        sessionId: target.sessionId,
        outcome: result.outcome,
        requestId: result.requestId,
      });
      this.lastClear = { at: this.ports.clock.wallMs(), trigger: 'command-line', result: result.outcome, requestId: result.requestId };

      // When the ids are the app's own session, the session must forget it too, or the next
      // launch would re-assert the presence the user just cleared.
      const own = this.identity();
      if (own !== null && own.presenceId === target.presenceId && own.sessionId === target.sessionId) {
        await this.session.recordExternalClear(this.lastClear);
      }
    } catch (error) {
      this.handleAuthFailure(error);
      if (error instanceof GraphError && error.kind === 'throttled') {
        this.appProblem = { kind: 'throttled', message: error.message };
      }
      const requestId = error instanceof GraphError ? error.requestId : null;
      this.lastClear = { at: this.ports.clock.wallMs(), trigger: 'command-line', result: 'failed', requestId, error: errorMessage(error) };
    }
    this.publish();
    return this.lastClear;
  }

  /** Returns the presence ID and session ID that writes use, or null when signed out. */
  sessionIdentity(): SessionIdentity | null {
    return this.identity();
  }

  async pause(): Promise<void> {
    await this.session.pause();
  }

  async handlePowerEvent(event: PowerEvent): Promise<void> {
    await this.handleLifecycle(event);
  }

  /** Runs the quit participants within their budgets; resolves with what each one did. */
  prepareQuit(reason: QuitReason = 'user-quit'): Promise<void> {
    if (this.quitReport === null) {
      this.quitReport = this.quit.run(reason);
    }
    return this.quitReport.then((report) => {
      this.logger.info('quit participants settled', { elapsedMs: Math.round(report.elapsedMs), reason });
    });
  }

  // ----- internals -----

  private async handleLifecycle(event: PowerEvent | 'clock-jump'): Promise<void> {
    const decision = decide(event, this.ports.settings.get());
    const deadlineMs = this.ports.clock.monotonicMs() + decision.budgetMs;
    this.logger.info('lifecycle event', { event, action: decision.action, budgetMs: decision.budgetMs });

    switch (decision.action) {
      case 'clear': {
        const trigger = triggerForEvent(event);
        await this.clearWithDeadline(trigger, deadlineMs);
        return;
      }
      case 'replay':
        if (event === 'clock-jump') {
          await this.session.onClockJump(deadlineMs);
        } else if (event === 'network-up') {
          await this.session.onNetworkUp(deadlineMs);
        } else {
          this.clockJumps.reset();
          await this.session.onResume(deadlineMs);
        }
        return;
      case 'none':
        return;
    }
  }

  private async clearWithDeadline(trigger: ClearTrigger, deadlineMs: number): Promise<ClearRecord> {
    const before = this.session.state();
    const record = await this.session.clear({ trigger, deadlineMs });

    // The session sends nothing when it has no record of a session. A user who asks to clear gets a
    // request anyway: another copy of the app (same client ID, so the same session) or an
    // earlier command may have set one this process does not know about.
    let final = record;
    if (USER_TRIGGERS.has(trigger) && record.requestId === null && record.result === 'already-cleared' && before.kind === 'none') {
      final = await this.forceClear(trigger, deadlineMs);
    }

    this.lastClear = final;
    this.followSessionProblem();
    if (final.result === 'journaled') {
      this.notify(
        'clear-failed',
        'Presence not cleared yet',
        `${final.error ?? 'The clear did not finish.'} The app sends it again on resume, when the network returns and at its next start.`,
      );
    }
    this.publish();
    return final;
  }

  private async forceClear(trigger: ClearTrigger, deadlineMs: number): Promise<ClearRecord> {
    const identity = this.identity();
    if (identity === null || this.client === null) {
      return { at: this.ports.clock.wallMs(), trigger, result: 'failed', requestId: null, error: 'Sign in first, then clear.' };
    }
    try {
      const result = await this.client.clearPresence(identity.presenceId, { sessionId: identity.sessionId }, { deadlineMs });
      this.logger.info('clear sent on user request', { trigger, outcome: result.outcome, requestId: result.requestId });
      return { at: this.ports.clock.wallMs(), trigger, result: result.outcome, requestId: result.requestId };
    } catch (error) {
      this.handleAuthFailure(error);
      const requestId = error instanceof GraphError ? error.requestId : null;
      this.logger.warn('clear on user request failed', { trigger, requestId, error: String(error) });
      return { at: this.ports.clock.wallMs(), trigger, result: 'failed', requestId, error: errorMessage(error) };
    }
  }

  /**
   * Signs the account out when the session found that the refresh token was rejected (in a
   * keep-alive or a clear), so the tray and one notification request a new sign-in.
   */
  private followSessionProblem(): void {
    if (this.session.problem()?.kind !== 'sign-in-required' || this.account.kind !== 'signed-in') {
      return;
    }
    this.logger.warn('the refresh token was rejected; sign-in is needed to keep or clear presence');
    this.account = { kind: 'signed-out', reason: 'session-expired' };
    this.notify('sign-in-again', 'Sign in again', 'Presence Tray needs you to sign in again to keep or clear your presence.');
  }

  private acceptAccount(account: AccountSummary): void {
    this.summary = account;
    this.account = signedInState(account);
    if (this.account.kind === 'personal-account-unsupported') {
      const error = personalAccountError(account.username);
      this.logger.warn('personal Microsoft account signed in; presence calls are disabled', { username: account.username });
      this.notify('personal-account', 'Work or school account needed', error.message);
      return;
    }
    this.saveHomeAccount(account.homeAccountId);
  }

  private saveHomeAccount(homeAccountId: string | null): void {
    try {
      this.ports.settings.update({ account: { homeAccountId } });
    } catch (error) {
      // Best effort: the account is still in the token cache, only the choice is not remembered.
      this.logger.warn('could not save the chosen account in the settings', { error: String(error) });
    }
  }

  private handleAuthFailure(error: unknown): void {
    if (!(error instanceof AuthError)) {
      return;
    }
    const next = accountStateForError(error, this.account);
    if (next !== this.account) {
      this.account = next;
      if (next.kind === 'signed-out') {
        this.summary = null;
      }
      this.publish();
    }
    this.notifyForError(error);
  }

  private notifyForError(error: unknown): void {
    if (!(error instanceof AuthError)) {
      return;
    }
    if (error.kind === 'signed-out' || error.kind === 'interaction-required') {
      this.notify('sign-in-again', 'Sign in again', 'Presence Tray needs you to sign in again to keep or clear your presence.');
    } else if (error.kind === 'admin-consent-needed') {
      this.notify('admin-consent', 'Admin consent needed', error.message);
    }
  }

  /** Shows a notification once per id until the app's state is good again. */
  private notify(id: string, title: string, body: string): void {
    if (this.notified.has(id)) {
      return;
    }
    this.notified.add(id);
    this.ports.notifier.notify({ id, title, body });
  }

  private identity(): SessionIdentity | null {
    if (this.summary === null || this.config.clientId === null || this.account.kind !== 'signed-in') {
      return null;
    }
    const override = this.ports.settings.get().presence.sessionIdOverride;
    return { presenceId: this.summary.objectId, sessionId: override ?? this.config.clientId };
  }

  private requireAuth(): AuthService {
    if (this.auth === null) {
      throw new AuthError(
        'configuration',
        'No app registration is set: enter the application (client) ID and tenant in Settings, or use the sandbox.',
      );
    }
    return this.auth;
  }

  private requireClient(): PresenceClient {
    if (this.client === null) {
      this.requireAuth();
    }
    return this.client as PresenceClient;
  }

  private requireIdentity(): SessionIdentity {
    if (this.account.kind === 'personal-account-unsupported') {
      throw personalAccountError(this.account.username);
    }
    const identity = this.identity();
    if (identity === null) {
      throw new AuthError('signed-out', 'Not signed in: run "presence-tray sign-in" or use Sign in from the tray menu.');
    }
    return identity;
  }

  private publish(): void {
    if (this.account.kind === 'signed-in') {
      this.notified.delete('sign-in-again');
    }
    const state = this.state();
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch (error) {
        this.logger.error('state listener failed', { error: String(error) });
      }
    }
  }
}

function triggerForEvent(event: PowerEvent | 'clock-jump'): ClearTrigger {
  switch (event) {
    case 'suspend':
      return 'suspend';
    case 'lock':
      return 'lock';
    case 'session-end':
      return 'session-end';
    default:
      return 'shutdown';
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Returns a writer that explains the missing app registration instead of sending anything. */
function missingClientWriter(): ConstructorParameters<typeof PresenceSession>[0]['writer'] {
  const fail = async (): Promise<never> => {
    throw new AuthError('configuration', 'No app registration is set: enter the application (client) ID in Settings.');
  };
  return { setPresence: fail, clearPresence: fail, getPresence: fail };
}
