import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertGuid, isGuid, parseGraphBaseUrl, presenceUrl } from '../../main/core/graph/routes.ts';

const USER = '5e1b7f3a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';
const GRAPH = parseGraphBaseUrl('https://graph.microsoft.com');

test('v1.0 action route', () => {
  assert.equal(
    presenceUrl(GRAPH, 'v1.0', USER, 'clearPresence'),
    `https://graph.microsoft.com/v1.0/users/${USER}/presence/clearPresence`,
  );
});

test('v1.0 read route', () => {
  assert.equal(presenceUrl(GRAPH, 'v1.0', USER, null), `https://graph.microsoft.com/v1.0/users/${USER}/presence`);
});

test('beta action route', () => {
  assert.equal(
    presenceUrl(GRAPH, 'beta', USER, 'clearPresence'),
    `https://graph.microsoft.com/beta/communications/presences/${USER}/clearPresence`,
  );
});

test('beta read route', () => {
  assert.equal(presenceUrl(GRAPH, 'beta', USER, null), `https://graph.microsoft.com/beta/communications/presences/${USER}`);
});

test('sandbox origin with port kept', () => {
  const base = parseGraphBaseUrl('https://127.0.0.1:44321/');
  assert.equal(presenceUrl(base, 'v1.0', USER, 'setPresence'), `https://127.0.0.1:44321/v1.0/users/${USER}/presence/setPresence`);
});

test('base path prefix kept', () => {
  const base = parseGraphBaseUrl('https://127.0.0.1:44321/graph/');
  assert.equal(presenceUrl(base, 'beta', USER, null), `https://127.0.0.1:44321/graph/beta/communications/presences/${USER}`);
});

test('presence id encoded', () => {
  assert.match(presenceUrl(GRAPH, 'v1.0', 'a/b?c', null), /users\/a%2Fb%3Fc\/presence$/);
});

test('guid accepted in upper case', () => {
  assert.equal(isGuid(USER.toUpperCase()), true);
});

test('guid without dashes rejected', () => {
  assert.equal(isGuid(USER.replaceAll('-', '')), false);
});

test('guid error names value and hint', () => {
  assert.throws(() => assertGuid('me', 'presence ID', "Use the user's Entra object ID."), /Invalid presence ID "me"/);
  assert.throws(() => assertGuid('me', 'presence ID', "Use the user's Entra object ID."), /Entra object ID/);
});

test('http base URL rejected', () => {
  assert.throws(() => parseGraphBaseUrl('http://graph.microsoft.com'), /https only/);
});

test('base URL with query rejected', () => {
  assert.throws(() => parseGraphBaseUrl('https://graph.microsoft.com/?x=1'), /query/);
});

test('garbage base URL rejected', () => {
  assert.throws(() => parseGraphBaseUrl('graph'), /Invalid Graph base URL "graph"/);
});
