/**
 * Sign-in for Presence Tray: one MSAL `PublicClientApplication`, one account, one sign-in at a
 * time. It adds what MSAL Node 7.2.4 lacks for a tray app: a timeout and cancel for the browser
 * sign-in, a renewal ahead of expiry for clears on suspend, and errors the app can act on.
 */

import { PublicClientApplication, type AccountInfo, type AuthenticationResult, type DeviceCodeRequest } from '@azure/msal-node';

import { createMsalNetworkClient } from '../net/msal-network.ts';
import type { BrowserOpener, Clock, HttpTransport, Logger, TimerHandle } from '../ports.ts';
import { AuthError, CONSUMER_TENANT_ID, personalAccountError, toAuthError, type AuthErrorContext } from './auth-errors.ts';
import type { TokenCacheStorage } from './cache-plugin.ts';
import { readPendingLoopback, releaseLoopback } from './loopback-release.ts';
import { MsalLogCapture } from './msal-log.ts';
import type { TokenSource } from './token-source.ts';

/**
 * Graph's short scope name. MSAL caches a token under the scope string the server returns. If the
 * request uses `https://graph.microsoft.com/Presence.ReadWrite` and the response the short name
 * (or the reverse), every silent call misses the cache and sends a refresh grant.
 */
export const DEFAULT_SCOPES: readonly string[] = ['Presence.ReadWrite'];

/** How long a browser sign-in may wait for the user; MSAL itself would wait forever. */
export const DEFAULT_INTERACTIVE_TIMEOUT_MS = 5 * 60_000;

/**
 * `renewAhead` refreshes when the access token has less than this left. The keep-alive runs at
 * most every 4 minutes and MSAL already refreshes inside 5 minutes of expiry, so 10 minutes
 * leaves a token with minutes to spare at any clear between two keep-alives.
 */
export const RENEW_AHEAD_MS = 10 * 60_000;

/** Time MSAL gets to close its loopback listener after a cancelled sign-in is released. */
const LOOPBACK_CLOSE_WAIT_MS = 5_000;

const SUCCESS_PAGE = '<!doctype html><title>Presence Tray</title><p>Signed in to Presence Tray. You can close this tab.</p>';
const ERROR_PAGE = '<!doctype html><title>Presence Tray</title><p>Sign-in to Presence Tray did not finish. You can close this tab and try again from the tray.</p>';

/** Hosts for which MSAL must not try Microsoft's instance discovery (the local sandbox). */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The signed-in user, from the ID token; `objectId` is the `presenceId` in Graph URLs. */
export interface AccountSummary {
  homeAccountId: string;
  username: string;
  displayName: string;
  /** Entra object ID (`oid`). */
  objectId: string;
  /** Directory tenant ID (`tid`). */
  tenantId: string;
}

export interface DeviceCodeInfo {
  userCode: string;
  verificationUri: string;
  /** The identity platform's instruction text, ready to show. */
  message: string;
  /** Wall-clock ms when the code stops working. */
  expiresAt: number;
}

export interface AuthServiceOptions {
  clientId: string;
  /** `https://login.microsoftonline.com/organizations`, a tenant authority, or the sandbox's. */
  authority: string;
  /** `host[:port]` entries MSAL may trust without Microsoft's instance discovery. */
  knownAuthorities?: string[];
  transport: HttpTransport;
  cache: TokenCacheStorage;
  browser: BrowserOpener;
  /** Its `wallMs` must follow the system clock that MSAL uses for token expiry. */
  clock: Clock;
  logger: Logger;
  scopes?: string[];
  /** The account chosen at an earlier sign-in, from the settings. */
  homeAccountId?: string | null;
  interactiveTimeoutMs?: number;
}

export interface InteractiveSignInOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Defaults to `select_account` after a sign-out, so the browser session does not pick silently. */
  prompt?: 'select_account' | 'login' | 'consent' | 'none';
}

export interface DeviceCodeSignInOptions {
  onCode(info: DeviceCodeInfo): void;
  signal?: AbortSignal;
  /** Stops polling after this long, if that comes before the code expires. */
  timeoutMs?: number;
}

/** A sign-in in flight: how to stop it, and when MSAL has let go of its listener or poll loop. */
interface SignInAttempt {
  id: number;
  stop(kind: 'cancelled' | 'timeout', reason: string): void;
  settled: Promise<void>;
}

