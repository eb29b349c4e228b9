/**
 * The words the tray uses for the app state: the first menu line, the lines under it, the
 * tooltip and the macOS title. Every state is shown in words, so nothing depends on the icon's
 * colour.
 */

import type { AccountState, AppState, Readback } from '../app-state.ts';
import type { PresencePair } from '../presence/pairs.ts';
import { sessionPairLabel, teamsLabel } from './presence-labels.ts';

/**
 * Max tooltip length: Windows keeps 128 UTF-16 units including the terminating null
 * (`NOTIFYICONDATAW.szTip`), and a JavaScript string length counts UTF-16 units.
 */
export const MAX_TOOLTIP_LENGTH = 127;

/** Max length of one status line in the menu; longer error texts are cut with an ellipsis. */
export const MAX_STATUS_LINE_LENGTH = 100;

export interface TrayStatus {
  /** First, disabled menu line: the current presence and what Teams shows. */
  headline: string;
  /** Further disabled lines: time left, sandbox, pending clear, problems. */
  details: string[];
  /** Tooltip text, at most `MAX_TOOLTIP_LENGTH` characters. */
  tooltip: string;
  /** Short text beside the icon on macOS, or undefined for none. */
  title: string | undefined;
}

/** Returns "42 min left", "1 h 5 min left" or "until cleared"; minutes are rounded up. */
export function formatTimeLeft(intentUntil: number | null, nowWallMs: number): string {
  if (intentUntil === null) {
    return 'until cleared';
  }

  const minutes = Math.ceil((intentUntil - nowWallMs) / 60_000);
  if (minutes <= 0) {
    return 'ending now';
  }
  if (minutes < 60) {
    return `${minutes} min left`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

/** Returns the compact macOS title form: "42m", "1h 5m", or undefined when nothing ends. */
function formatCompactTimeLeft(intentUntil: number | null, nowWallMs: number): string | undefined {
  if (intentUntil === null) {
    return undefined;
  }
  const minutes = Math.max(0, Math.ceil((intentUntil - nowWallMs) / 60_000));
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)}h` : `${Math.floor(minutes / 60)}h ${rest}m`;
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function teamsShows(shown: PresencePair | null): string {
  return shown === null ? 'Teams status not read yet' : `Teams shows: ${teamsLabel(shown)}`;
}

/** Describes the readback of an active session; `short` is for the tooltip. */
function describeReadback(readback: Readback, set: PresencePair, shown: PresencePair | null): { long: string; short: string | null } {
  switch (readback.kind) {
    case 'pending':
      return { long: `${teamsShows(shown)} · pending`, short: 'pending' };
    case 'overridden':
      return { long: `overridden by your Teams status: ${teamsLabel(readback.shown)}`, short: 'overridden in Teams' };
    case 'confirmed':
      return { long: `Teams shows: ${teamsLabel(shown ?? set)}`, short: null };
    case 'unknown':
      return { long: teamsShows(shown), short: null };
  }
}

const PROBLEM_PREFIX = { offline: 'Offline', throttled: 'Throttled by Microsoft Graph', error: 'Error' } as const;

/** Words for one part of the state; `summary` starts the tooltip and `notes` follow it. */
interface StatusParts {
  headline: string;
  summary: string;
  details: string[];
  notes: string[];
  title?: string;
}

/** Describes an account that cannot set presence yet. */
function describeAccount(account: Exclude<AccountState, { kind: 'signed-in' }>): StatusParts {
  switch (account.kind) {
    case 'signed-out':
      if (account.reason === 'session-expired') {
        return { headline: 'Sign in again: your session expired', summary: 'Sign in again', details: [], notes: [] };
      }
      return {
        headline: 'Signed out',
        summary: 'Signed out',
        details: ['Sign in with a work or school account to set your presence'],
        notes: [],
      };

    case 'signing-in': {
      let headline = 'Signing in: waiting for a sign-in code';
      if (account.method === 'browser') {
        headline = 'Signing in: finish in your browser';
      } else if (account.userCode !== undefined && account.verificationUri !== undefined) {
        headline = `Signing in: enter code ${account.userCode} at ${account.verificationUri}`;
      }
      return { headline, summary: 'Signing in', details: [], notes: [] };
    }

    case 'admin-consent-needed':
      return {
        headline: `Admin consent needed in tenant ${account.tenantId}`,
        summary: 'Admin consent needed',
        details: ['Ask an admin to approve this app, or choose another app registration in Settings'],
        notes: [],
      };

    case 'personal-account-unsupported':
      return {
        headline: `Personal account ${account.username} cannot set presence`,
        summary: 'Work or school account required',
        details: ['Sign out and sign in with a work or school account'],
        notes: [],
      };
  }
}

/** Describes the session of a signed-in user. */
function describeSession(state: AppState, nowWallMs: number): StatusParts {
  const session = state.session;
  switch (session.kind) {
    case 'none':
      return {
        headline: state.shown === null ? 'No presence set' : `No presence set — ${teamsShows(state.shown)}`,
        summary: 'No presence set',
        details: [],
        notes: [],
      };

    case 'paused':
      return {
        headline: state.shown === null ? 'Paused' : `Paused — ${teamsShows(state.shown)}`,
        summary: 'Paused',
        details: ['Set a presence to resume'],
        notes: [],
      };

    case 'clear-pending':
      return { headline: 'Clear pending: retried at the next chance', summary: 'Clear pending', details: [], notes: [] };

    case 'active': {
      const label = sessionPairLabel(session.pair);
      const readback = describeReadback(session.readback, session.pair, state.shown);
      const timeLeft = formatTimeLeft(session.intentUntil, nowWallMs);
      const notes: string[] = [];
      if (session.intentUntil !== null) {
        notes.push(timeLeft);
      }
      if (readback.short !== null) {
        notes.push(readback.short);
      }

      const parts: StatusParts = { headline: `${label} — ${readback.long}`, summary: label, details: [capitalize(timeLeft)], notes };
      const title = formatCompactTimeLeft(session.intentUntil, nowWallMs);
      if (title !== undefined) {
        parts.title = title;
      }
      return parts;
    }
  }
}

/** Describes the whole app state for the tray. */
export function describeStatus(state: AppState, nowWallMs: number): TrayStatus {
  const { account, session } = state;
  const parts = account.kind === 'signed-in' ? describeSession(state, nowWallMs) : describeAccount(account);
  const details: string[] = [];
  const notes = [...parts.notes];

  if (state.sandbox) {
    details.push('Sandbox: nothing is sent to Microsoft');
  }
  details.push(...parts.details);

  if (session.kind === 'clear-pending') {
    if (account.kind !== 'signed-in') {
      notes.push('clear pending');
      details.push('A clear is still pending: sign in to finish it');
      details.push('Microsoft ends the session by itself when it expires');
    }
    details.push(`Last clear error: ${session.lastError}`);
  }

  if (state.problem !== null) {
    details.push(`${PROBLEM_PREFIX[state.problem.kind]}: ${state.problem.message}`);
    notes.push(state.problem.kind);
  }

  const appName = state.sandbox ? 'Presence Tray (sandbox)' : 'Presence Tray';
  const tooltip = truncate(`${appName}: ${[parts.summary, ...notes].join(' · ')}`, MAX_TOOLTIP_LENGTH);

  let title = parts.title;
  if (state.sandbox) {
    title = title === undefined ? 'Sandbox' : `Sandbox · ${title}`;
  }

  return {
    headline: truncate(parts.headline, MAX_STATUS_LINE_LENGTH),
    details: details.map((line) => truncate(line, MAX_STATUS_LINE_LENGTH)),
    tooltip,
    title,
  };
}
