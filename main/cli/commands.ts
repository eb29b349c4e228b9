/**
 * Runs one parsed command against a `PresenceApp`: the one-shot process's own, or the tray
 * app's when the command came over the local command channel. Returns the exit code.
 */

import type { AccountState, ClearRecord, SessionState } from '../core/app-state.ts';
import type { PresenceApp } from '../core/app.ts';
import { AuthError } from '../core/auth/auth-errors.ts';
import { parseIsoDuration } from '../core/graph/duration.ts';
import { GraphError } from '../core/graph/errors.ts';
import { parseHeaderArgument } from '../core/graph/headers.ts';
import { assertGuid, presenceUrl } from '../core/graph/routes.ts';
import { DEFAULT_ACTIVITY, InvalidPresencePairError, assertSessionPair } from '../core/presence/pairs.ts';
import type { SettingsStore } from '../core/settings/store.ts';
import { EXIT, UsageError, type Command, type GlobalOptions } from './args.ts';
import type { CommandIo } from './headless.ts';

/** Budget of a command-line write: long enough for a few retries, short enough for a script. */
export const COMMAND_BUDGET_MS = 30_000;

export interface CommandContext {
  app: PresenceApp;
  settings: SettingsStore;
  io: CommandIo;
  options: GlobalOptions;
  /** Graph's origin, for `clear --what-if`. */
  graphBaseUrl: string;
}

type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Runs `command` and turns every failure into a message on stderr and an exit code. */
export async function runCommand(command: Command, context: CommandContext): Promise<ExitCode> {
  try {
    return await dispatch(command, context);
  } catch (error) {
    return reportFailure(error, context);
  }
}

async function dispatch(command: Command, context: CommandContext): Promise<ExitCode> {
  switch (command.name) {
    case 'sign-in':
      return signIn(command.deviceCode, context);
    case 'sign-out':
      await context.app.signOut();
      return finish(context, { signedOut: true }, 'Signed out. The next sign-in asks which account to use.');
    case 'status':
      return status(context);
    case 'set':
      return set(command, context);
    case 'clear':
      return clear(command, context);
    default:
      throw new UsageError(`The command "${command.name}" cannot run here.`);
  }
}

async function signIn(deviceCode: boolean, context: CommandContext): Promise<ExitCode> {
  await context.app.signIn(deviceCode ? 'device-code' : 'browser');
  const account = context.app.state().account;
  if (account.kind === 'personal-account-unsupported') {
    context.io.err(`Presence needs a work or school account; ${account.username} is a personal Microsoft account.\n`);
    return EXIT.signInRequired;
  }
  return finish(context, { account }, describeAccount(account));
}

async function status(context: CommandContext): Promise<ExitCode> {
  const { app } = context;
  const state = app.state();
  const session = await app.journaledSession();

  let shown: { availability: string | null; activity: string | null; requestId: string | null } | null = null;
  let readError: string | null = null;
  if (state.account.kind === 'signed-in') {
    try {
      const snapshot = await app.readPresence();
      shown = { availability: snapshot.availability, activity: snapshot.activity, requestId: snapshot.requestId };
    } catch (error) {
      readError = error instanceof Error ? error.message : String(error);
    }
  }
  // A rejected refresh token during the read signs the account out.
  const account = app.state().account;

  const report = {
    account,
    session,
    shown,
    lastClear: state.lastClear,
    problem: readError === null ? state.problem : { kind: 'error', message: readError },
    tokenCache: app.tokenCacheMode(),
    sandbox: state.sandbox,
  };
  const lines = [
    describeAccount(account),
    `Session: ${describeSession(session)}`,
    `Teams shows: ${shown === null ? (readError ?? 'unknown (not signed in)') : `${shown.availability ?? 'unknown'} (${shown.activity ?? 'unknown'})`}`,
    `Token cache: ${describeCacheMode(app.tokenCacheMode())}`,
  ];
  if (state.sandbox) {
    lines.push('Using the local sandbox, not Microsoft.');
  }
  finish(context, report, lines.join('\n'));
  if (account.kind !== 'signed-in') {
    return EXIT.signInRequired;
  }
  return readError === null ? EXIT.ok : EXIT.failure;
}

