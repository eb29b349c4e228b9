/**
 * State of the sandbox's identity side between requests: the signed-in user, issued
 * authorization codes, refresh tokens and device codes, consent, and the knobs tests turn.
 */

import { randomInt } from 'node:crypto';
import type { SandboxClock } from '../clock.ts';
import { SANDBOX_TENANT_ID, SANDBOX_USER, type SandboxUserProfile } from '../directory.ts';
import { randomOpaque } from '../http-io.ts';
import type { SecretLedger } from '../secret-ledger.ts';
import type { TokenErrorSpec } from './entra-errors.ts';

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Entra documents authorization codes as short lived, "typically about 10 minutes". */
export const AUTHORIZATION_CODE_LIFETIME_MS = 10 * MINUTE_MS;

/** Refresh tokens for public clients end after 90 days without use (Entra refresh token docs). */
export const REFRESH_TOKEN_INACTIVITY_DAYS = 90;

/** Entra's device codes last 15 minutes. */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;

/** Access token lifetime unless a test changes it; Entra picks 60 to 90 minutes. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

export interface AuthorizationCodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  nonce: string | null;
  user: SandboxUserProfile;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshTokenRecord {
  clientId: string;
  user: SandboxUserProfile;
  lastUsedAt: number;
  revoked: boolean;
}

export interface DeviceCodeRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  /** The user who approved the code, or null while authorization is pending. */
  approvedBy: SandboxUserProfile | null;
  redeemed: boolean;
}

/** Raised by a control operation that cannot apply, such as approving with no pending code. */
export class SandboxControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxControlError';
  }
}

export class IdentityState {
  user: SandboxUserProfile = { ...SANDBOX_USER, tenantId: SANDBOX_TENANT_ID };
  accessTokenLifetimeSeconds = DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS;
  adminConsentRequired = false;
  /** Errors the next refresh token grants return, oldest first. */
  readonly refreshFailures: TokenErrorSpec[] = [];

  private readonly codes = new Map<string, AuthorizationCodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly deviceCodes = new Map<string, DeviceCodeRecord>();
  /** Graph permissions each user consented to per app, keyed `oid|clientId`, in lower case. */
  private readonly consent = new Map<string, Set<string>>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly ledger: SecretLedger,
  ) {}

  issueAuthorizationCode(record: Omit<AuthorizationCodeRecord, 'expiresAt' | 'redeemed'>): string {
    const code = `1.${randomOpaque(96)}`;
    this.codes.set(code, { ...record, expiresAt: this.clock.now() + AUTHORIZATION_CODE_LIFETIME_MS, redeemed: false });
    this.ledger.add(code);
    return code;
  }

  findAuthorizationCode(code: string): AuthorizationCodeRecord | undefined {
    return this.codes.get(code);
  }

  issueRefreshToken(clientId: string, user: SandboxUserProfile): string {
    const token = `1.${randomOpaque(180)}`;
    this.refreshTokens.set(token, { clientId, user: { ...user }, lastUsedAt: this.clock.now(), revoked: false });
    this.ledger.add(token);
    return token;
  }

  findRefreshToken(token: string): RefreshTokenRecord | undefined {
    return this.refreshTokens.get(token);
  }

  /** Returns true when a refresh token has gone unused longer than Entra's inactivity limit. */
  isInactive(record: RefreshTokenRecord): boolean {
    return this.clock.now() - record.lastUsedAt > REFRESH_TOKEN_INACTIVITY_DAYS * DAY_MS;
  }

  revokeRefreshTokens(): void {
    for (const record of this.refreshTokens.values()) {
      record.revoked = true;
    }
  }

  issueDeviceCode(clientId: string, scopes: string[]): DeviceCodeRecord {
    const now = this.clock.now();
    const record: DeviceCodeRecord = {
      deviceCode: randomOpaque(96),
      userCode: newUserCode(),
      clientId,
      scopes,
      issuedAt: now,
      expiresAt: now + DEVICE_CODE_LIFETIME_SECONDS * 1000,
      approvedBy: null,
      redeemed: false,
    };
    this.deviceCodes.set(record.deviceCode, record);
    this.ledger.add(record.deviceCode);
    return record;
  }

  findDeviceCode(deviceCode: string): DeviceCodeRecord | undefined {
    return this.deviceCodes.get(deviceCode);
  }

  /**
   * Approves the pending device code with `userCode` (any case, dashes ignored), or the most
   * recent pending one, as the current user. Returns the approved user code.
   */
  approveDeviceCode(userCode?: string): string {
    const now = this.clock.now();
    const requestedCode = userCode === undefined ? null : normalizeUserCode(userCode);
    const pending = [...this.deviceCodes.values()]
      .filter((record) => record.approvedBy === null && !record.redeemed && now < record.expiresAt)
      .filter((record) => requestedCode === null || record.userCode === requestedCode)
      .sort((a, b) => b.issuedAt - a.issuedAt);

    const record = pending[0];
    if (record === undefined) {
      const subject = requestedCode === null ? 'No device code' : `No device code with user code ${requestedCode}`;
      throw new SandboxControlError(
        `${subject} is waiting for approval (unused and not expired). Start a device code sign-in first.`,
      );
    }
    record.approvedBy = { ...this.user };
    return record.userCode;
  }

  /** Records that the user consented to `permissions` for the app. */
  grantConsent(user: SandboxUserProfile, clientId: string, permissions: string[]): void {
    const key = `${user.objectId}|${clientId}`.toLowerCase();
    const granted = this.consent.get(key) ?? new Set<string>();
    for (const permission of permissions) {
      granted.add(permission.toLowerCase());
    }
    this.consent.set(key, granted);
  }

  /** Returns true when the user consented to every permission in `permissions` for the app. */
  hasConsent(user: SandboxUserProfile, clientId: string, permissions: string[]): boolean {
    const granted = this.consent.get(`${user.objectId}|${clientId}`.toLowerCase());
    return permissions.every((permission) => granted?.has(permission.toLowerCase()) === true);
  }
}

/** Entra's user codes are 9 letters and digits, upper case. */
function newUserCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 9; i += 1) {
    code += alphabet[randomInt(alphabet.length)];
  }
  return code;
}

function normalizeUserCode(text: string): string {
  return text.replaceAll('-', '').replaceAll(' ', '').toUpperCase();
}
