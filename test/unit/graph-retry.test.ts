import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  type AttemptResult,
  backoffMs,
  BACKOFF_CAP_MS,
  decideRetry,
  parseRetryAfter,
  type RetryDecision,
} from '../../main/core/graph/retry.ts';

const WALL = Date.UTC(2026, 11, 4, 9, 0, 0);
const NOW = { monotonicMs: 1_000, wallMs: WALL };
const half = (): number => 0.5;

interface Row {
  name: string;
  result: AttemptResult;
  headers?: Record<string, string>;
  attempt?: number;
  deadlineMs: number;
  expected: RetryDecision;
}

const ROWS: Row[] = [
  { name: '200 is final', result: 200, deadlineMs: Infinity, expected: { kind: 'final' } },
  { name: '400 is final', result: 400, deadlineMs: Infinity, expected: { kind: 'final' } },
  { name: '401 is final here', result: 401, deadlineMs: Infinity, expected: { kind: 'final' } },
  { name: '404 is final', result: 404, deadlineMs: Infinity, expected: { kind: 'final' } },
  { name: '500 is final', result: 500, deadlineMs: Infinity, expected: { kind: 'final' } },
  {
    name: '429 Retry-After 41 within deadline',
    result: 429,
    headers: { 'retry-after': '41' },
    deadlineMs: 1_000 + 60_000,
    expected: { kind: 'retry', waitMs: 41_000, basis: 'retry-after', retryAfterMs: 41_000 },
  },
  {
    name: '429 Retry-After 600 past deadline',
    result: 429,
    headers: { 'retry-after': '600' },
    deadlineMs: 1_000 + 60_000,
    expected: { kind: 'deadline', waitMs: 600_000, basis: 'retry-after', retryAfterMs: 600_000 },
  },
  {
    name: '429 Retry-After 600 without deadline',
    result: 429,
    headers: { 'Retry-After': '600' },
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 600_000, basis: 'retry-after', retryAfterMs: 600_000 },
  },
  {
    name: '429 Retry-After as HTTP date',
    result: 429,
    headers: { 'retry-after': new Date(WALL + 30_000).toUTCString() },
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 30_000, basis: 'retry-after', retryAfterMs: 30_000 },
  },
  {
    name: '429 Retry-After date in the past',
    result: 429,
    headers: { 'retry-after': new Date(WALL - 5_000).toUTCString() },
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 0, basis: 'retry-after', retryAfterMs: 0 },
  },
  {
    name: '429 without Retry-After backs off',
    result: 429,
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 250, basis: 'backoff', retryAfterMs: null },
  },
  {
    name: '429 malformed Retry-After backs off',
    result: 429,
    headers: { 'retry-after': 'soon' },
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 250, basis: 'backoff', retryAfterMs: null },
  },
  {
    name: '503 backoff grows with attempt',
    result: 503,
    attempt: 3,
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 1_000, basis: 'backoff', retryAfterMs: null },
  },
  {
    name: '504 honours Retry-After',
    result: 504,
    headers: { 'retry-after': '2' },
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 2_000, basis: 'retry-after', retryAfterMs: 2_000 },
  },
  {
    name: 'network error backs off',
    result: 'network',
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 250, basis: 'backoff', retryAfterMs: null },
  },
  {
    name: 'timeout backs off',
    result: 'timeout',
    attempt: 2,
    deadlineMs: Infinity,
    expected: { kind: 'retry', waitMs: 500, basis: 'backoff', retryAfterMs: null },
  },
  {
    name: 'network error past deadline',
    result: 'network',
    deadlineMs: 1_000 + 200,
    expected: { kind: 'deadline', waitMs: 250, basis: 'backoff', retryAfterMs: null },
  },
  {
    name: 'wait ending at deadline gives up',
    result: 429,
    headers: { 'retry-after': '1' },
    deadlineMs: 1_000 + 1_000,
    expected: { kind: 'deadline', waitMs: 1_000, basis: 'retry-after', retryAfterMs: 1_000 },
  },
  {
    name: 'timeout with no time left',
    result: 'timeout',
    deadlineMs: 1_000,
    expected: { kind: 'deadline', waitMs: 250, basis: 'backoff', retryAfterMs: null },
  },
];

for (const row of ROWS) {
  test(`decideRetry ${row.name}`, () => {
    const decision = decideRetry(row.result, row.headers ?? {}, row.attempt ?? 1, NOW, row.deadlineMs, half);
    assert.deepEqual(decision, row.expected);
  });
}

test('Retry-After missing is null', () => {
  assert.equal(parseRetryAfter(undefined, WALL), null);
});

test('Retry-After zero is zero', () => {
  assert.equal(parseRetryAfter('0', WALL), 0);
});

test('Retry-After negative is null', () => {
  assert.equal(parseRetryAfter('-5', WALL), null);
});

test('Retry-After decimal is null', () => {
  assert.equal(parseRetryAfter('1.5', WALL), null);
});

test('backoff is capped', () => {
  assert.equal(backoffMs(40, () => 0.999_999), Math.floor(0.999_999 * BACKOFF_CAP_MS));
});

test('backoff with zero random is zero', () => {
  assert.equal(backoffMs(5, () => 0), 0);
});

test('backoff doubles per attempt', () => {
  const almostOne = (): number => 0.999_999;
  assert.equal(backoffMs(1, almostOne), 499);
  assert.equal(backoffMs(2, almostOne), 999);
  assert.equal(backoffMs(3, almostOne), 1_999);
});

test('Retry-After IMF-fixdate parsed', () => {
  assert.equal(parseRetryAfter('Fri, 04 Dec 2026 09:00:41 GMT', WALL), 41_000);
});

test('Retry-After RFC 850 date parsed', () => {
  assert.equal(parseRetryAfter('Friday, 04-Dec-26 09:00:41 GMT', WALL), 41_000);
});

test('Retry-After asctime date parsed as GMT', () => {
  assert.equal(parseRetryAfter('Fri Dec  4 09:00:41 2026', WALL), 41_000);
});
