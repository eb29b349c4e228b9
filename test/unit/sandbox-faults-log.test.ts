/** Fault rule matching and consumption, and the request log's redaction. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FaultBook, isDelayOnly } from '../../main/sandbox/faults.ts';
import { redactBody, redactHeaders, redactQuery, RequestLog } from '../../main/sandbox/request-log.ts';
import { SecretLedger } from '../../main/sandbox/secret-ledger.ts';

const SET = { method: 'POST', path: '/v1.0/me/presence/setPresence', action: 'setPresence' as const, grantType: null };
const GET = { method: 'GET', path: '/v1.0/me/presence', action: 'getPresence' as const, grantType: null };

describe('sandbox fault book', () => {
  test('responses are consumed in order', () => {
    const book = new FaultBook();
    book.add({ action: 'setPresence', responses: [{ status: 503 }, { status: 429 }] });

    assert.equal(book.take(SET)?.status, 503);
    assert.equal(book.take(SET)?.status, 429);
    assert.equal(book.take(SET), null);
  });

  test('rule matches only its action', () => {
    const book = new FaultBook();
    book.add({ action: 'setPresence', responses: [{ status: 503 }] });

    assert.equal(book.take(GET), null);
    assert.equal(book.take(SET)?.status, 503);
  });

  test('method and path pattern both apply', () => {
    const book = new FaultBook();
    book.add({ method: 'get', pathPattern: '/presence$', responses: [{ status: 500 }] });

    assert.equal(book.take(SET), null);
    assert.equal(book.take(GET)?.status, 500);
  });

  test('first matching rule wins', () => {
    const book = new FaultBook();
    book.add({ action: 'getPresence', responses: [{ status: 500 }] });
    book.add({ responses: [{ status: 502 }] });

    assert.equal(book.take(GET)?.status, 500);
    assert.equal(book.take(GET)?.status, 502);
  });

  test('device_code grant matches its URN', () => {
    const book = new FaultBook();
    book.add({ action: 'token', grantType: 'device_code', responses: [{ status: 500 }] });
    const urn = { method: 'POST', path: '/t/oauth2/v2.0/token', action: 'token' as const, grantType: 'urn:ietf:params:oauth:grant-type:device_code' };
    const refresh = { ...urn, grantType: 'refresh_token' };

    assert.equal(book.take(refresh), null);
    assert.equal(book.take(urn)?.status, 500);
  });

  test('clear removes every rule', () => {
    const book = new FaultBook();
    book.add({ responses: [{ status: 500 }] });
    book.clear();

    assert.equal(book.take(GET), null);
  });

  test('a rule is copied when added', () => {
    const book = new FaultBook();
    const rule = { responses: [{ status: 500 }] };
    book.add(rule);
    rule.responses.push({ status: 501 });

    assert.equal(book.take(GET)?.status, 500);
    assert.equal(book.take(GET), null);
  });

  test('bad rules name the field', () => {
    const book = new FaultBook();

    assert.throws(() => book.add({ responses: [{ status: 1000 }] }), /status/);
    assert.throws(() => book.add({ responses: [{ delayMs: -1 }] }), /delayMs/);
    assert.throws(() => book.add({ responses: [{ graphError: { code: 'X' } as never }] }), /graphError/);
    assert.throws(() => book.add({ responses: [{ reset: false as never }] }), /reset/);
  });

  test('delay-only response is recognised', () => {
    assert.equal(isDelayOnly({ delayMs: 10 }), true);
    assert.equal(isDelayOnly({ delayMs: 10, status: 503 }), false);
    assert.equal(isDelayOnly({ reset: true }), false);
  });
});

describe('sandbox request log redaction', () => {
  test('authorization header keeps only the scheme', () => {
    const headers = redactHeaders({ authorization: 'Bearer eyJhbGciOi.payload.signature', 'content-type': 'application/json' });

    assert.equal(headers.authorization, 'Bearer [redacted]');
    assert.equal(headers['content-type'], 'application/json');
  });

  test('control secret header is redacted', () => {
    assert.equal(redactHeaders({ 'x-sandbox-secret': 'abc' })['x-sandbox-secret'], '[redacted]');
  });

  test('form secrets are redacted', () => {
    const body = redactBody('grant_type=refresh_token&refresh_token=1.AAAA&client_id=c&device_code=DC&code=C&code_verifier=V', 'application/x-www-form-urlencoded;charset=utf-8');

    assert.deepEqual(body, {
      grant_type: 'refresh_token',
      refresh_token: '[redacted]',
      client_id: 'c',
      device_code: '[redacted]',
      code: '[redacted]',
      code_verifier: '[redacted]',
    });
  });

  test('JSON body is parsed', () => {
    assert.deepEqual(redactBody('{"sessionId":"s","access_token":"t"}', 'application/json'), { sessionId: 's', access_token: '[redacted]' });
  });

  test('unparseable body stays text', () => {
    assert.equal(redactBody('{oops', 'application/json'), '{oops');
  });

  test('empty body is null', () => {
    assert.equal(redactBody('', undefined), null);
  });

  test('query secrets are redacted', () => {
    assert.deepEqual(redactQuery(new URLSearchParams('code=abc&state=s')), { code: '[redacted]', state: 's' });
  });

  test('log returns copies', () => {
    const log = new RequestLog();
    log.add({ at: 0, method: 'GET', path: '/', query: {}, headers: {}, body: null, status: 200, action: 'unknown', requestId: 'r', fault: null });
    const first = log.list();
    (first[0] as { status: number | null }).status = 500;

    assert.equal(log.list()[0]?.status, 200);
  });
});

describe('sandbox secret ledger', () => {
  test('short values are not recorded', () => {
    const ledger = new SecretLedger();
    ledger.add('short');
    ledger.add('a-long-enough-secret-value');
    ledger.add(undefined);

    assert.deepEqual(ledger.list(), ['a-long-enough-secret-value']);
  });
});
