/**
 * The control surface tests use to steer the sandbox: faults, the clock, the request log,
 * identity knobs and presence knobs. The HTTP control API under `/_sandbox/` calls the same
 * object, so a test in another process has the same operations.
 */

import type { SessionIdCheck, SandboxContext } from './call.ts';
import { isGuid, type SandboxUserProfile } from './directory.ts';
import { parseIsoDuration } from './durations.ts';
import { checkFaultRule, type FaultBook, type FaultRule } from './faults.ts';
import type { PresenceSnapshot, ReadbackDelay } from './graph/presence-book.ts';
import { describePairs, findPair, PREFERRED_PAIRS, type PresencePair } from './graph/presence-rules.ts';
import type { TokenErrorSpec } from './identity/entra-errors.ts';
import { SandboxControlError } from './identity/identity-state.ts';
import type { RequestLog, RequestLogEntry } from './request-log.ts';

export { SandboxControlError };

export interface PreferredPresenceInput extends PresencePair {
  /** ISO 8601 duration; omitted means Graph's default (1 day for Busy and DoNotDisturb, else 7 days). */
  expirationDuration?: string;
}

export interface SandboxControl {
  injectFaults(rule: FaultRule): void;
  clearFaults(): void;

  advanceClock(ms: number): void;
  /** The sandbox clock, Unix ms. */
  now(): number;

  requests(): RequestLogEntry[];
  clearRequests(): void;

  /** Lifetime of access tokens issued from now on (default 3600 s). */
  setAccessTokenLifetime(seconds: number): void;
  /** Makes the next refresh token grant fail with this error (queued when called again). */
  failNextRefresh(error: TokenErrorSpec): void;
  /** Changes who signs in next, such as a personal account with the consumer tenant ID. */
  setUser(user: Partial<SandboxUserProfile>): void;
  /** While true, every token grant fails with consent_required (AADSTS65001). */
  requireAdminConsent(required: boolean): void;
  /** Approves a pending device code (the newest when `userCode` is omitted); returns its user code. */
  approveDeviceCode(userCode?: string): string;
  /** Makes every refresh token issued so far fail with invalid_grant (AADSTS50173). */
  revokeRefreshTokens(): void;

  presenceOf(userId: string): PresenceSnapshot;
  /** Adds a Teams client session, which never expires or fades; returns its ID. */
  addTeamsSession(userId: string, pair: PresencePair): string;
  removeTeamsSession(userId: string, sessionId: string): void;
  /** Sets the preferred presence as the user would in Teams, or clears it with null. */
  setPreferredPresence(userId: string, preferred: PreferredPresenceInput | null): void;
  /** Makes reads show the state from before a write for `reads` reads and/or `ms` milliseconds. */
  setReadbackDelay(delay: ReadbackDelay): void;
  setSessionIdCheck(mode: SessionIdCheck): void;

  issuedSecrets(): string[];
}

