import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFailure, isRetryable } from '../../main/core/presence/failure.ts';
import { computeExpirationMs, KEEP_ALIVE_INTERVAL_MS, nextRefreshDelayMs } from '../../main/core/presence/keep-alive.ts';

const MINUTE = 60_000;

test('expiration table', () => {
  const cases: { selfExpiry: number; intentLeft: number | null; expected: number; why: string }[] = [
    { selfExpiry: 10 * MINUTE, intentLeft: null, expected: 10 * MINUTE, why: 'until cleared uses the bound' },
    { selfExpiry: 10 * MINUTE, intentLeft: 60 * MINUTE, expected: 10 * MINUTE, why: 'long intent uses the bound' },
    { selfExpiry: 10 * MINUTE, intentLeft: 8 * MINUTE, expected: 8 * MINUTE, why: 'short intent shortens it' },
    { selfExpiry: 10 * MINUTE, intentLeft: 4 * MINUTE, expected: 5 * MINUTE, why: 'never below PT5M' },
    { selfExpiry: 10 * MINUTE, intentLeft: 7.5 * MINUTE + 400, expected: 7.5 * MINUTE, why: 'whole seconds' },
    { selfExpiry: 1 * MINUTE, intentLeft: null, expected: 5 * MINUTE, why: 'bound clamped up to PT5M' },
    { selfExpiry: 600 * MINUTE, intentLeft: null, expected: 240 * MINUTE, why: 'bound clamped down to PT4H' },
    { selfExpiry: Number.NaN, intentLeft: null, expected: 10 * MINUTE, why: 'invalid bound uses the default' },
  ];
  for (const { selfExpiry, intentLeft, expected, why } of cases) {
    assert.equal(computeExpirationMs(selfExpiry, intentLeft), expected, why);
  }
});

test('refresh delay table', () => {
  const cases: { failures: number; retryAfter: number | null; expected: number }[] = [
    { failures: 0, retryAfter: null, expected: KEEP_ALIVE_INTERVAL_MS },
    { failures: 1, retryAfter: null, expected: 30_000 },
    { failures: 2, retryAfter: null, expected: 60_000 },
    { failures: 3, retryAfter: null, expected: 120_000 },
    { failures: 4, retryAfter: null, expected: KEEP_ALIVE_INTERVAL_MS },
    { failures: 50, retryAfter: null, expected: KEEP_ALIVE_INTERVAL_MS },
    { failures: 1, retryAfter: 41_000, expected: 41_000 },
    { failures: 1, retryAfter: 10_000, expected: 30_000 },
    { failures: 1, retryAfter: 600_000, expected: 600_000 },
  ];
  for (const { failures, retryAfter, expected } of cases) {
    assert.equal(nextRefreshDelayMs(failures, retryAfter), expected, `failures=${failures} retryAfter=${retryAfter}`);
  }
});

test('refresh delay never below interval gap', () => {
  for (let failures = 0; failures < 20; failures += 1) {
    assert.ok(nextRefreshDelayMs(failures) >= 30_000, `failures=${failures}`);
    assert.ok(nextRefreshDelayMs(failures) <= KEEP_ALIVE_INTERVAL_MS, `failures=${failures}`);
  }
});

test('failure classification table', () => {
  const cases: { error: unknown; category: string }[] = [
    { error: { kind: 'unauthorized', message: 'm' }, category: 'sign-in-required' },
    { error: { kind: 'signed-out', message: 'm' }, category: 'sign-in-required' },
    { error: { kind: 'interaction-required', message: 'm' }, category: 'sign-in-required' },
    { error: { kind: 'forbidden', message: 'm' }, category: 'not-allowed' },
    { error: { kind: 'admin-consent-needed', message: 'm' }, category: 'not-allowed' },
    { error: { kind: 'personal-account', message: 'm' }, category: 'not-allowed' },
    { error: { kind: 'bad-request', message: 'm' }, category: 'rejected' },
    { error: { kind: 'throttled', message: 'm', retryAfterMs: 41_000 }, category: 'throttled' },
    { error: { kind: 'network', message: 'm' }, category: 'unreachable' },
    { error: { kind: 'timeout', message: 'm' }, category: 'unreachable' },
    { error: { kind: 'server', message: 'm' }, category: 'unreachable' },
    { error: { kind: 'transient', message: 'm' }, category: 'unreachable' },
    { error: { kind: 'aborted', message: 'm' }, category: 'aborted' },
    { error: Object.assign(new Error('stop'), { name: 'AbortError' }), category: 'aborted' },
    { error: new Error('bug'), category: 'unexpected' },
    { error: { kind: 'toString', message: 'm' }, category: 'unexpected' },
    { error: 'plain text', category: 'unexpected' },
    { error: null, category: 'unexpected' },
  ];
  for (const { error, category } of cases) {
    assert.equal(classifyFailure(error).category, category, JSON.stringify(error));
  }
});

test('failure keeps retry-after and request id', () => {
  const failure = classifyFailure({ kind: 'throttled', message: 'm', retryAfterMs: 41_000, requestId: 'r-1' });
  assert.equal(failure.retryAfterMs, 41_000);
  assert.equal(failure.requestId, 'r-1');
});

test('failure message drops tokens', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ';
  const failure = classifyFailure({ kind: 'unauthorized', message: `token ${jwt} rejected` });
  assert.ok(!failure.message.includes(jwt), failure.message);
});

test('retryable categories', () => {
  assert.equal(isRetryable('throttled'), true);
  assert.equal(isRetryable('unreachable'), true);
  assert.equal(isRetryable('unexpected'), true);
  assert.equal(isRetryable('sign-in-required'), false);
  assert.equal(isRetryable('not-allowed'), false);
  assert.equal(isRetryable('rejected'), false);
});
