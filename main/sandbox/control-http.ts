/**
 * The control API over HTTP: `POST /_sandbox/<operation>` with a JSON object of named
 * arguments returns `{"result": ...}` or `{"error": "..."}`. Read-only operations also
 * accept GET with the arguments in the query. Every request must carry the run's secret in
 * `x-sandbox-secret`. Without it nothing runs and the response is 403.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { SessionIdCheck } from './call.ts';
import type { PreferredPresenceInput, SandboxControl } from './control.ts';
import type { SandboxUserProfile } from './directory.ts';
import type { FaultRule } from './faults.ts';
import type { PresenceSnapshot, ReadbackDelay } from './graph/presence-book.ts';
import type { PresencePair } from './graph/presence-rules.ts';
import { sendRequest } from './http-client.ts';
import { jsonResponse, type SandboxResponse } from './http-io.ts';
import type { TokenErrorSpec } from './identity/entra-errors.ts';
import { SandboxControlError } from './identity/identity-state.ts';
import type { RequestLogEntry } from './request-log.ts';
import { CONTROL_PREFIX } from './routes.ts';

export const CONTROL_SECRET_HEADER = 'x-sandbox-secret';

type Arguments = Record<string, unknown>;

interface Operation {
  readOnly: boolean;
  run(control: SandboxControl, args: Arguments): unknown;
}

/** Each HTTP operation calls the in-process method of the same name. */
const OPERATIONS: Record<string, Operation> = {
  injectFaults: { readOnly: false, run: (control, args) => control.injectFaults(args as unknown as FaultRule) },
  clearFaults: { readOnly: false, run: (control) => control.clearFaults() },
  advanceClock: { readOnly: false, run: (control, args) => control.advanceClock(args.ms as number) },
  now: { readOnly: true, run: (control) => control.now() },
  requests: { readOnly: true, run: (control) => control.requests() },
  clearRequests: { readOnly: false, run: (control) => control.clearRequests() },
  setAccessTokenLifetime: { readOnly: false, run: (control, args) => control.setAccessTokenLifetime(args.seconds as number) },
  failNextRefresh: { readOnly: false, run: (control, args) => control.failNextRefresh(args as unknown as TokenErrorSpec) },
  setUser: { readOnly: false, run: (control, args) => control.setUser(args as Partial<SandboxUserProfile>) },
  requireAdminConsent: { readOnly: false, run: (control, args) => control.requireAdminConsent(args.required as boolean) },
  approveDeviceCode: { readOnly: false, run: (control, args) => control.approveDeviceCode(args.userCode as string | undefined) },
  revokeRefreshTokens: { readOnly: false, run: (control) => control.revokeRefreshTokens() },
  presenceOf: { readOnly: true, run: (control, args) => control.presenceOf(args.userId as string) },
  addTeamsSession: {
    readOnly: false,
    run: (control, args) => control.addTeamsSession(args.userId as string, { availability: args.availability, activity: args.activity } as PresencePair),
  },
  removeTeamsSession: {
    readOnly: false,
    run: (control, args) => control.removeTeamsSession(args.userId as string, args.sessionId as string),
  },
  setPreferredPresence: {
    readOnly: false,
    run: (control, args) => control.setPreferredPresence(args.userId as string, (args.preferred ?? null) as PreferredPresenceInput | null),
  },
  setReadbackDelay: { readOnly: false, run: (control, args) => control.setReadbackDelay(args as ReadbackDelay) },
  setSessionIdCheck: { readOnly: false, run: (control, args) => control.setSessionIdCheck(args.mode as SessionIdCheck) },
  issuedSecrets: { readOnly: true, run: (control) => control.issuedSecrets() },
};

export interface ControlRequest {
  method: string;
  operation: string;
  query: URLSearchParams;
  secretHeader: string | undefined;
  bodyText: string;
}

export function handleControlRequest(control: SandboxControl, controlSecret: string, request: ControlRequest): SandboxResponse {
  const headers = { 'cache-control': 'no-store' };
  if (request.secretHeader === undefined || !secretsEqual(request.secretHeader, controlSecret)) {
    return jsonResponse(403, { error: `Missing or wrong ${CONTROL_SECRET_HEADER} header: use the controlSecret of this sandbox run.` }, headers);
  }

  const operation = OPERATIONS[request.operation];
  if (operation === undefined) {
    return jsonResponse(
      404,
      { error: `Unknown control operation '${request.operation}'. Use one of: ${Object.keys(OPERATIONS).join(', ')}.` },
      headers,
    );
  }

  let args: Arguments;
  if (request.method === 'GET' && operation.readOnly) {
    args = Object.fromEntries(request.query);
  } else if (request.method === 'POST') {
    const parsed = parseArguments(request.bodyText);
    if (parsed === null) {
      return jsonResponse(400, { error: `The body of ${request.operation} must be a JSON object of named arguments.` }, headers);
    }
    args = parsed;
  } else {
    const allowed = operation.readOnly ? 'GET, POST' : 'POST';
    return jsonResponse(405, { error: `Use ${allowed} for ${request.operation}.` }, { ...headers, allow: allowed });
  }

  try {
    const result = operation.run(control, args);
    return jsonResponse(200, { result: result ?? null }, headers);
  } catch (error) {
    if (error instanceof SandboxControlError || error instanceof TypeError || error instanceof RangeError) {
      return jsonResponse(400, { error: error.message }, headers);
    }
    throw error;
  }
}

