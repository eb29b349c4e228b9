import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  InvalidProxyError,
  isProxyBypassed,
  readHttpsProxy,
  redactProxyUrl,
  selectProxy,
} from '../../main/core/net/proxy-env.ts';

const GRAPH = new URL('https://graph.microsoft.com/v1.0/me');

test('no proxy variable is direct', () => {
  assert.equal(readHttpsProxy({}), null);
});

test('empty proxy variable is direct', () => {
  assert.equal(readHttpsProxy({ HTTPS_PROXY: '  ' }), null);
});

test('HTTPS_PROXY read', () => {
  assert.equal(readHttpsProxy({ HTTPS_PROXY: 'http://proxy.corp:3128' })?.href, 'http://proxy.corp:3128/');
});

test('lower-case https_proxy wins', () => {
  assert.equal(readHttpsProxy({ https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:2' })?.host, 'low:1');
});

test('proxy without scheme is http', () => {
  assert.equal(readHttpsProxy({ HTTPS_PROXY: 'proxy.corp:3128' })?.href, 'http://proxy.corp:3128/');
});

test('socks proxy rejected', () => {
  assert.throws(() => readHttpsProxy({ HTTPS_PROXY: 'socks5://proxy:1080' }), InvalidProxyError);
  assert.throws(() => readHttpsProxy({ HTTPS_PROXY: 'socks5://proxy:1080' }), /scheme socks5: is not supported/);
});

test('invalid proxy error hides value', () => {
  assert.throws(
    () => readHttpsProxy({ HTTPS_PROXY: 'http://user:hunter2@[bad' }),
    (error: Error) => error.message.includes('HTTPS_PROXY') && !error.message.includes('hunter2'),
  );
});

test('proxy credentials redacted', () => {
  assert.equal(redactProxyUrl(new URL('http://alice:s3cret@proxy.corp:3128')), 'http://proxy.corp:3128');
});

const BYPASS: ReadonlyArray<[string, string, boolean]> = [
  ['graph.microsoft.com', 'https://graph.microsoft.com/', true],
  ['microsoft.com', 'https://graph.microsoft.com/', true],
  ['.microsoft.com', 'https://graph.microsoft.com/', true],
  ['*.microsoft.com', 'https://graph.microsoft.com/', true],
  ['soft.com', 'https://graph.microsoft.com/', false],
  ['*', 'https://graph.microsoft.com/', true],
  ['example.com, graph.microsoft.com', 'https://graph.microsoft.com/', true],
  ['example.com graph.microsoft.com', 'https://graph.microsoft.com/', true],
  ['GRAPH.Microsoft.com', 'https://graph.microsoft.com/', true],
  ['graph.microsoft.com:443', 'https://graph.microsoft.com/', true],
  ['graph.microsoft.com:8443', 'https://graph.microsoft.com/', false],
  ['127.0.0.1', 'https://127.0.0.1:44321/', true],
  ['127.0.0.1:44321', 'https://127.0.0.1:44321/', true],
  ['[::1]', 'https://[::1]:44321/', true],
  ['[::1]:44321', 'https://[::1]:44321/', true],
  ['::1', 'https://[::1]:44321/', true],
  ['localhost', 'https://127.0.0.1:44321/', false],
  ['10.0.0.0/8', 'https://10.1.2.3/', false],
];

for (const [noProxy, target, bypassed] of BYPASS) {
  test(`NO_PROXY ${JSON.stringify(noProxy)} for ${target}`, () => {
    assert.equal(isProxyBypassed(new URL(target), { NO_PROXY: noProxy }), bypassed);
  });
}

test('no_proxy lower case read', () => {
  assert.equal(isProxyBypassed(GRAPH, { no_proxy: 'microsoft.com' }), true);
});

test('selectProxy returns proxy', () => {
  assert.equal(selectProxy(GRAPH, { HTTPS_PROXY: 'http://proxy:3128' })?.host, 'proxy:3128');
});

test('selectProxy honours NO_PROXY', () => {
  assert.equal(selectProxy(GRAPH, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'graph.microsoft.com' }), null);
});

test('selectProxy ignores http targets', () => {
  assert.equal(selectProxy(new URL('http://example.com/'), { HTTPS_PROXY: 'http://proxy:3128' }), null);
});
