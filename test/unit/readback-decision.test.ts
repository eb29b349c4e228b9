import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Readback } from '../../main/core/app-state.ts';
import type { ReadbackInput } from '../../main/core/presence/readback.ts';
import { decideReadback, pairsMatch, READBACK_GAPS_MS } from '../../main/core/presence/readback.ts';

const BUSY = { availability: 'Busy', activity: 'InACall' };
const AVAILABLE = { availability: 'Available', activity: 'Available' };
const PREFERRED_DND = { availability: 'DoNotDisturb', activity: 'DoNotDisturb' };
const NOW = 1_000_000;
const PENDING: Readback = { kind: 'pending', since: 500, attempts: 1 };
const CONFIRMED: Readback = { kind: 'confirmed', at: 400 };

function input(overrides: Partial<ReadbackInput>): ReadbackInput {
  return { phase: 'after-set', expected: BUSY, shown: BUSY, attempt: 0, previous: { kind: 'unknown' }, now: NOW, ...overrides };
}

test('readback decision table', () => {
  const cases: { name: string; input: ReadbackInput; readback: Readback; next: number | null }[] = [
    { name: 'match first read', input: input({}), readback: { kind: 'confirmed', at: NOW }, next: null },
    {
      name: 'match ignores case',
      input: input({ shown: { availability: 'busy', activity: 'inACall' } }),
      readback: { kind: 'confirmed', at: NOW },
      next: null,
    },
    {
      name: 'old value first read',
      input: input({ shown: AVAILABLE }),
      readback: { kind: 'pending', since: NOW, attempts: 1 },
      next: 30_000,
    },
    {
      name: 'old value second read keeps since',
      input: input({ shown: AVAILABLE, attempt: 1, previous: PENDING }),
      readback: { kind: 'pending', since: 500, attempts: 2 },
      next: 120_000,
    },
    {
      name: 'old value third read',
      input: input({ shown: AVAILABLE, attempt: 2, previous: { kind: 'pending', since: 500, attempts: 2 } }),
      readback: { kind: 'pending', since: 500, attempts: 3 },
      next: 300_000,
    },
    {
      name: 'other pair after schedule',
      input: input({ shown: PREFERRED_DND, attempt: 3, previous: { kind: 'pending', since: 500, attempts: 3 } }),
      readback: { kind: 'overridden', shown: PREFERRED_DND, at: NOW },
      next: null,
    },
    {
      name: 'match on last read',
      input: input({ attempt: 3, previous: { kind: 'pending', since: 500, attempts: 3 } }),
      readback: { kind: 'confirmed', at: NOW },
      next: null,
    },
    {
      name: 'failed read keeps pending',
      input: input({ shown: null, attempt: 1, previous: PENDING }),
      readback: { kind: 'pending', since: 500, attempts: 2 },
      next: 120_000,
    },
    {
      name: 'failed last read unknown',
      input: input({ shown: null, attempt: 3, previous: PENDING }),
      readback: { kind: 'unknown' },
      next: null,
    },
    {
      name: 'keep-alive mismatch overridden',
      input: input({ phase: 'keep-alive', shown: PREFERRED_DND, previous: CONFIRMED }),
      readback: { kind: 'overridden', shown: PREFERRED_DND, at: NOW },
      next: null,
    },
    {
      name: 'keep-alive match confirmed',
      input: input({ phase: 'keep-alive', previous: { kind: 'overridden', shown: PREFERRED_DND, at: 1 } }),
      readback: { kind: 'confirmed', at: NOW },
      next: null,
    },
    {
      name: 'keep-alive failed read keeps previous',
      input: input({ phase: 'keep-alive', shown: null, previous: CONFIRMED }),
      readback: CONFIRMED,
      next: null,
    },
  ];

  for (const { name, input: caseInput, readback, next } of cases) {
    const decision = decideReadback(caseInput);
    assert.deepEqual(decision.readback, readback, name);
    assert.equal(decision.nextReadInMs, next, name);
  }
});

test('readback gaps grow', () => {
  assert.deepEqual(READBACK_GAPS_MS, [30_000, 120_000, 300_000]);
});

test('pairs compare without case', () => {
  assert.equal(pairsMatch({ availability: 'AVAILABLE', activity: 'available' }, AVAILABLE), true);
  assert.equal(pairsMatch({ availability: 'Busy', activity: 'InAMeeting' }, BUSY), false);
});
