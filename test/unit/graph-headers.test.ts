import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertExtraHeader, InvalidHeaderError, parseHeaderArgument } from '../../main/core/graph/headers.ts';

test('header argument parsed', () => {
  assert.deepEqual(parseHeaderArgument('X-Trace: abc 123'), { name: 'X-Trace', value: 'abc 123' });
});

test('header value keeps inner colons', () => {
  assert.deepEqual(parseHeaderArgument('Prefer: a=b:c'), { name: 'Prefer', value: 'a=b:c' });
});

test('header value may be empty', () => {
  assert.deepEqual(parseHeaderArgument('X-Empty:'), { name: 'X-Empty', value: '' });
});

test('header without colon rejected', () => {
  assert.throws(() => parseHeaderArgument('X-Trace abc'), InvalidHeaderError);
  assert.throws(() => parseHeaderArgument('X-Trace abc'), /missing ":"/);
});

test('header error does not echo text', () => {
  assert.throws(
    () => parseHeaderArgument('Authorization Bearer not-a-real-token'),
    (error: Error) => !error.message.includes('not-a-real-token'),
  );
});

test('header with empty name rejected', () => {
  assert.throws(() => parseHeaderArgument(': value'), /name before ":" is empty/);
});

test('header name with space rejected', () => {
  assert.throws(() => parseHeaderArgument('X Trace: 1'), /Invalid header name "X Trace"/);
});

for (const name of ['Authorization', 'authorization', 'Host', 'Content-Length', 'Transfer-Encoding', 'Connection']) {
  test(`header ${name} rejected as reserved`, () => {
    assert.throws(() => parseHeaderArgument(`${name}: x`), /cannot be overridden/);
  });
}

test('header value with newline rejected', () => {
  assert.throws(() => assertExtraHeader('X-Trace', 'a\r\nInjected: 1'), /line breaks/);
});

test('header value with NUL rejected', () => {
  assert.throws(() => assertExtraHeader('X-Trace', 'a\u0000b'), /control characters/);
});

test('client-request-id header allowed', () => {
  assert.doesNotThrow(() => assertExtraHeader('client-request-id', '0f8fad5b-d9cb-469f-a165-70867728950e'));
});
