import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LifecycleEvent, PowerDecision } from '../../main/core/lifecycle/power-policy.ts';
import { decide } from '../../main/core/lifecycle/power-policy.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';

const DEFAULTS = { clearOn: DEFAULT_SETTINGS.clearOn, budgetsMs: DEFAULT_SETTINGS.budgetsMs };
const ALL_OFF = { clearOn: { quit: false, suspend: false, lockScreen: false, shutdown: false }, budgetsMs: DEFAULT_SETTINGS.budgetsMs };

test('power policy defaults table', () => {
  const cases: [LifecycleEvent, PowerDecision][] = [
    ['quit', { action: 'clear', budgetMs: 3000 }],
    ['suspend', { action: 'clear', budgetMs: 1500 }],
    ['lock', { action: 'clear', budgetMs: 1500 }],
    ['shutdown', { action: 'clear', budgetMs: 2000 }],
    ['session-end', { action: 'clear', budgetMs: 2000 }],
    ['resume', { action: 'replay', budgetMs: 30_000 }],
    ['unlock', { action: 'replay', budgetMs: 30_000 }],
    ['network-up', { action: 'replay', budgetMs: 30_000 }],
    ['clock-jump', { action: 'replay', budgetMs: 30_000 }],
  ];
  for (const [event, expected] of cases) {
    assert.deepEqual(decide(event, DEFAULTS), expected, event);
  }
});

test('power policy disabled table', () => {
  const cases: [LifecycleEvent, PowerDecision['action']][] = [
    ['quit', 'none'],
    ['suspend', 'none'],
    ['lock', 'none'],
    ['shutdown', 'none'],
    ['session-end', 'none'],
    ['resume', 'replay'],
    ['unlock', 'replay'],
  ];
  for (const [event, action] of cases) {
    assert.equal(decide(event, ALL_OFF).action, action, event);
  }
});

test('power policy uses budgets', () => {
  const settings = { clearOn: DEFAULT_SETTINGS.clearOn, budgetsMs: { quit: 5000, suspend: 900, lockScreen: 700, shutdown: 1200 } };
  assert.equal(decide('quit', settings).budgetMs, 5000);
  assert.equal(decide('suspend', settings).budgetMs, 900);
  assert.equal(decide('lock', settings).budgetMs, 700);
  assert.equal(decide('session-end', settings).budgetMs, 1200);
});

test('unknown event throws', () => {
  assert.throws(() => decide('reboot' as LifecycleEvent, DEFAULTS), /Unknown lifecycle event "reboot"/);
});
