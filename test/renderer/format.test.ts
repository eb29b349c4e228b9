import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { formatPair, formatRelative, formatSpan, presenceWord, readbackBadge, resultWords, triggerWords } from '../../renderer/format.ts';

const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);

describe('formatSpan', () => {
  const cases: Array<[number, string]> = [
    [0, '0 s'],
    [45_000, '45 s'],
    [200_000, '3 min 20 s'],
    [600_000, '10 min'],
    [630_000, '10 min'],
    [3_600_000, '1 h'],
    [3_900_000, '1 h 5 min'],
  ];
  for (const [ms, expected] of cases) {
    test(`${ms} ms`, () => {
      assert.equal(formatSpan(ms), expected);
    });
  }
});

describe('formatRelative', () => {
  test('future', () => {
    assert.equal(formatRelative(NOW + 90_000, NOW), 'in 1 min 30 s');
  });

  test('past', () => {
    assert.equal(formatRelative(NOW - 120_000, NOW), '2 min ago');
  });

  test('now', () => {
    assert.equal(formatRelative(NOW + 400, NOW), 'now');
  });
});

describe('presence words', () => {
  test('known activity', () => {
    assert.equal(presenceWord('InAConferenceCall'), 'In a conference call');
  });

  test('unknown activity split', () => {
    assert.equal(presenceWord('UrgentInterruptionsOnly'), 'Urgent interruptions only');
  });

  test('pair with same words', () => {
    assert.equal(formatPair({ availability: 'Available', activity: 'Available' }), 'Available');
  });

  test('pair with activity', () => {
    assert.equal(formatPair({ availability: 'Busy', activity: 'InACall' }), 'Busy (In a call)');
  });
});

describe('readbackBadge', () => {
  test('pending counts checks', () => {
    const badge = readbackBadge({ kind: 'pending', since: NOW - 45_000, attempts: 2 }, NOW);
    assert.equal(badge.text, 'Pending: Teams does not show it yet (2 checks over 45 s)');
  });

  test('overridden names shown pair', () => {
    const badge = readbackBadge({ kind: 'overridden', shown: { availability: 'DoNotDisturb', activity: 'DoNotDisturb' }, at: NOW }, NOW);
    assert.match(badge.text, /Teams shows Do not disturb/);
  });

  test('every badge has a symbol', () => {
    const kinds = [
      readbackBadge({ kind: 'unknown' }, NOW),
      readbackBadge({ kind: 'pending', since: NOW, attempts: 1 }, NOW),
      readbackBadge({ kind: 'confirmed', at: NOW }, NOW),
      readbackBadge({ kind: 'overridden', shown: { availability: 'Busy', activity: 'Busy' }, at: NOW }, NOW),
    ];
    assert.deepEqual(kinds.map((badge) => badge.symbol !== '' && badge.text !== ''), [true, true, true, true]);
  });
});

describe('clear words', () => {
  test('trigger', () => {
    assert.equal(triggerWords('journal-replay'), 'Retry of an earlier failed clear');
  });

  test('result', () => {
    assert.equal(resultWords('already-cleared'), 'Already clear');
  });
});
