import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  assertSessionExpiration,
  formatIsoDuration,
  InvalidDurationError,
  parseIsoDuration,
} from '../../main/core/graph/duration.ts';

const PARSED: ReadonlyArray<[string, number]> = [
  ['PT1H', 3_600_000],
  ['PT30M', 1_800_000],
  ['PT1H30M', 5_400_000],
  ['PT4M30S', 270_000],
  ['PT90M', 5_400_000],
  ['PT0.5S', 500],
  ['pt5m', 300_000],
  [' PT10M ', 600_000],
  ['PT24H', 86_400_000],
];

for (const [text, ms] of PARSED) {
  test(`duration parses ${JSON.stringify(text)}`, () => {
    assert.equal(parseIsoDuration(text), ms);
  });
}

const REJECTED: ReadonlyArray<[string, RegExp]> = [
  ['P1D', /days are not accepted/],
  ['P1DT2H', /days are not accepted/],
  ['P1M', /months/],
  ['-PT5M', /negative/],
  ['PT', /not an ISO 8601 duration/],
  ['P', /not an ISO 8601 duration/],
  ['1h', /not an ISO 8601 duration/],
  ['PT1H1H', /not an ISO 8601 duration/],
  ['PT-5M', /not an ISO 8601 duration/],
  ['', /not an ISO 8601 duration/],
];

for (const [text, reason] of REJECTED) {
  test(`duration rejects ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseIsoDuration(text), InvalidDurationError);
    assert.throws(() => parseIsoDuration(text), reason);
  });
}

test('duration error names value and form', () => {
  assert.throws(() => parseIsoDuration('P2D'), /"P2D"/);
  assert.throws(() => parseIsoDuration('P2D'), /for example PT30M/);
});

const FORMATTED: ReadonlyArray<[number, string]> = [
  [0, 'PT0S'],
  [300_000, 'PT5M'],
  [5_400_000, 'PT1H30M'],
  [14_400_000, 'PT4H'],
  [3_601_000, 'PT1H1S'],
  [299_600, 'PT5M'],
  [1_499, 'PT1S'],
];

for (const [ms, text] of FORMATTED) {
  test(`duration formats ${ms} ms`, () => {
    assert.equal(formatIsoDuration(ms), text);
  });
}

test('duration format round-trips', () => {
  for (const ms of [300_000, 754_000, 14_400_000]) {
    assert.equal(parseIsoDuration(formatIsoDuration(ms)), ms);
  }
});

test('duration format rejects negative', () => {
  assert.throws(() => formatIsoDuration(-1), RangeError);
});

test('duration format rejects NaN', () => {
  assert.throws(() => formatIsoDuration(Number.NaN), RangeError);
});

test('session expiration accepts bounds', () => {
  assert.equal(assertSessionExpiration('PT5M'), 300_000);
  assert.equal(assertSessionExpiration('PT4H'), 14_400_000);
});

test('session expiration rejects PT4M59S', () => {
  assert.throws(() => assertSessionExpiration('PT4M59S'), /PT5M to PT4H/);
});

test('session expiration rejects PT4H1S', () => {
  assert.throws(() => assertSessionExpiration('PT4H1S'), /PT5M to PT4H/);
});
