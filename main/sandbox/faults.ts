/**
 * Injected faults: a rule matches requests by method, path pattern and action, and each match
 * consumes the rule's next response. When the list runs out the rule is removed, so
 * `[{status: 503}, {status: 503}]` fails two requests and lets the third through.
 */

import type { TokenErrorSpec } from './identity/entra-errors.ts';
import type { SandboxAction } from './routes.ts';

export interface FaultResponse {
  /** Status to send; default 400 with `tokenError`, else 500 with `graphError`, else 500. */
  status?: number;
  /** Extra headers, such as `Retry-After`. */
  headers?: Record<string, string>;
  /** Raw body text; `graphError` and `tokenError` build a body instead. */
  body?: string;
  /** Rendered as Graph's error JSON with innerError IDs. */
  graphError?: { code: string; message: string };
  /** Rendered as Entra's token error JSON, with status 400 unless `status` overrides it. */
  tokenError?: TokenErrorSpec;
  /** Real-time wait before the fault, or before the normal response when nothing else is set. */
  delayMs?: number;
  /** Destroys the connection without a response. */
  reset?: true;
  /** Keeps the connection open without a response until the client gives up or the sandbox closes. */
  noAnswer?: true;
  /** Lets this request through normally. */
  passThrough?: true;
  /**
   * Handles the request normally first, so its effects happen, and then sends this fault in
   * place of the real response, as when a response is lost after the server acted.
   */
  afterHandling?: true;
}

export interface FaultRule {
  method?: string;
  /** Regular expression source matched against the URL path (no query). */
  pathPattern?: string;
  action?: SandboxAction;
  /** For token requests: only this `grant_type` (`authorization_code`, `refresh_token`, `device_code`). */
  grantType?: string;
  responses: FaultResponse[];
}

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp | null;
  remaining: FaultResponse[];
}

export interface FaultTarget {
  method: string;
  path: string;
  action: SandboxAction;
  grantType: string | null;
}

export class FaultBook {
  private rules: ActiveRule[] = [];

  /** Adds a rule after checking it; throws a TypeError naming the bad field. */
  add(rule: FaultRule): void {
    checkFaultRule(rule);
    this.rules.push({
      rule: structuredClone(rule),
      pattern: rule.pathPattern === undefined ? null : new RegExp(rule.pathPattern),
      remaining: structuredClone(rule.responses),
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Returns the next response of the first matching rule, consuming it, or null. */
  take(target: FaultTarget): FaultResponse | null {
    const index = this.rules.findIndex((active) => matches(active, target));
    const active = this.rules[index];
    if (active === undefined) {
      return null;
    }

    const response = active.remaining.shift() ?? null;
    if (active.remaining.length === 0) {
      this.rules.splice(index, 1);
    }
    return response;
  }
}

function matches(active: ActiveRule, target: FaultTarget): boolean {
  const { rule, pattern } = active;
  if (rule.method !== undefined && rule.method.toUpperCase() !== target.method) {
    return false;
  }
  if (rule.action !== undefined && rule.action !== target.action) {
    return false;
  }
  if (rule.grantType !== undefined && !grantTypeMatches(rule.grantType, target.grantType)) {
    return false;
  }
  return pattern === null || pattern.test(target.path);
}

/** `device_code` also matches the URN form of the device code grant. */
function grantTypeMatches(expected: string, actual: string | null): boolean {
  if (actual === null) {
    return false;
  }
  const normalize = (grant: string): string => (grant === 'urn:ietf:params:oauth:grant-type:device_code' ? 'device_code' : grant);
  return normalize(expected) === normalize(actual);
}

/** Returns true when the response only delays a request that is then handled normally. */
export function isDelayOnly(response: FaultResponse): boolean {
  return (
    response.status === undefined &&
    response.body === undefined &&
    response.graphError === undefined &&
    response.tokenError === undefined &&
    response.reset === undefined &&
    response.noAnswer === undefined
  );
}

/** Checks a rule that may come from JSON over the control API. */
export function checkFaultRule(rule: unknown): asserts rule is FaultRule {
  if (typeof rule !== 'object' || rule === null) {
    throw new TypeError('Invalid fault rule: expected an object with a "responses" array.');
  }
  const { method, pathPattern, action, grantType, responses } = rule as Record<string, unknown>;

  for (const [name, value] of Object.entries({ method, action, grantType, pathPattern })) {
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`Invalid fault rule: "${name}" must be a string.`);
    }
  }
  if (typeof pathPattern === 'string') {
    try {
      new RegExp(pathPattern);
    } catch (error) {
      throw new TypeError(`Invalid fault rule: pathPattern ${JSON.stringify(pathPattern)} is not a regular expression (${String(error)}).`);
    }
  }
  if (!Array.isArray(responses) || responses.length === 0) {
    throw new TypeError('Invalid fault rule: "responses" must be a non-empty array.');
  }
  responses.forEach((response: unknown, index) => checkFaultResponse(response, index));
}

function checkFaultResponse(response: unknown, index: number): void {
  const where = `responses[${index}]`;
  if (typeof response !== 'object' || response === null) {
    throw new TypeError(`Invalid fault rule: ${where} must be an object.`);
  }
  const fields = response as Record<string, unknown>;

  if (fields.status !== undefined && (!Number.isInteger(fields.status) || (fields.status as number) < 100 || (fields.status as number) > 599)) {
    throw new TypeError(`Invalid fault rule: ${where}.status must be an HTTP status from 100 to 599.`);
  }
  if (fields.delayMs !== undefined && (typeof fields.delayMs !== 'number' || fields.delayMs < 0 || !Number.isFinite(fields.delayMs))) {
    throw new TypeError(`Invalid fault rule: ${where}.delayMs must be a number of milliseconds >= 0.`);
  }
  if (fields.body !== undefined && typeof fields.body !== 'string') {
    throw new TypeError(`Invalid fault rule: ${where}.body must be a string.`);
  }
  if (fields.headers !== undefined) {
    const headers = fields.headers;
    if (typeof headers !== 'object' || headers === null || Object.values(headers).some((value) => typeof value !== 'string')) {
      throw new TypeError(`Invalid fault rule: ${where}.headers must map header names to strings.`);
    }
  }
  const graphError = fields.graphError as Record<string, unknown> | undefined;
  if (graphError !== undefined && (typeof graphError?.code !== 'string' || typeof graphError.message !== 'string')) {
    throw new TypeError(`Invalid fault rule: ${where}.graphError needs string "code" and "message".`);
  }
  const tokenError = fields.tokenError as Record<string, unknown> | undefined;
  if (tokenError !== undefined && (typeof tokenError?.error !== 'string' || typeof tokenError.error_description !== 'string')) {
    throw new TypeError(`Invalid fault rule: ${where}.tokenError needs string "error" and "error_description".`);
  }
  for (const flag of ['reset', 'noAnswer', 'passThrough', 'afterHandling']) {
    if (fields[flag] !== undefined && fields[flag] !== true) {
      throw new TypeError(`Invalid fault rule: ${where}.${flag} must be true when present.`);
    }
  }
}
