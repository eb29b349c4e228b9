/** Small pure parts of the sandbox: durations, pair lookup, Graph routes, scopes, form parsing. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSandboxClock } from '../../main/sandbox/clock.ts';
import { parseIsoDuration } from '../../main/sandbox/durations.ts';
import { parseGraphPath } from '../../main/sandbox/graph/graph-routes.ts';
import { findPair, PREFERRED_PAIRS, SESSION_PAIRS } from '../../main/sandbox/graph/presence-rules.ts';
import { classifyScopes } from '../../main/sandbox/identity/scopes.ts';
import { classifyRequest } from '../../main/sandbox/routes.ts';
import { readFormPost } from '../../main/sandbox/sign-in-browser.ts';
import { formPostPage } from '../../main/sandbox/identity/pages.ts';

describe('sandbox durations', () => {
  const cases: [string, number | null][] = [
    ['PT5M', 300_000],
    ['PT4H', 14_400_000],
    ['PT1H30M', 5_400_000],
    ['PT90S', 90_000],
    ['PT0.5S', 500],
    ['P1D', 86_400_000],
    ['P1W', 604_800_000],
    ['P1DT1H', 90_000_000],
    ['P', null],
    ['PT', null],
    ['P1Y', null],
    ['-PT5M', null],
    ['5M', null],
    ['', null],
  ];
  for (const [text, expected] of cases) {
    test(`duration ${JSON.stringify(text)}`, () => {
      assert.equal(parseIsoDuration(text), expected);
    });
  }
});

describe('sandbox pair tables', () => {
  test('session table lookup ignores case', () => {
    assert.deepEqual(findPair(SESSION_PAIRS, { availability: 'busy', activity: 'inacall' }), { availability: 'Busy', activity: 'InACall' });
  });

  test('Busy/Busy only in the preferred table', () => {
    assert.equal(findPair(SESSION_PAIRS, { availability: 'Busy', activity: 'Busy' }), null);
    assert.notEqual(findPair(PREFERRED_PAIRS, { availability: 'Busy', activity: 'Busy' }), null);
  });

  test('Offline/OffWork only in the preferred table', () => {
    assert.equal(findPair(SESSION_PAIRS, { availability: 'Offline', activity: 'OffWork' }), null);
    assert.notEqual(findPair(PREFERRED_PAIRS, { availability: 'Offline', activity: 'OffWork' }), null);
  });
});

describe('sandbox Graph routes', () => {
  const oid = 'd2e8f4a1-7c3b-4a96-8e15-b0c9a6d3f572';

  test('me presence', () => {
    assert.deepEqual(parseGraphPath('/v1.0/me/presence'), { kind: 'presence', version: 'v1.0', base: 'me', targetId: null, action: null });
  });

  test('users action', () => {
    assert.deepEqual(parseGraphPath(`/beta/users/${oid}/presence/setPresence`), {
      kind: 'presence',
      version: 'beta',
      base: 'users',
      targetId: oid,
      action: 'setPresence',
    });
  });

  test('qualified action name', () => {
    const route = parseGraphPath(`/beta/communications/presences/${oid}/microsoft.graph.clearPresence`);

    assert.equal(route?.kind === 'presence' ? route.action : null, 'clearPresence');
  });

  test('segments ignore case', () => {
    const route = parseGraphPath(`/v1.0/Users/${oid}/Presence/SETPRESENCE`);

    assert.equal(route?.kind === 'presence' ? route.action : null, 'setPresence');
  });

  test('collection and getPresencesByUserId', () => {
    assert.deepEqual(parseGraphPath('/v1.0/communications/presences'), { kind: 'presences', version: 'v1.0' });
    assert.deepEqual(parseGraphPath('/v1.0/communications/getPresencesByUserId'), { kind: 'getPresencesByUserId', version: 'v1.0' });
  });

  test('unknown action names its segment', () => {
    assert.deepEqual(parseGraphPath('/v1.0/me/presence/setMood'), { kind: 'unknown', version: 'v1.0', segment: 'setMood' });
  });

  test('other versions are not Graph', () => {
    assert.equal(parseGraphPath('/v2.0/me/presence'), null);
  });

  test('request classification names actions', () => {
    assert.equal(classifyRequest('GET', '/v1.0/me/presence').action, 'getPresence');
    assert.equal(classifyRequest('POST', '/common/oauth2/v2.0/token').action, 'token');
    assert.equal(classifyRequest('GET', '/abc/v2.0/.well-known/openid-configuration').action, 'openid-configuration');
    assert.equal(classifyRequest('POST', '/_sandbox/now').action, 'control');
    assert.equal(classifyRequest('GET', '/favicon.ico').action, 'unknown');
  });
});

describe('sandbox scopes', () => {
  test('short and full Graph names are Graph permissions', () => {
    const scopes = classifyScopes(['Presence.ReadWrite', 'https://graph.microsoft.com/User.Read', 'openid', 'offline_access']);

    assert.deepEqual(scopes.graph, ['Presence.ReadWrite', 'User.Read']);
    assert.deepEqual(scopes.oidc, ['openid', 'offline_access']);
    assert.deepEqual(scopes.foreign, []);
  });

  test('.default expands to the registered permissions', () => {
    assert.deepEqual(classifyScopes(['https://graph.microsoft.com/.default']).graph, ['Presence.ReadWrite', 'User.Read']);
  });

  test('other resources are foreign', () => {
    assert.deepEqual(classifyScopes(['api://other/Read']).foreign, ['api://other/Read']);
  });
});

describe('sandbox form_post page', () => {
  test('page round-trips escaped values', () => {
    const html = formPostPage('http://localhost:5000', { state: 'a"b<c>&d', code: 'x' });

    assert.deepEqual(readFormPost(html), { action: 'http://localhost:5000', fields: { state: 'a"b<c>&d', code: 'x' } });
  });
});

describe('sandbox clock', () => {
  test('advance adds to the source time', () => {
    const clock = createSandboxClock(() => 1000);
    clock.advance(500);

    assert.equal(clock.now(), 1500);
  });

  test('negative step is rejected', () => {
    const clock = createSandboxClock(() => 1000);

    assert.throws(() => clock.advance(-1), /Invalid clock step/);
  });
});
