import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cleanGraphMessage, GraphError, kindForStatus, parseGraphErrorBody } from '../../main/core/graph/errors.ts';
import { CONSUMER_TENANT_ID, deniedReasonFor, explainFailure } from '../../main/core/graph/explain.ts';

const USER = '5e1b7f3a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';
const OTHER = '11111111-2222-4333-8444-555555555555';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

test('error body parsed', () => {
  const body = JSON.stringify({
    error: {
      code: 'Forbidden',
      message: 'Insufficient privileges',
      innerError: { date: '2026-12-04T09:00:00', 'request-id': 'r-1', 'client-request-id': 'c-1' },
    },
  });
  assert.deepEqual(parseGraphErrorBody(body), { code: 'Forbidden', message: 'Insufficient privileges', innerCode: null, requestId: 'r-1' });
});

test('error body innererror in lower case', () => {
  const body = JSON.stringify({ error: { code: 'BadRequest', message: 'x', innererror: { code: 'InvalidPair', 'Request-Id': 'r-2' } } });
  const parsed = parseGraphErrorBody(body);
  assert.equal(parsed.innerCode, 'InvalidPair');
  assert.equal(parsed.requestId, 'r-2');
});

test('error body nested inner code', () => {
  const body = JSON.stringify({ error: { code: 'A', innerError: { code: 'B', innerError: { code: 'C' } } } });
  assert.equal(parseGraphErrorBody(body).innerCode, 'C');
});

const MALFORMED = ['', 'not json', 'null', '[]', '{"error":"text"}', '{"error":{"code":42,"message":["x"]}}', '{"error":{"innerError":7}}'];

for (const text of MALFORMED) {
  test(`error body ${JSON.stringify(text)} tolerated`, () => {
    assert.deepEqual(parseGraphErrorBody(text), { code: null, message: null, innerCode: null, requestId: null });
  });
}

test('error body self-nesting stops', () => {
  let inner: Record<string, unknown> = { code: 'deep' };
  for (let i = 0; i < 100; i += 1) {
    inner = { innerError: inner };
  }
  assert.equal(parseGraphErrorBody(JSON.stringify({ error: { code: 'X', innerError: inner } })).innerCode, null);
});

test('graph message redacted', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop';
  assert.equal(cleanGraphMessage(`bad token ${jwt}`), 'bad token [redacted]');
});

test('graph message shortened', () => {
  assert.equal(cleanGraphMessage('word '.repeat(200))?.length, 301);
});

const KINDS: ReadonlyArray<[number, string]> = [
  [400, 'bad-request'],
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [404, 'not-found'],
  [409, 'bad-request'],
  [429, 'throttled'],
  [500, 'server'],
  [503, 'server'],
];

for (const [status, kind] of KINDS) {
  test(`status ${status} maps to ${kind}`, () => {
    assert.equal(kindForStatus(status), kind);
  });
}

test('403 for another user is mismatch', () => {
  assert.equal(deniedReasonFor(403, OTHER, { objectId: USER, tenantId: TENANT }), 'account-mismatch');
});

test('403 for personal account', () => {
  assert.equal(deniedReasonFor(403, USER, { objectId: USER, tenantId: CONSUMER_TENANT_ID }), 'personal-account');
});

test('403 for own presence is permission', () => {
  assert.equal(deniedReasonFor(403, USER.toUpperCase(), { objectId: USER, tenantId: TENANT }), 'missing-permission');
});

test('403 with unknown account is permission', () => {
  assert.equal(deniedReasonFor(403, USER, null), 'missing-permission');
});

test('401 for own presence is token', () => {
  assert.equal(deniedReasonFor(401, USER, null), 'token-rejected');
});

test('mismatch message names both ids', () => {
  const message = explainFailure({
    kind: 'forbidden',
    action: 'clearPresence',
    presenceId: OTHER,
    status: 403,
    graphCode: 'Forbidden',
    graphMessage: null,
    attempts: 1,
    deniedReason: 'account-mismatch',
    account: { objectId: USER, tenantId: TENANT },
  });
  assert.match(message, new RegExp(OTHER));
  assert.match(message, new RegExp(USER));
  assert.match(message, /--presence-id/);
});

test('permission message names the scope', () => {
  const message = explainFailure({
    kind: 'forbidden',
    action: 'setPresence',
    presenceId: USER,
    status: 403,
    graphCode: null,
    graphMessage: null,
    attempts: 1,
    deniedReason: 'missing-permission',
    account: null,
  });
  assert.match(message, /Presence\.ReadWrite/);
});

test('throttled message gives the wait', () => {
  const message = explainFailure({
    kind: 'throttled',
    action: 'clearPresence',
    presenceId: USER,
    status: 429,
    graphCode: 'TooManyRequests',
    graphMessage: null,
    attempts: 1,
    retryAfterMs: 600_000,
    account: null,
  });
  assert.match(message, /wait 600 s/);
});

test('graph error message carries ids', () => {
  const error = new GraphError(
    {
      kind: 'server',
      action: 'clearPresence',
      presenceId: USER,
      status: 500,
      code: null,
      requestId: 'r-9',
      clientRequestId: 'c-9',
      attempts: 1,
    },
    'Graph failed.',
  );
  assert.equal(error.message, 'Graph failed. (request-id r-9, client-request-id c-9)');
});