async function set(command: Extract<Command, { name: 'set' }>, context: CommandContext): Promise<ExitCode> {
  const activity = command.activity ?? DEFAULT_ACTIVITY[command.availability];
  try {
    assertSessionPair({ availability: command.availability, activity });
  } catch (error) {
    if (error instanceof InvalidPresencePairError) {
      throw new UsageError(error.message);
    }
    throw error;
  }

  let durationMs: number | null = null;
  if (command.duration !== null) {
    durationMs = parseDuration(command.duration);
  }

  await context.app.setPresence({ availability: command.availability, activity, durationMs });
  const session = context.app.state().session;
  const expiresAt = session.kind === 'active' ? session.expiresAt : null;
  const until = durationMs === null ? 'until cleared' : `until ${new Date(Date.now() + durationMs).toISOString()}`;
  const text =
    `Presence set to ${command.availability} (${activity}) ${until}.` +
    (expiresAt === null ? '' : `\nMicrosoft ends this session at ${new Date(expiresAt).toISOString()} unless the tray app keeps it alive.`);
  return finish(context, { set: { availability: command.availability, activity, durationMs }, session }, text);
}

function parseDuration(text: string): number {
  let ms: number;
  try {
    ms = parseIsoDuration(text);
  } catch (error) {
    // The parser's message already names the value and the accepted form.
    throw new UsageError(`--for: ${(error as Error).message}`);
  }
  if (ms <= 0) {
    throw new UsageError(`Invalid --for "${text}": give a duration above zero, such as PT30M or PT1H.`);
  }
  return ms;
}

