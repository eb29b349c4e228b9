/** Summary statistics used by every benchmark table. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ratio, summarize } from './stats.ts';

describe('summarize', () => {
  it('odd count takes the middle', () => {
    assert.equal(summarize([5, 1, 3]).median, 3);
  });

  it('even count averages the middle', () => {
    assert.equal(summarize([4, 1, 3, 2]).median, 2.5);
  });

  it('p95 is the nearest rank', () => {
    const samples = Array.from({ length: 20 }, (_unused, index) => index + 1);
    assert.equal(summarize(samples).p95, 19);
  });

  it('p95 of one sample is it', () => {
    assert.equal(summarize([7]).p95, 7);
  });

  it('min, max and mean', () => {
    const summary = summarize([2, 8, 5]);
    assert.equal(summary.min, 2);
    assert.equal(summary.max, 8);
    assert.equal(summary.mean, 5);
  });

  it('rejects an empty list', () => {
    assert.throws(() => summarize([]), /Cannot summarize an empty sample list/);
  });
});

describe('ratio', () => {
  it('rounds to three decimals', () => {
    assert.equal(ratio(2, 3), 0.667);
  });
});
