import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SESSION_PAIRS } from '../../main/core/presence/pairs.ts';
import { parseTrayAction, SET_DURATIONS, setActionId, type TrayAction } from '../../main/core/tray/tray-actions.ts';

describe('tray action parser', () => {
  const simple: [string, TrayAction][] = [
    ['clear', { kind: 'clear' }],
    ['pause', { kind: 'pause' }],
    ['sign-in', { kind: 'sign-in', method: 'browser' }],
    ['sign-in-device-code', { kind: 'sign-in', method: 'device-code' }],
    ['cancel-sign-in', { kind: 'cancel-sign-in' }],
    ['sign-out', { kind: 'sign-out' }],
    ['open-admin-consent', { kind: 'open-admin-consent' }],
    ['settings', { kind: 'open-settings' }],
    ['toggle-start-at-login', { kind: 'toggle-start-at-login' }],
    ['quit', { kind: 'quit' }],
  ];
  for (const [id, expected] of simple) {
    it(`parses ${id}`, () => {
      assert.deepEqual(parseTrayAction(id), expected);
    });
  }

  it('set ids round-trip', () => {
    for (const pair of SESSION_PAIRS) {
      for (const duration of SET_DURATIONS) {
        const action = parseTrayAction(setActionId(pair, duration.code));
        assert.deepEqual(
          action,
          { kind: 'set', request: { availability: pair.availability, activity: pair.activity, durationMs: duration.ms } },
          setActionId(pair, duration.code),
        );
      }
    }
  });

  it('until cleared has no duration', () => {
    const action = parseTrayAction('set:Away/Away:until-cleared');
    assert.equal(action?.kind === 'set' ? action.request.durationMs : 'not a set', null);
  });

  const rejected = [
    'set:Busy/Busy:PT1H',
    'set:Offline/OffWork:PT1H',
    'set:busy/inacall:PT1H',
    'set:Busy/InACall:PT3H',
    'set:Busy/InACall',
    'set:Busy:PT1H',
    'status',
    'set-presence',
    'separator-quit',
    '',
    'Clear',
    '__proto__',
    'toString',
  ];
  for (const id of rejected) {
    it(`rejects ${JSON.stringify(id)}`, () => {
      assert.equal(parseTrayAction(id), null);
    });
  }
});
