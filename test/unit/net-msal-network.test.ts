import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AuthError } from '@azure/msal-node';

import { HttpNetworkError, HttpTimeoutError } from '../../main/core/net/errors.ts';
import { createMsalNetworkClient } from '../../main/core/net/msal-network.ts';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../main/core/ports.ts';

class RecordingTransport implements HttpTransport {
  readonly sent: HttpRequest[] = [];

  constructor(private readonly reply: HttpResponse | Error) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push(request);
    if (this.reply instanceof Error) {
      throw this.reply;
    }
    return this.reply;
  }

  describeProxy(): string | null {
    return null;
  }
}

const TOKEN_URL = 'https://127.0.0.1:44321/tenant/oauth2/v2.0/token?client-request-id=abc';

test('GET passes headers and timeout', async () => {
  const transport = new RecordingTransport({ status: 200, headers: {}, body: '{}' });
  const client = createMsalNetworkClient(transport);

  await client.sendGetRequestAsync('https://127.0.0.1:44321/x', { headers: { 'x-client-sku': 'msal.js.node' } }, 5_000);

  assert.equal(transport.sent[0]?.method, 'GET');
  assert.equal(transport.sent[0]?.headers['x-client-sku'], 'msal.js.node');
  assert.equal(transport.sent[0]?.timeoutMs, 5_000);
  assert.equal(transport.sent[0]?.body, undefined);
});

test('POST passes body and default timeout', async () => {
  const transport = new RecordingTransport({ status: 200, headers: {}, body: '{}' });
  const client = createMsalNetworkClient(transport);

  await client.sendPostRequestAsync(TOKEN_URL, { body: 'grant_type=refresh_token', headers: {} });

  assert.equal(transport.sent[0]?.method, 'POST');
  assert.equal(transport.sent[0]?.body, 'grant_type=refresh_token');
  assert.equal(transport.sent[0]?.timeoutMs, 30_000);
});

test('default timeout configurable', async () => {
  const transport = new RecordingTransport({ status: 200, headers: {}, body: '{}' });
  const client = createMsalNetworkClient(transport, { defaultTimeoutMs: 1_234 });

  await client.sendPostRequestAsync(TOKEN_URL, {});

  assert.equal(transport.sent[0]?.timeoutMs, 1_234);
});

test('GET without timeout gets default', async () => {
  const transport = new RecordingTransport({ status: 200, headers: {}, body: '{}' });
  const client = createMsalNetworkClient(transport);

  await client.sendGetRequestAsync('https://127.0.0.1:44321/x');

  assert.equal(transport.sent[0]?.timeoutMs, 30_000);
});

test('JSON body parsed', async () => {
  const transport = new RecordingTransport({ status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_grant"}' });
  const client = createMsalNetworkClient(transport);

  const response = await client.sendPostRequestAsync<{ error: string }>(TOKEN_URL, {});

  assert.equal(response.status, 400);
  assert.equal(response.body.error, 'invalid_grant');
  assert.equal(response.headers['content-type'], 'application/json');
});

test('non-JSON body is empty object', async () => {
  const transport = new RecordingTransport({ status: 502, headers: {}, body: '<html>Bad gateway</html>' });
  const client = createMsalNetworkClient(transport);

  const response = await client.sendGetRequestAsync('https://127.0.0.1:44321/x');

  assert.deepEqual(response.body, {});
});

test('empty body is empty object', async () => {
  const transport = new RecordingTransport({ status: 204, headers: {}, body: '' });
  const client = createMsalNetworkClient(transport);

  const response = await client.sendGetRequestAsync('https://127.0.0.1:44321/x');

  assert.deepEqual(response.body, {});
});

test('network failure is MSAL network_error', async () => {
  const connectionRefused = new HttpNetworkError('https://127.0.0.1:44321/tenant/oauth2/v2.0/token', 'ECONNREFUSED', 'connect ECONNREFUSED');
  const client = createMsalNetworkClient(new RecordingTransport(connectionRefused));

  await assert.rejects(client.sendPostRequestAsync(TOKEN_URL, { body: 'code=secret-authorization-code' }), (error: unknown) => {
    assert.ok(error instanceof AuthError);
    assert.equal(error.errorCode, 'network_error');
    assert.match(error.message, /ECONNREFUSED/);
    assert.doesNotMatch(error.message, /secret-authorization-code/);
    assert.doesNotMatch(error.message, /client-request-id=abc/);
    return true;
  });
});

test('timeout is MSAL network_error', async () => {
  const timedOut = new HttpTimeoutError('https://127.0.0.1:44321/x', 5_000);
  const client = createMsalNetworkClient(new RecordingTransport(timedOut));

  await assert.rejects(client.sendGetRequestAsync('https://127.0.0.1:44321/x', {}, 5_000), (error: unknown) => {
    assert.ok(error instanceof AuthError);
    assert.equal(error.errorCode, 'network_error');
    assert.match(error.message, /Request timeout/);
    return true;
  });
});

test('network error keeps correlation id', async () => {
  const connectionRefused = new HttpNetworkError('https://127.0.0.1:44321/x', 'ECONNREFUSED', 'connect ECONNREFUSED');
  const client = createMsalNetworkClient(new RecordingTransport(connectionRefused));

  await assert.rejects(client.sendPostRequestAsync(TOKEN_URL, { correlationId: 'corr-1' }), (error: unknown) => {
    assert.ok(error instanceof AuthError);
    assert.equal(error.correlationId, 'corr-1');
    return true;
  });
});