async function clear(command: Extract<Command, { name: 'clear' }>, context: CommandContext): Promise<ExitCode> {
  const extraHeaders: Record<string, string> = {};
  for (const text of command.headers) {
    try {
      const header = parseHeaderArgument(text);
      extraHeaders[header.name] = header.value;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }

  const overrides = command.presenceId !== null || command.sessionId !== null || command.headers.length > 0;
  if (command.whatIf) {
    return clearWhatIf(command, extraHeaders, context);
  }
  if (overrides) {
    return clearDirect(command, extraHeaders, context);
  }

  const record = await context.app.clearPresence('command-line', COMMAND_BUDGET_MS);
  return reportClear(record, context);
}

/** Prints the request `clear` would send, without sending it or reading a token. */
function clearWhatIf(command: Extract<Command, { name: 'clear' }>, extraHeaders: Record<string, string>, context: CommandContext): ExitCode {
  const target = clearTarget(command, context);
  const version = context.settings.get().presence.graphApiVersion;
  const url = presenceUrl(new URL(context.graphBaseUrl), version, target.presenceId, 'clearPresence');
  const request = {
    whatIf: true,
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', authorization: 'Bearer <access token>', ...extraHeaders },
    body: { sessionId: target.sessionId },
  };
  return finish(
    context,
    request,
    `What if: POST ${url}\nBody: ${JSON.stringify(request.body)}\nNothing was sent.`,
  );
}

/** Sends one clearPresence with the given ids and headers, like the PowerShell cmdlet. */
async function clearDirect(command: Extract<Command, { name: 'clear' }>, extraHeaders: Record<string, string>, context: CommandContext): Promise<ExitCode> {
  const target = clearTarget(command, context);
  const record = await context.app.clearSessionDirect(target, extraHeaders, COMMAND_BUDGET_MS);
  return reportClear(record, context, target);
}

function clearTarget(command: Extract<Command, { name: 'clear' }>, context: CommandContext): { presenceId: string; sessionId: string } {
  const identity = context.app.sessionIdentity();
  const presenceId = command.presenceId ?? identity?.presenceId;
  const sessionId = command.sessionId ?? identity?.sessionId;
  try {
    if (command.presenceId !== null) {
      assertGuid(command.presenceId, '--presence-id', "Give the user's Entra object ID.");
    }
    if (command.sessionId !== null) {
      assertGuid(command.sessionId, '--session-id', "Give the app's application (client) ID.");
    }
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (presenceId === undefined || sessionId === undefined) {
    throw new AuthError('signed-out', 'Not signed in: run "presence-tray sign-in", or give both --presence-id and --session-id.');
  }
  return { presenceId, sessionId };
}

function reportClear(record: ClearRecord, context: CommandContext, target?: { presenceId: string; sessionId: string }): ExitCode {
  const texts: Record<ClearRecord['result'], string> = {
    cleared: 'Presence session cleared.',
    'already-cleared': 'Already cleared: no presence session of this app was active.',
    failed: `Clear failed: ${record.error ?? 'unknown error'}`,
    journaled: `Clear not finished: ${record.error ?? 'the request did not complete'} It is sent again at the next start.`,
  };
  const requestLine = record.requestId === null ? '' : `\nrequest-id: ${record.requestId}`;
  const json = { result: record.result, requestId: record.requestId, trigger: record.trigger, at: new Date(record.at).toISOString(), error: record.error ?? null, ...target };

  if (record.result === 'cleared' || record.result === 'already-cleared') {
    return finish(context, json, `${texts[record.result]}${requestLine}`);
  }

  writeResult(context, json, `${texts[record.result]}${requestLine}`, true);
  const problem = context.app.state().problem;
  if (problem?.kind === 'throttled') {
    return EXIT.throttled;
  }
  if (context.app.state().account.kind === 'signed-out') {
    return EXIT.signInRequired;
  }
  return EXIT.failure;
}

function finish(context: CommandContext, json: unknown, text: string): ExitCode {
  writeResult(context, json, text, false);
  return EXIT.ok;
}

function writeResult(context: CommandContext, json: unknown, text: string, failed: boolean): void {
  if (context.options.json) {
    context.io.out(`${JSON.stringify(json)}\n`);
  } else if (failed) {
    context.io.err(`${text}\n`);
  } else {
    context.io.out(`${text}\n`);
  }
}

function reportFailure(error: unknown, context: CommandContext): ExitCode {
  const message = error instanceof Error ? error.message : String(error);
  let code: ExitCode = EXIT.failure;
  if (error instanceof UsageError) {
    code = EXIT.usage;
  } else if (error instanceof AuthError && (error.kind === 'signed-out' || error.kind === 'interaction-required' || error.kind === 'personal-account')) {
    code = EXIT.signInRequired;
  } else if (error instanceof GraphError && (error.kind === 'throttled' || (error.kind === 'server' && error.retryAfterMs !== undefined))) {
    code = EXIT.throttled;
  }

  const consentUrl = error instanceof AuthError && error.kind === 'admin-consent-needed' ? (error.adminConsentUrl ?? null) : null;
  if (context.options.json) {
    const details = error instanceof GraphError ? { requestId: error.requestId, clientRequestId: error.clientRequestId, status: error.status } : {};
    context.io.out(`${JSON.stringify({ error: message, exitCode: code, ...details, ...(consentUrl === null ? {} : { adminConsentUrl: consentUrl }) })}\n`);
  }
  context.io.err(`${message}\n`);
  if (consentUrl !== null && !message.includes(consentUrl)) {
    context.io.err(`An administrator can approve the app here: ${consentUrl}\n`);
  }
  return code;
}

function describeAccount(account: AccountState): string {
  switch (account.kind) {
    case 'signed-in':
      return `Signed in as ${account.username} (${account.displayName}), tenant ${account.tenantId}.`;
    case 'signing-in':
      return 'Signing in…';
    case 'admin-consent-needed':
      return `Admin consent needed in tenant ${account.tenantId}: ask an admin to open ${account.adminConsentUrl}`;
    case 'personal-account-unsupported':
      return `Presence needs a work or school account; ${account.username} is a personal Microsoft account.`;
    case 'signed-out':
      return 'Not signed in: run "presence-tray sign-in".';
  }
}

function describeSession(session: SessionState): string {
  switch (session.kind) {
    case 'none':
      return 'none';
    case 'paused':
      return 'paused';
    case 'clear-pending':
      return `clear pending since ${new Date(session.since).toISOString()} (${session.lastError})`;
    case 'active': {
      const until = session.intentUntil === null ? 'until cleared' : `until ${new Date(session.intentUntil).toISOString()}`;
      return `${session.pair.availability} (${session.pair.activity}) ${until}; Microsoft ends it by ${new Date(session.expiresAt).toISOString()} unless refreshed`;
    }
  }
}

function describeCacheMode(mode: ReturnType<PresenceApp['tokenCacheMode']>): string {
  switch (mode) {
    case 'encrypted-file':
      return 'encrypted by the OS secret store';
    case 'plaintext-file':
      return 'unencrypted file readable only by you';
    case 'memory':
      return 'memory only (secure storage unavailable: sign in each time)';
  }
}
