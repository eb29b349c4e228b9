/**
 * The log of every request the sandbox received, for assertions and for the OpenAPI check.
 * Secrets never enter it: the bearer token, codes, verifiers and tokens in bodies are replaced
 * with "[redacted]" before an entry is stored.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { mediaType, parseForm } from './http-io.ts';
import type { SandboxAction } from './routes.ts';

export interface RequestLogEntry {
  /** Sequence number in this run, from 1. */
  id: number;
  /** Sandbox clock time when the request arrived, Unix ms. */
  at: number;
  method: string;
  /** URL path with the version prefix, without the query. */
  path: string;
  query: Record<string, string>;
  /** Header names in lower case; `authorization` is "Bearer [redacted]". */
  headers: Record<string, string>;
  /** Parsed JSON or form body with secrets redacted, the raw text when neither parses, or null. */
  body: unknown;
  /** Status sent, or null when a fault reset the connection or held it without a response. */
  status: number | null;
  action: SandboxAction;
  /** The sandbox's request ID (Graph `request-id`, Entra trace ID). */
  requestId: string;
  /** The kind of injected fault that handled the request, or null. */
  fault: 'response' | 'reset' | 'no-answer' | 'delay' | null;
}

const SECRET_FIELDS = new Set([
  'code',
  'code_verifier',
  'refresh_token',
  'device_code',
  'access_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
]);

const REDACTED = '[redacted]';

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) {
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization' || name === 'proxy-authorization') {
      const scheme = /^(\S+)\s/.exec(text)?.[1] ?? 'Bearer';
      clean[name] = `${scheme} ${REDACTED}`;
    } else if (name === 'cookie' || name === 'x-sandbox-secret' || /key|token|secret/.test(name)) {
      clean[name] = REDACTED;
    } else {
      clean[name] = text;
    }
  }
  return clean;
}

/** Parses a body for the log by its Content-Type and redacts secret fields. */
export function redactBody(bodyText: string, contentType: string | undefined): unknown {
  if (bodyText === '') {
    return null;
  }

  const type = mediaType(contentType);
  if (type === 'application/x-www-form-urlencoded') {
    return redactFields(parseForm(bodyText));
  }
  try {
    const value: unknown = JSON.parse(bodyText);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? redactFields(value as Record<string, unknown>) : value;
  } catch {
    return bodyText;
  }
}

export function redactQuery(query: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of query) {
    fields[name] = value;
  }
  return redactFields(fields) as Record<string, string>;
}

function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    clean[name] = SECRET_FIELDS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return clean;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextId = 1;

  add(entry: Omit<RequestLogEntry, 'id'>): RequestLogEntry {
    const stored = { ...entry, id: this.nextId++ };
    this.entries.push(stored);
    return stored;
  }

  /** Returns copies, so a test cannot change the log by editing what it read. */
  list(): RequestLogEntry[] {
    return structuredClone(this.entries);
  }

  clear(): void {
    this.entries = [];
  }
}
