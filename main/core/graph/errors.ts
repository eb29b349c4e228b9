/**
 * `GraphError`, the one error the presence client throws for a failed call, and the parser
 * for Graph's error JSON. Graph documents `{"error":{"code","message","innerError":{...}}}`,
 * but the body comes from the network, so every field is checked before use.
 */

import { redactSecrets } from '../log.ts';

export type GraphErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'throttled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'aborted';

/** Reason for a 401 or 403 from Graph, as far as the client can tell. */
export type DeniedReason = 'account-mismatch' | 'personal-account' | 'missing-permission' | 'token-rejected';

/** The parts of a Graph error body the client uses; null where the body lacks them. */
export interface GraphErrorBody {
  code: string | null;
  message: string | null;
  /** The most specific `code` found in nested `innerError` objects. */
  innerCode: string | null;
  /** `innerError["request-id"]`, used when the response lacks the header. */
  requestId: string | null;
}

/** Longest Graph error message copied into ours; Graph's text is for operators, not users. */
const MAX_GRAPH_MESSAGE_LENGTH = 300;

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Returns the value of `name` in `record`, matching the key without regard to case. */
function field(record: Record<string, unknown>, name: string): unknown {
  const lowerName = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === lowerName) {
      return value;
    }
  }
  return undefined;
}

/** Parses a Graph error body; returns all nulls for anything that is not that shape. */
export function parseGraphErrorBody(text: string): GraphErrorBody {
  const empty: GraphErrorBody = { code: null, message: null, innerCode: null, requestId: null };

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return empty;
  }
  const error = asRecord(asRecord(parsed)?.['error']);
  if (error === null) {
    return empty;
  }

  const body: GraphErrorBody = {
    code: asString(error['code']),
    message: asString(error['message']),
    innerCode: null,
    requestId: null,
  };

  // Inner errors nest; the depth limit guards against a hostile or broken body.
  let inner = asRecord(field(error, 'innerError'));
  for (let depth = 0; inner !== null && depth < 8; depth += 1) {
    body.innerCode = asString(inner['code']) ?? body.innerCode;
    body.requestId = body.requestId ?? asString(field(inner, 'request-id'));
    inner = asRecord(field(inner, 'innerError'));
  }
  return body;
}

/** Shortens and redacts Graph's message before it goes into ours. */
export function cleanGraphMessage(message: string | null): string | null {
  if (message === null) {
    return null;
  }
  const oneLine = redactSecrets(message.replace(/\s+/g, ' ').trim());
  return oneLine.length > MAX_GRAPH_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_GRAPH_MESSAGE_LENGTH)}…` : oneLine;
}

export interface GraphErrorDetails {
  kind: GraphErrorKind;
  /** The action ("clearPresence") or "getPresence". */
  action: string;
  presenceId: string;
  /** HTTP status of the last response, or null when none arrived. */
  status: number | null;
  /** Graph's `error.code`. */
  code: string | null;
  requestId: string | null;
  clientRequestId: string;
  attempts: number;
  retryAfterMs?: number;
  deniedReason?: DeniedReason;
}

/** A failed Graph call: what failed, on which presence, with the ids support needs. */
export class GraphError extends Error {
  readonly kind: GraphErrorKind;
  readonly action: string;
  readonly presenceId: string;
  readonly status: number | null;
  readonly code: string | null;
  readonly requestId: string | null;
  readonly clientRequestId: string;
  readonly attempts: number;
  /** How long Graph asked to wait, when it sent `Retry-After`. */
  readonly retryAfterMs?: number;
  /** Set for 401 and 403. */
  readonly deniedReason?: DeniedReason;

  constructor(details: GraphErrorDetails, message: string, options?: { cause?: unknown }) {
    const ids = [`client-request-id ${details.clientRequestId}`];
    if (details.requestId !== null) {
      ids.unshift(`request-id ${details.requestId}`);
    }
    super(`${message} (${ids.join(', ')})`, options);
    this.name = 'GraphError';
    this.kind = details.kind;
    this.action = details.action;
    this.presenceId = details.presenceId;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.attempts = details.attempts;
    if (details.retryAfterMs !== undefined) {
      this.retryAfterMs = details.retryAfterMs;
    }
    if (details.deniedReason !== undefined) {
      this.deniedReason = details.deniedReason;
    }
  }
}

/** Maps an HTTP status that ends a call to the error kind. */
export function kindForStatus(status: number): GraphErrorKind {
  if (status === 401) {
    return 'unauthorized';
  }
  if (status === 403) {
    return 'forbidden';
  }
  if (status === 404) {
    return 'not-found';
  }
  if (status === 429) {
    return 'throttled';
  }
  if (status >= 500) {
    return 'server';
  }
  return 'bad-request';
}
