/**
 * Words and times the window shows. Pure functions, so they are tested under Node.
 */

import type { ClearRecord, ClearTrigger, Readback } from '../main/core/app-state.ts';
import type { PresencePair } from '../main/core/presence/pairs.ts';

/** Formats a positive span as "1 h 5 min", "3 min 20 s" or "45 s". */
export function formatSpan(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) {
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  if (minutes > 0) {
    return seconds > 0 && minutes < 10 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  return `${seconds} s`;
}

/** Formats a wall-clock time relative to `nowMs`: "in 3 min 20 s", "2 min ago" or "now". */
export function formatRelative(atMs: number, nowMs: number): string {
  const delta = atMs - nowMs;
  if (Math.abs(delta) < 1000) {
    return 'now';
  }
  return delta > 0 ? `in ${formatSpan(delta)}` : `${formatSpan(-delta)} ago`;
}

/** Formats a wall-clock time as the local hour and minute, such as 14:05. */
export function formatClock(atMs: number): string {
  return new Date(atMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

const WORDS: Readonly<Record<string, string>> = {
  Available: 'Available',
  Busy: 'Busy',
  Away: 'Away',
  DoNotDisturb: 'Do not disturb',
  BeRightBack: 'Be right back',
  Offline: 'Offline',
  OffWork: 'Off work',
  InACall: 'In a call',
  InAConferenceCall: 'In a conference call',
  Presenting: 'Presenting',
  PresenceUnknown: 'Unknown',
};

/** Turns a Graph availability or activity name into words ("InACall" → "In a call"). */
export function presenceWord(name: string): string {
  const known = WORDS[name];
  if (known !== undefined) {
    return known;
  }
  const spaced = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Formats a pair as "Busy (In a call)", or "Available" when the activity repeats it. */
export function formatPair(pair: PresencePair): string {
  const availability = presenceWord(pair.availability);
  const activity = presenceWord(pair.activity);
  return availability === activity ? availability : `${availability} (${activity})`;
}

const TRIGGER_WORDS: Readonly<Record<ClearTrigger, string>> = {
  tray: 'Tray menu',
  shortcut: 'Global shortcut',
  'command-line': 'Command line',
  window: 'This window',
  quit: 'App quit',
  suspend: 'Sleep',
  lock: 'Screen lock',
  shutdown: 'Shutdown',
  'session-end': 'Sign-out of the computer',
  'journal-replay': 'Retry of an earlier failed clear',
  pause: 'Pause',
  'intent-ended': 'Requested time ended',
};

export function triggerWords(trigger: ClearTrigger): string {
  return TRIGGER_WORDS[trigger];
}

const RESULT_WORDS: Readonly<Record<ClearRecord['result'], string>> = {
  cleared: 'Cleared',
  'already-cleared': 'Already clear',
  failed: 'Failed',
  journaled: 'Failed; it is retried at the next chance',
};

export function resultWords(result: ClearRecord['result']): string {
  return RESULT_WORDS[result];
}

/** A status shown with a symbol and words, so it never depends on colour alone. */
export interface Badge {
  tone: 'ok' | 'wait' | 'warn' | 'bad' | 'none';
  symbol: string;
  text: string;
}

/** Describes whether Teams shows what the app set. */
export function readbackBadge(readback: Readback, nowMs: number): Badge {
  switch (readback.kind) {
    case 'unknown':
      return { tone: 'none', symbol: '?', text: 'Not checked yet' };
    case 'pending':
      return {
        tone: 'wait',
        symbol: '…',
        text: `Pending: Teams does not show it yet (${readback.attempts} ${readback.attempts === 1 ? 'check' : 'checks'} over ${formatSpan(nowMs - readback.since)})`,
      };
    case 'confirmed':
      return { tone: 'ok', symbol: '✓', text: `Confirmed ${formatRelative(readback.at, nowMs)}` };
    case 'overridden':
      return { tone: 'warn', symbol: '!', text: `Overridden by your Teams status: Teams shows ${formatPair(readback.shown)}` };
  }
}
