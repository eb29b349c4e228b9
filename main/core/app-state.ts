/**
 * The app's observable state: what the tray, the settings window and `status --json` show.
 * It contains no token, code or secret, so it may cross to the renderer as it is.
 */

import type { PresencePair } from './presence/pairs.ts';

export type AccountState =
  | { kind: 'signed-out'; reason?: 'never' | 'signed-out' | 'session-expired' }
  | { kind: 'signing-in'; method: 'browser' | 'device-code'; userCode?: string; verificationUri?: string }
  | {
      kind: 'signed-in';
      username: string;
      displayName: string;
      /** Entra object ID of the user, the `presenceId` in Graph URLs. */
      objectId: string;
      tenantId: string;
    }
  | { kind: 'admin-consent-needed'; tenantId: string; adminConsentUrl: string }
  | { kind: 'personal-account-unsupported'; username: string };

/** Whether Graph's readback agrees with what the app set. */
export type Readback =
  | { kind: 'unknown' }
  | { kind: 'pending'; since: number; attempts: number }
  | { kind: 'confirmed'; at: number }
  /** A preferred presence the user chose in Teams wins over the app's session. */
  | { kind: 'overridden'; shown: PresencePair; at: number };

export type SessionState =
  | { kind: 'none' }
  | {
      kind: 'active';
      pair: PresencePair;
      /** Wall-clock ms when the user's intent ends, or null for "until cleared". */
      intentUntil: number | null;
      /** Wall-clock ms when the last successful set expires at Microsoft. */
      expiresAt: number;
      /** Wall-clock ms of the next keep-alive set. */
      nextRefreshAt: number | null;
      readback: Readback;
    }
  | { kind: 'paused' }
  /** A clear failed and is journaled; it is replayed at the next chance. */
  | { kind: 'clear-pending'; since: number; lastError: string };

export type ClearTrigger =
  | 'tray'
  | 'shortcut'
  | 'command-line'
  | 'window'
  | 'quit'
  | 'suspend'
  | 'lock'
  | 'shutdown'
  | 'session-end'
  | 'journal-replay'
  | 'pause'
  | 'intent-ended';

export interface ClearRecord {
  at: number;
  trigger: ClearTrigger;
  result: 'cleared' | 'already-cleared' | 'failed' | 'journaled';
  requestId: string | null;
  error?: string;
}

export interface AppState {
  account: AccountState;
  session: SessionState;
  /** The user's aggregated presence as Graph reports it, or null before the first read. */
  shown: PresencePair | null;
  lastClear: ClearRecord | null;
  /** A problem the user should see (network down, throttled), or null. */
  problem: { kind: 'offline' | 'throttled' | 'error'; message: string } | null;
  sandbox: boolean;
}