/** Returns the `host:port` of a loopback authority, which MSAL must treat as known. */
function loopbackKnownAuthorities(authority: string): string[] {
  const url = new URL(authority);
  return LOOPBACK_HOSTNAMES.has(url.hostname) ? [url.host] : [];
}

function claimString(claims: AccountInfo['idTokenClaims'], name: string): string | undefined {
  const value = claims?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Builds the summary the app shows from an MSAL account and its ID token claims. */
export function summarizeAccount(account: AccountInfo): AccountSummary {
  const claims = account.idTokenClaims;
  return {
    homeAccountId: account.homeAccountId,
    username: account.username || (claimString(claims, 'preferred_username') ?? ''),
    displayName: account.name ?? claimString(claims, 'name') ?? account.username,
    objectId: claimString(claims, 'oid') ?? account.localAccountId,
    tenantId: claimString(claims, 'tid') ?? account.tenantId,
  };
}

/** Formats a timeout for a message: whole seconds below a minute, whole minutes above. */
function formatDuration(ms: number): string {
  return ms < 60_000 ? `${Math.max(1, Math.ceil(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}

/** Resolves when `promise` settles or `ms` passes, whichever is first; never rejects. */
async function settleWithin(promise: Promise<unknown>, ms: number, clock: Clock): Promise<boolean> {
  let timer: TimerHandle | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), expired]);
  } finally {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
    }
  }
}

export class AuthService implements TokenSource {
  private readonly clientId: string;
  private readonly authority: string;
  private readonly scopes: string[];
  private readonly browser: BrowserOpener;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly interactiveTimeoutMs: number;
  private readonly msalLog: MsalLogCapture;
  private readonly pca: PublicClientApplication;

  private homeAccountId: string | null;
  private activeAccount: AccountInfo | null = null;
  private restoring: Promise<AccountSummary | null> | null = null;
  /** Set after a token request proved the refresh token useless; cleared by a sign-in. */
  private signedOutError: AuthError | null = null;
  private selectAccountNext = false;
  /** Wall-clock ms when the last access token expires, or null before the first one. */
  private accessTokenExpiresAt: number | null = null;
  private tokenRequest: { forceRefresh: boolean; promise: Promise<string> } | null = null;
  private signIn: SignInAttempt | null = null;
  private nextAttemptId = 1;

  constructor(options: AuthServiceOptions) {
    this.clientId = options.clientId;
    this.authority = options.authority;
    this.scopes = [...(options.scopes ?? DEFAULT_SCOPES)];
    this.browser = options.browser;
    this.clock = options.clock;
    this.logger = options.logger.child('auth');
    this.interactiveTimeoutMs = options.interactiveTimeoutMs ?? DEFAULT_INTERACTIVE_TIMEOUT_MS;
    this.homeAccountId = options.homeAccountId ?? null;
    this.msalLog = new MsalLogCapture(this.logger.child('msal'));

    const url = new URL(options.authority);
    if (url.protocol !== 'https:') {
      // MSAL would throw authority_uri_insecure at the first call, so report it at construction.
      throw new AuthError('configuration', `Authority ${options.authority} is not an https URL: MSAL accepts only https authorities.`);
    }

    this.pca = new PublicClientApplication({
      auth: {
        clientId: options.clientId,
        authority: options.authority,
        knownAuthorities: options.knownAuthorities ?? loopbackKnownAuthorities(options.authority),
      },
      cache: { cachePlugin: options.cache.plugin },
      system: {
        networkClient: createMsalNetworkClient(options.transport, { logger: this.logger }),
        loggerOptions: this.msalLog.loggerOptions(),
      },
    });

    this.logger.info('auth service created', {
      authority: options.authority,
      clientId: options.clientId,
      cacheMode: options.cache.mode,
      homeAccountId: this.homeAccountId,
    });
  }

  /** Returns the signed-in account, or null before `restore()` or a sign-in found one. */
  currentAccount(): AccountSummary | null {
    return this.activeAccount === null ? null : summarizeAccount(this.activeAccount);
  }

  /** Returns `currentAccount()`, under the name the Graph client uses to explain a 401 or 403. */
  account(): AccountSummary | null {
    return this.currentAccount();
  }

  /**
   * Loads the account from the token cache: the one with the stored `homeAccountId`, or, when
   * none is stored, the only account in the cache. Makes no network request.
   */
  restore(): Promise<AccountSummary | null> {
    this.restoring ??= this.loadAccount().finally(() => {
      this.restoring = null;
    });
    return this.restoring;
  }

  /**
   * Signs in through the system browser (PKCE, loopback redirect). Rejects with an `AuthError`
   * of kind `timeout` or `cancelled` when `timeoutMs` passes or `signal` aborts; by then MSAL's
   * loopback port is closed. Starting a sign-in cancels one still in flight.
   */
  async signInInteractive(options: InteractiveSignInOptions = {}): Promise<AccountSummary> {
    const id = await this.takeSignInTurn();
    const timeoutMs = options.timeoutMs ?? this.interactiveTimeoutMs;
    const prompt = options.prompt ?? (this.selectAccountNext ? 'select_account' : undefined);
    let authorizeUrl: string | null = null;
    let stopped: AuthError | null = null;
    let announceStop: (error: AuthError) => void = () => {};
    const stopSignal = new Promise<AuthError>((resolve) => {
      announceStop = resolve;
    });

    const openBrowser = async (url: string): Promise<void> => {
      authorizeUrl = url;
      if (stopped !== null) {
        // Throwing here makes MSAL close the listener it just opened.
        throw stopped;
      }
      this.logger.info('opening the browser for sign-in', { attempt: id, loopbackPort: readPendingLoopback(url)?.port ?? null, prompt: prompt ?? null });
      try {
        await this.browser.open(url);
      } catch (error) {
        throw new AuthError(
          'configuration',
          `Could not open a browser for sign-in: ${String(error)}. Sign in with a device code instead ("presence-tray sign-in --device-code").`,
        );
      }
    };

    this.logger.info('interactive sign-in started', { attempt: id, timeoutMs });
    const pending = this.pca.acquireTokenInteractive({
      openBrowser,
      scopes: this.scopes,
      prompt,
      successTemplate: SUCCESS_PAGE,
      errorTemplate: ERROR_PAGE,
    });
    const settled = pending.then(
      (result) => {
        if (stopped !== null) {
          void this.discardLateSignIn(id, result);
        }
      },
      () => undefined,
    );

    const stop = (kind: 'cancelled' | 'timeout', reason: string): void => {
      if (stopped !== null) {
        return;
      }
      stopped = new AuthError(kind, reason);
      this.logger.info('stopping interactive sign-in', { attempt: id, kind });
      if (authorizeUrl !== null) {
        void this.releaseListener(id, authorizeUrl);
      }
      announceStop(stopped);
    };
    this.signIn = { id, stop, settled };

    const timer = this.clock.setTimeout(
      () => stop('timeout', `Sign-in timed out after ${formatDuration(timeoutMs)} without a response from the browser: start sign-in again.`),
      timeoutMs,
    );
    const onAbort = (): void => stop('cancelled', 'Sign-in was cancelled.');
    if (options.signal?.aborted === true) {
      onAbort();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      const outcome = await Promise.race([pending.then((result) => ({ result })), stopSignal.then((error) => ({ error }))]);
      if ('error' in outcome) {
        const closed = await settleWithin(settled, LOOPBACK_CLOSE_WAIT_MS, this.clock);
        if (!closed) {
          this.logger.warn('MSAL did not end the stopped sign-in in time; its loopback port may stay open', { attempt: id });
        }
        throw outcome.error;
      }
      return await this.adoptSignIn(id, outcome.result);
    } catch (error) {
      throw this.reportSignInError(id, error);
    } finally {
      this.clock.clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (this.signIn?.id === id) {
        this.signIn = null;
      }
    }
  }

  /**
   * Signs in with a device code shown to the user (for machines without a usable browser).
   * `signal` sets MSAL's `cancel` flag, which MSAL checks before each poll, so the call rejects
   * within one polling interval (5 s at Entra).
   */
  async signInDeviceCode(options: DeviceCodeSignInOptions): Promise<AccountSummary> {
    const id = await this.takeSignInTurn();
    const request: DeviceCodeRequest = {
      scopes: this.scopes,
      cancel: false,
      deviceCodeCallback: (response) => {
        const info: DeviceCodeInfo = {
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          message: response.message,
          expiresAt: this.clock.wallMs() + response.expiresIn * 1000,
        };
        this.logger.info('device code issued', { attempt: id, verificationUri: info.verificationUri, expiresInS: response.expiresIn });
        try {
          options.onCode(info);
        } catch (error) {
          // The caller's display failed; polling continues, since the code may already be visible.
          this.logger.error('showing the device code failed', { attempt: id, error: String(error) });
        }
      },
    };
    if (options.timeoutMs !== undefined) {
      request.timeout = Math.ceil(options.timeoutMs / 1000);
    }

    this.logger.info('device code sign-in started', { attempt: id });
    const pending = this.pca.acquireTokenByDeviceCode(request);
    const settled = pending.then(
      () => undefined,
      () => undefined,
    );
    const stop = (kind: 'cancelled' | 'timeout'): void => {
      this.logger.info('stopping device code sign-in', { attempt: id, kind });
      request.cancel = true;
    };
    this.signIn = { id, stop, settled };

    const onAbort = (): void => stop('cancelled');
    if (options.signal?.aborted === true) {
      onAbort();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      const result = await pending;
      if (result === null) {
        throw new AuthError('configuration', `Device code sign-in for app ${this.clientId} returned no token: check the app registration allows public client flows.`);
      }
      return await this.adoptSignIn(id, result);
    } catch (error) {
      throw this.reportSignInError(id, error);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (this.signIn?.id === id) {
        this.signIn = null;
      }
    }
  }

  /** Cancels the sign-in in flight, if any; its promise rejects with kind `cancelled`. */
  cancelSignIn(): void {
    this.signIn?.stop('cancelled', 'Sign-in was cancelled.');
  }

  /**
   * Returns an access token for the signed-in account without user interaction. MSAL serves it
   * from the cache, or sends one refresh grant when it expires within 5 minutes or
   * `forceRefresh` is set. Concurrent calls share one request. After the refresh token was
   * rejected, calls reject with `signed-out` without sending anything until the next sign-in.
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const forceRefresh = options.forceRefresh === true;
    const inFlight = this.tokenRequest;
    if (inFlight !== null && (inFlight.forceRefresh || !forceRefresh)) {
      return inFlight.promise;
    }

    const promise = this.acquireSilently(forceRefresh).finally(() => {
      if (this.tokenRequest?.promise === promise) {
        this.tokenRequest = null;
      }
    });
    this.tokenRequest = { forceRefresh, promise };
    return promise;
  }

  /**
   * Refreshes the access token now if it expires within `RENEW_AHEAD_MS`, so that a clear on
   * suspend normally needs no token request. Returns the wall-clock ms when the token expires.
   * Rejects with an `AuthError`, like `getAccessToken`.
   */
  async renewAhead(): Promise<number> {
    if (this.accessTokenExpiresAt === null) {
      await this.getAccessToken();
    }

    const expiresAt = this.accessTokenExpiresAt ?? 0;
    const remainingMs = expiresAt - this.clock.wallMs();
    if (remainingMs > RENEW_AHEAD_MS) {
      return expiresAt;
    }

    this.logger.info('renewing the access token ahead of expiry', { remainingS: Math.round(remainingMs / 1000) });
    await this.getAccessToken({ forceRefresh: true });
    return this.accessTokenExpiresAt ?? expiresAt;
  }

  /**
   * Removes the account and its tokens from the cache and clears the stored account. Sign-out
   * is local: the browser's Microsoft session stays, so the next browser sign-in sends
   * `prompt=select_account` to let the user pick the account.
   */
  async signOut(): Promise<void> {
    await this.stopSignInInFlight('signing out');

    const account = await this.findAccount();
    if (account !== null) {
      await this.pca.getTokenCache().removeAccount(account);
    }

    this.logger.info('signed out', { homeAccountId: account?.homeAccountId ?? this.homeAccountId });
    this.activeAccount = null;
    this.homeAccountId = null;
    this.signedOutError = null;
    this.accessTokenExpiresAt = null;
    this.selectAccountNext = true;
  }

  /** Cancels any sign-in and waits until MSAL has released its listener or poll loop. */
  async close(): Promise<void> {
    await this.stopSignInInFlight('the auth service is closing');
  }

  private errorContext(): AuthErrorContext {
    const summary = this.currentAccount();
    return {
      clientId: this.clientId,
      authority: this.authority,
      scopes: this.scopes,
      tenantId: summary?.tenantId ?? null,
      username: summary?.username ?? null,
    };
  }

  /** Maps an error from MSAL, adding MSAL's logged cause for discovery failures. */
  private mapError(error: unknown): AuthError {
    const correlationId = (error as { correlationId?: unknown } | null)?.correlationId;
    const discoveryCause = this.msalLog.discoveryCause(typeof correlationId === 'string' && correlationId !== '' ? correlationId : undefined);
    return toAuthError(error, { ...this.errorContext(), discoveryCause });
  }

  private reportSignInError(attempt: number, error: unknown): AuthError {
    const mapped = this.mapError(error);
    const fields = { attempt, kind: mapped.kind, msalErrorCode: mapped.msalErrorCode ?? null, aadstsCode: mapped.aadstsCode ?? null, correlationId: mapped.correlationId ?? null };
    if (mapped.kind === 'cancelled' || mapped.kind === 'timeout') {
      this.logger.info(`sign-in ended: ${mapped.message}`, fields);
    } else {
      this.logger.warn(`sign-in failed: ${mapped.message}`, fields);
    }
    return mapped;
  }

  private async loadAccount(): Promise<AccountSummary | null> {
    const cache = this.pca.getTokenCache();
    let account: AccountInfo | null = null;

    if (this.homeAccountId !== null) {
      account = await cache.getAccountByHomeId(this.homeAccountId);
      if (account === null) {
        this.logger.info('the stored account is not in the token cache; sign-in is needed', { homeAccountId: this.homeAccountId });
      }
    } else {
      const accounts = await cache.getAllAccounts();
      if (accounts.length === 1) {
        account = accounts[0] ?? null;
      } else if (accounts.length > 1) {
        this.logger.warn('the token cache contains several accounts and none is selected; sign-in is needed', { accounts: accounts.length });
      }
    }

    // A sign-in that finished while the cache was read wins over what the cache showed.
    if (this.activeAccount === null && account !== null) {
      this.activeAccount = account;
      this.homeAccountId = account.homeAccountId;
      this.logger.info('account restored from the token cache', { homeAccountId: account.homeAccountId });
    }
    return this.currentAccount();
  }

  /**
   * Returns the current account, looking in the cache while there is none, so a sign-in that
   * another process (the command line) stored is found.
   */
  private async findAccount(): Promise<AccountInfo | null> {
    if (this.activeAccount === null) {
      await this.restore();
    }
    return this.activeAccount;
  }

  private async acquireSilently(forceRefresh: boolean): Promise<string> {
    if (this.signedOutError !== null) {
      throw new AuthError('signed-out', this.signedOutError.message, { msalErrorCode: this.signedOutError.msalErrorCode, aadstsCode: this.signedOutError.aadstsCode });
    }

    const account = await this.findAccount();
    if (account === null) {
      throw new AuthError('signed-out', `No account is signed in to app ${this.clientId}: sign in first (tray menu or "presence-tray sign-in").`);
    }
    const summary = summarizeAccount(account);
    if (summary.tenantId === CONSUMER_TENANT_ID) {
      throw personalAccountError(summary.username);
    }

    let result: AuthenticationResult;
    try {
      result = await this.pca.acquireTokenSilent({ account, scopes: this.scopes, forceRefresh });
    } catch (error) {
      const mapped = this.mapError(error);
      const fields = { kind: mapped.kind, msalErrorCode: mapped.msalErrorCode ?? null, aadstsCode: mapped.aadstsCode ?? null, correlationId: mapped.correlationId ?? null };
      if (mapped.kind === 'signed-out') {
        // Remember it, so a keep-alive or a retry loop cannot turn one rejection into a storm.
        this.signedOutError = mapped;
        this.logger.warn(`token refresh rejected; sign-in is needed: ${mapped.message}`, fields);
      } else {
        this.logger.warn(`getting an access token failed: ${mapped.message}`, fields);
      }
      throw mapped;
    }

    this.accessTokenExpiresAt = result.expiresOn?.getTime() ?? null;
    this.logger.debug('access token ready', {
      fromCache: result.fromCache,
      forceRefresh,
      expiresInS: this.accessTokenExpiresAt === null ? null : Math.round((this.accessTokenExpiresAt - this.clock.wallMs()) / 1000),
      correlationId: result.correlationId,
    });
    return result.accessToken;
  }

  /** Makes a fresh sign-in's account current, unless it is a personal Microsoft account. */
  private async adoptSignIn(attempt: number, result: AuthenticationResult): Promise<AccountSummary> {
    const account = result.account;
    if (account === null) {
      throw new AuthError('configuration', `The sign-in response for app ${this.clientId} had no ID token, so no account: check that the app registration issues ID tokens.`);
    }

    const summary = summarizeAccount(account);
    if (summary.tenantId === CONSUMER_TENANT_ID) {
      // Keep nothing of an account that can never use presence.
      await this.pca.getTokenCache().removeAccount(account);
      throw personalAccountError(summary.username);
    }

    this.activeAccount = account;
    this.homeAccountId = account.homeAccountId;
    this.signedOutError = null;
    this.selectAccountNext = false;
    this.accessTokenExpiresAt = result.expiresOn?.getTime() ?? null;
    this.logger.info('signed in', { attempt, homeAccountId: summary.homeAccountId, tenantId: summary.tenantId });
    return summary;
  }

  /** Removes an account that a stopped sign-in stored after all, unless it is the current one. */
  private async discardLateSignIn(attempt: number, result: AuthenticationResult): Promise<void> {
    const late = result.account;
    if (late === null || late.homeAccountId === this.activeAccount?.homeAccountId) {
      return;
    }
    this.logger.info('a stopped sign-in finished late; removing its account', { attempt, homeAccountId: late.homeAccountId });
    try {
      await this.pca.getTokenCache().removeAccount(late);
    } catch (error) {
      this.logger.error('removing the late sign-in account failed', { attempt, error: String(error) });
    }
  }

  /** Settles MSAL's pending loopback wait, so it closes the port. */
  private async releaseListener(attempt: number, authorizeUrl: string): Promise<void> {
    const pending = readPendingLoopback(authorizeUrl);
    if (pending === null) {
      this.logger.warn('cannot release the sign-in listener: the authorize URL has no loopback redirect or state', { attempt });
      return;
    }
    try {
      const status = await releaseLoopback(pending, 'Sign-in was cancelled by Presence Tray.');
      this.logger.debug('released the sign-in listener', { attempt, loopbackPort: pending.port, status });
    } catch (error) {
      // The listener may already be gone because the sign-in finished at the same moment.
      this.logger.debug('releasing the sign-in listener failed', { attempt, loopbackPort: pending.port, error: String(error) });
    }
  }

  /**
   * Stops any sign-in in flight and returns the new attempt's ID. The newest call wins: a call
   * overtaken by a later one while it waited rejects as cancelled, so two sign-ins started in
   * the same tick never leave a loopback listener that `cancelSignIn` cannot reach.
   */
  private async takeSignInTurn(): Promise<number> {
    const id = this.nextAttemptId++;
    await this.stopSignInInFlight('a new sign-in started');

    if (id !== this.nextAttemptId - 1) {
      this.logger.info('sign-in replaced by a newer one before it started', { attempt: id });
      throw new AuthError('cancelled', 'Sign-in was cancelled because a newer sign-in started.');
    }
    return id;
  }

  /** Stops the sign-in in flight and waits, within a bound, until MSAL lets go of it. */
  private async stopSignInInFlight(reason: string): Promise<void> {
    for (let attempt = this.signIn; attempt !== null; attempt = this.signIn) {
      this.logger.info('cancelling the sign-in in flight', { attempt: attempt.id, reason });
      attempt.stop('cancelled', `Sign-in was cancelled because ${reason}.`);
      const ended = await settleWithin(attempt.settled, LOOPBACK_CLOSE_WAIT_MS, this.clock);

      if (this.signIn === attempt) {
        if (!ended) {
          this.logger.warn('MSAL did not end the cancelled sign-in in time; continuing without it', { attempt: attempt.id });
        }
        this.signIn = null;
      }
    }
  }
}