function parseArguments(bodyText: string): Arguments | null {
  if (bodyText.trim() === '') {
    return {};
  }
  try {
    const value: unknown = JSON.parse(bodyText);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Arguments) : null;
  } catch {
    return null;
  }
}

/** Compares in constant time; hashing first makes the lengths equal. */
function secretsEqual(received: string, expected: string): boolean {
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The control operations from another process; each returns what the in-process method returns. */
export interface RemoteSandboxControl {
  injectFaults(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  now(): Promise<number>;
  requests(): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  setAccessTokenLifetime(seconds: number): Promise<void>;
  failNextRefresh(error: TokenErrorSpec): Promise<void>;
  setUser(user: Partial<SandboxUserProfile>): Promise<void>;
  requireAdminConsent(required: boolean): Promise<void>;
  approveDeviceCode(userCode?: string): Promise<string>;
  revokeRefreshTokens(): Promise<void>;
  presenceOf(userId: string): Promise<PresenceSnapshot>;
  addTeamsSession(userId: string, pair: PresencePair): Promise<string>;
  removeTeamsSession(userId: string, sessionId: string): Promise<void>;
  setPreferredPresence(userId: string, preferred: PreferredPresenceInput | null): Promise<void>;
  setReadbackDelay(delay: ReadbackDelay): Promise<void>;
  setSessionIdCheck(mode: SessionIdCheck): Promise<void>;
  issuedSecrets(): Promise<string[]>;
}

export interface SandboxConnection {
  origin: string;
  caPem: string;
  controlSecret: string;
}

/** Creates a client for the HTTP control API of a sandbox running in another process. */
export function connectSandboxControl(connection: SandboxConnection, timeoutMs = 5000): RemoteSandboxControl {
  const call = async <T>(operation: string, args: Arguments = {}): Promise<T> => {
    const response = await sendRequest(`${connection.origin}${CONTROL_PREFIX}${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CONTROL_SECRET_HEADER]: connection.controlSecret },
      body: JSON.stringify(args),
      ca: connection.caPem,
      timeoutMs,
    });
    let parsed: { result?: T; error?: string };
    try {
      parsed = JSON.parse(response.body) as { result?: T; error?: string };
    } catch {
      throw new SandboxControlError(`Sandbox control ${operation} returned ${response.status} with a body that is not JSON.`);
    }
    if (response.status !== 200) {
      throw new SandboxControlError(`Sandbox control ${operation} failed with ${response.status}: ${parsed.error ?? response.body}`);
    }
    return parsed.result as T;
  };

  return {
    injectFaults: (rule) => call('injectFaults', rule as unknown as Arguments),
    clearFaults: () => call('clearFaults'),
    advanceClock: (ms) => call('advanceClock', { ms }),
    now: () => call('now'),
    requests: () => call('requests'),
    clearRequests: () => call('clearRequests'),
    setAccessTokenLifetime: (seconds) => call('setAccessTokenLifetime', { seconds }),
    failNextRefresh: (error) => call('failNextRefresh', error as unknown as Arguments),
    setUser: (user) => call('setUser', user),
    requireAdminConsent: (required) => call('requireAdminConsent', { required }),
    approveDeviceCode: (userCode) => call('approveDeviceCode', userCode === undefined ? {} : { userCode }),
    revokeRefreshTokens: () => call('revokeRefreshTokens'),
    presenceOf: (userId) => call('presenceOf', { userId }),
    addTeamsSession: (userId, pair) => call('addTeamsSession', { userId, ...pair }),
    removeTeamsSession: (userId, sessionId) => call('removeTeamsSession', { userId, sessionId }),
    setPreferredPresence: (userId, preferred) => call('setPreferredPresence', { userId, preferred }),
    setReadbackDelay: (delay) => call('setReadbackDelay', delay as Arguments),
    setSessionIdCheck: (mode) => call('setSessionIdCheck', { mode }),
    issuedSecrets: () => call('issuedSecrets'),
  };
}