const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export function createSandboxControl(context: SandboxContext, faults: FaultBook, log: RequestLog): SandboxControl {
  const { clock, identity, presence, ledger, settings } = context;

  return {
    injectFaults(rule) {
      checkFaultRule(rule);
      faults.add(rule);
    },
    clearFaults: () => faults.clear(),

    advanceClock(ms) {
      requireNumber('ms', ms, 0, Number.MAX_SAFE_INTEGER);
      clock.advance(ms);
    },
    now: () => clock.now(),

    requests: () => log.list(),
    clearRequests: () => log.clear(),

    setAccessTokenLifetime(seconds) {
      requireNumber('seconds', seconds, 1, MAX_TOKEN_LIFETIME_SECONDS);
      identity.accessTokenLifetimeSeconds = Math.floor(seconds);
    },
    failNextRefresh(error) {
      if (typeof error?.error !== 'string' || typeof error.error_description !== 'string') {
        throw new SandboxControlError('Invalid token error: pass {"error": "...", "error_description": "AADSTS...: ..."}.');
      }
      identity.refreshFailures.push({ ...error });
    },
    setUser(user) {
      identity.user = { ...identity.user, ...checkUser(user) };
    },
    requireAdminConsent(required) {
      if (typeof required !== 'boolean') {
        throw new SandboxControlError(`Invalid value ${JSON.stringify(required)} for required: pass true or false.`);
      }
      identity.adminConsentRequired = required;
    },
    approveDeviceCode(userCode) {
      if (userCode !== undefined && typeof userCode !== 'string') {
        throw new SandboxControlError('Invalid userCode: pass a string or omit it.');
      }
      return identity.approveDeviceCode(userCode);
    },
    revokeRefreshTokens: () => identity.revokeRefreshTokens(),

    presenceOf(userId) {
      return presence.snapshot(requireGuid('userId', userId));
    },
    addTeamsSession(userId, pair) {
      if (typeof pair?.availability !== 'string' || pair.availability === '' || typeof pair.activity !== 'string' || pair.activity === '') {
        throw new SandboxControlError('Invalid Teams session: pass {"availability": "...", "activity": "..."}.');
      }
      return presence.addTeamsSession(requireGuid('userId', userId), { availability: pair.availability, activity: pair.activity });
    },
    removeTeamsSession(userId, sessionId) {
      if (!presence.removeTeamsSession(requireGuid('userId', userId), sessionId)) {
        throw new SandboxControlError(`No Teams session '${sessionId}' exists for user ${userId}.`);
      }
    },
    setPreferredPresence(userId, preferred) {
      const id = requireGuid('userId', userId);
      if (preferred === null) {
        presence.clearPreferred(id);
        return;
      }
      const pair = findPair(PREFERRED_PAIRS, preferred);
      if (pair === null) {
        throw new SandboxControlError(
          `Invalid preferred presence ${String(preferred.availability)}/${String(preferred.activity)}. ` +
            `Use one of: ${describePairs(PREFERRED_PAIRS)}.`,
        );
      }
      let expirationMs: number | null = null;
      if (preferred.expirationDuration !== undefined) {
        expirationMs = parseIsoDuration(preferred.expirationDuration);
        if (expirationMs === null || expirationMs <= 0) {
          throw new SandboxControlError(`Invalid expirationDuration '${preferred.expirationDuration}': use a positive ISO 8601 duration such as PT1H.`);
        }
      }
      presence.setPreferred(id, pair, expirationMs);
    },
    setReadbackDelay(delay) {
      const reads = delay?.reads ?? 0;
      const ms = delay?.ms ?? 0;
      requireNumber('reads', reads, 0, 1000);
      requireNumber('ms', ms, 0, Number.MAX_SAFE_INTEGER);
      presence.setReadbackDelay({ reads: Math.floor(reads), ms });
    },
    setSessionIdCheck(mode) {
      if (mode !== 'app-id' && mode !== 'present' && mode !== 'off') {
        throw new SandboxControlError(`Invalid sessionId check '${String(mode)}': use app-id, present or off.`);
      }
      settings.sessionIdCheck = mode;
    },

    issuedSecrets: () => ledger.list(),
  };
}

function requireNumber(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new SandboxControlError(`Invalid ${name} ${JSON.stringify(value)}: pass a number from ${min} to ${max}.`);
  }
}

function requireGuid(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isGuid(value)) {
    throw new SandboxControlError(`Invalid ${name} ${JSON.stringify(value)}: pass a user object ID (GUID).`);
  }
  return value.toLowerCase();
}

function checkUser(user: unknown): Partial<SandboxUserProfile> {
  if (typeof user !== 'object' || user === null) {
    throw new SandboxControlError('Invalid user: pass an object with objectId, username, displayName or tenantId.');
  }
  const clean: Partial<SandboxUserProfile> = {};
  for (const [name, value] of Object.entries(user)) {
    if (!['objectId', 'username', 'displayName', 'tenantId'].includes(name)) {
      throw new SandboxControlError(`Unknown user field '${name}': use objectId, username, displayName or tenantId.`);
    }
    if (typeof value !== 'string' || value === '') {
      throw new SandboxControlError(`Invalid user field ${name}: pass a non-empty string.`);
    }
    if ((name === 'objectId' || name === 'tenantId') && !isGuid(value)) {
      throw new SandboxControlError(`Invalid user field ${name} '${value}': pass a GUID.`);
    }
    clean[name as keyof SandboxUserProfile] = name === 'objectId' || name === 'tenantId' ? value.toLowerCase() : value;
  }
  return clean;
}
