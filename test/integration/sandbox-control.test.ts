/**
 * The sandbox's control API over HTTP, injected faults as a client sees them on the socket,
 * the request log with its redaction, and the OpenAPI check of every logged Graph request.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  acquireSandboxTokens,
  connectSandboxControl,
  CONTROL_SECRET_HEADER,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  startSandbox,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';
import { sendRequest, type SimpleResponse } from '../../main/sandbox/http-client.ts';
import { isGraphPath, validateRequestAgainstOpenApi } from '../../main/sandbox/openapi-check.ts';
import { MemoryLog } from '../fakes/logger.ts';

const OID = SANDBOX_USER.objectId;

describe('sandbox control and faults', () => {
  let sandbox: RunningSandbox;
  let token: string;

  before(async () => {
    sandbox = await startSandbox({ logger: silentLogger() });
    token = (await acquireSandboxTokens(sandbox)).accessToken;
  });

  after(async () => {
    await sandbox.close();
  });

  beforeEach(async () => {
    sandbox.control.clearFaults();
    // Start without the app session; a clear that finds none returns 404, which is fine here.
    await sendRequest(`${sandbox.graphBaseUrl}/v1.0/me/presence/clearPresence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: SANDBOX_CLIENT_ID }),
      ca: sandbox.caPem,
    });
    sandbox.control.clearRequests();
  });

  function control(operation: string, args: unknown, secret: string | null = sandbox.controlSecret): Promise<SimpleResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== null) {
      headers[CONTROL_SECRET_HEADER] = secret;
    }
    return sendRequest(`${sandbox.origin}/_sandbox/${operation}`, { method: 'POST', headers, body: JSON.stringify(args), ca: sandbox.caPem });
  }

  function setPresence(timeoutMs?: number): Promise<SimpleResponse> {
    return sendRequest(`${sandbox.graphBaseUrl}/v1.0/users/${OID}/presence/setPresence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT15M' }),
      ca: sandbox.caPem,
      timeoutMs,
    });
  }

  function getPresence(): Promise<SimpleResponse> {
    return sendRequest(`${sandbox.graphBaseUrl}/v1.0/me/presence`, { headers: { authorization: `Bearer ${token}` }, ca: sandbox.caPem });
  }

  test('control without the secret is 403', async () => {
    const before = sandbox.control.now();
    const response = await control('advanceClock', { ms: 3_600_000 }, null);

    assert.equal(response.status, 403);
    assert.ok(sandbox.control.now() - before < 3_600_000);
  });

  test('control with a wrong secret is 403', async () => {
    const response = await control('injectFaults', { responses: [{ status: 500 }] }, `${sandbox.controlSecret}x`);
    const presence = await getPresence();

    assert.equal(response.status, 403);
    assert.equal(presence.status, 200);
  });

  test('control with the secret runs the operation', async () => {
    const before = sandbox.control.now();
    const response = await control('advanceClock', { ms: 60_000 });

    assert.equal(response.status, 200);
    assert.ok(sandbox.control.now() - before >= 60_000);
  });

  test('control rejects bad arguments with 400', async () => {
    const response = await control('advanceClock', { ms: -5 });

    assert.equal(response.status, 400);
    assert.match((JSON.parse(response.body) as { error: string }).error, /ms/);
  });

  test('unknown control operation is 404', async () => {
    const response = await control('explode', {});

    assert.equal(response.status, 404);
  });

  test('control requests stay out of the request log', async () => {
    await control('now', {});

    assert.equal(sandbox.control.requests().length, 0);
  });

  test('remote control client reads presence', async () => {
    const remote = connectSandboxControl(sandbox);
    const sessionId = await remote.addTeamsSession(OID, { availability: 'Busy', activity: 'InAMeeting' });
    const presence = await remote.presenceOf(OID);
    await remote.removeTeamsSession(OID, sessionId);

    assert.equal(presence.activity, 'InAMeeting');
    assert.equal(sandbox.control.presenceOf(OID).sessions.length, 0);
  });

  test('remote control reports errors', async () => {
    const remote = connectSandboxControl(sandbox);

    await assert.rejects(remote.approveDeviceCode('NOSUCHCOD'), /No device code/);
  });

  test('fault statuses run in sequence, then pass', async () => {
    sandbox.control.injectFaults({ action: 'setPresence', responses: [{ status: 503 }, { status: 429, headers: { 'Retry-After': '7' } }] });

    const first = await setPresence();
    const second = await setPresence();
    const third = await setPresence();

    assert.deepEqual([first.status, second.status, third.status], [503, 429, 200]);
    assert.equal(second.headers['retry-after'], '7');
  });

  test('fault graphError has the Graph shape', async () => {
    sandbox.control.injectFaults({ action: 'setPresence', responses: [{ status: 429, graphError: { code: 'TooManyRequests', message: 'Slow down.' } }] });

    const response = await setPresence();
    const error = (JSON.parse(response.body) as { error: { code: string; innerError: Record<string, string> } }).error;

    assert.equal(response.status, 429);
    assert.equal(error.code, 'TooManyRequests');
    assert.equal(error.innerError['request-id'], response.headers['request-id']);
  });

  test('faulted request changes nothing', async () => {
    sandbox.control.injectFaults({ action: 'setPresence', responses: [{ status: 503 }] });
    await setPresence();

    assert.equal(sandbox.control.presenceOf(OID).sessions.length, 0);
  });

  test('afterHandling fault loses a response after the change', async () => {
    sandbox.control.injectFaults({ action: 'setPresence', responses: [{ status: 504, afterHandling: true }] });
    const response = await setPresence();

    assert.equal(response.status, 504);
    assert.equal(sandbox.control.presenceOf(OID).availability, 'Busy');
  });

  test('reset fault drops the connection', async () => {
    sandbox.control.injectFaults({ pathPattern: '/presence/setPresence$', responses: [{ reset: true }] });

    await assert.rejects(setPresence(), (error: NodeJS.ErrnoException) => {
      assert.ok(['ECONNRESET', 'EPIPE'].includes(error.code ?? '') || /socket hang up/.test(error.message), error.message);
      return true;
    });
    assert.equal(sandbox.control.requests()[0]?.fault, 'reset');
  });

  test('noAnswer fault keeps the client waiting', async () => {
    sandbox.control.injectFaults({ method: 'POST', action: 'setPresence', responses: [{ noAnswer: true }] });

    const attempt = setPresence(1500);
    await waitFor(() => sandbox.control.requests().length === 1);

    assert.equal(sandbox.control.requests()[0]?.status, null);
    await assert.rejects(attempt, /Timed out/);
  });

  test('delay fault answers late', async () => {
    sandbox.control.injectFaults({ action: 'getPresence', responses: [{ delayMs: 250 }] });

    const started = performance.now();
    const response = await getPresence();
    const elapsed = performance.now() - started;

    assert.equal(response.status, 200);
    assert.ok(elapsed >= 240, `answered after ${elapsed} ms`);
    assert.equal(sandbox.control.requests()[0]?.fault, 'delay');
  });

  test('passThrough lets one request through', async () => {
    sandbox.control.injectFaults({ action: 'getPresence', responses: [{ passThrough: true }, { status: 500 }] });

    const first = await getPresence();
    const second = await getPresence();

    assert.deepEqual([first.status, second.status], [200, 500]);
  });

  test('tokenError fault matches a grant type', async () => {
    sandbox.control.injectFaults({
      action: 'token',
      grantType: 'refresh_token',
      responses: [{ tokenError: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred.' }, status: 503 }],
    });
    const tokens = await acquireSandboxTokens(sandbox);
    const refresh = await sendRequest(`${sandbox.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: SANDBOX_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken ?? '',
        scope: 'Presence.ReadWrite openid offline_access',
      }).toString(),
      ca: sandbox.caPem,
    });
    const body = JSON.parse(refresh.body) as Record<string, unknown>;

    assert.equal(refresh.status, 503);
    assert.equal(body.error, 'temporarily_unavailable');
    assert.deepEqual(body.error_codes, [90033]);
  });

  test('invalid fault rule is rejected', () => {
    assert.throws(() => sandbox.control.injectFaults({ pathPattern: '(', responses: [{ status: 500 }] }), /pathPattern/);
    assert.throws(() => sandbox.control.injectFaults({ responses: [] }), /responses/);
  });

  test('request log redacts the bearer token', async () => {
    await getPresence();

    assert.equal(sandbox.control.requests()[0]?.headers.authorization, 'Bearer [redacted]');
  });

  test('request log redacts token request secrets', async () => {
    await acquireSandboxTokens(sandbox);
    const tokenEntry = sandbox.control.requests().find((entry) => entry.action === 'token');
    const body = tokenEntry?.body as Record<string, string>;

    assert.equal(body.code, '[redacted]');
    assert.equal(body.code_verifier, '[redacted]');
    assert.equal(body.grant_type, 'authorization_code');
  });

  test('request log holds no issued secret', async () => {
    const tokens = await acquireSandboxTokens(sandbox);
    await sendRequest(`${sandbox.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: SANDBOX_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken ?? '',
        scope: 'Presence.ReadWrite openid offline_access',
      }).toString(),
      ca: sandbox.caPem,
    });
    await getPresence();
    const logText = JSON.stringify(sandbox.control.requests());

    const leaked = sandbox.control.issuedSecrets().filter((secret) => logText.includes(secret));
    assert.deepEqual(leaked, []);
  });

  test('issued secrets include tokens, code and verifier', async () => {
    const tokens = await acquireSandboxTokens(sandbox);
    const secrets = sandbox.control.issuedSecrets();

    assert.ok(secrets.includes(tokens.accessToken));
    assert.ok(secrets.includes(tokens.refreshToken ?? ''));
    assert.ok(secrets.length >= 4, `only ${secrets.length} secrets recorded`);
  });

  test('every logged Graph request fits the OpenAPI subset', async () => {
    const readAll = (await acquireSandboxTokens(sandbox, { scopes: ['Presence.ReadWrite', 'Presence.Read.All'] })).accessToken;
    const call = (method: string, path: string, body?: unknown, bearer = token): Promise<SimpleResponse> =>
      sendRequest(`${sandbox.graphBaseUrl}${path}`, {
        method,
        headers: body === undefined ? { authorization: `Bearer ${bearer}` } : { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        ca: sandbox.caPem,
      });

    sandbox.control.clearRequests();
    for (const version of ['v1.0', 'beta']) {
      await call('POST', `/${version}/users/${OID}/presence/setPresence`, { sessionId: SANDBOX_CLIENT_ID, availability: 'Available', activity: 'Available', expirationDuration: 'PT10M' });
      await call('GET', `/${version}/users/${OID}/presence`);
      await call('GET', `/${version}/me/presence?$select=availability,activity`);
      await call('POST', `/${version}/communications/presences/${OID}/microsoft.graph.setUserPreferredPresence`, { availability: 'Busy', activity: 'Busy', expirationDuration: 'PT1H' });
      await call('POST', `/${version}/me/presence/clearUserPreferredPresence`);
      await call('POST', `/${version}/me/presence/setStatusMessage`, { statusMessage: { message: { content: 'Focus', contentType: 'text' } } });
      await call('POST', `/${version}/communications/getPresencesByUserId`, { ids: [OID] }, readAll);
      await call('GET', `/${version}/communications/presences/${OID}`);
      await call('POST', `/${version}/communications/presences/${OID}/clearPresence`, { sessionId: SANDBOX_CLIENT_ID });
    }

    const graphEntries = sandbox.control.requests().filter((entry) => isGraphPath(entry.path));
    const failures = graphEntries
      .map((entry) => ({ entry: `${entry.method} ${entry.path}`, result: validateRequestAgainstOpenApi(entry) }))
      .filter(({ result }) => !result.valid);
    assert.equal(graphEntries.length, 18);
    assert.deepEqual(failures, []);
  });

  test('OpenAPI check flags a body the sandbox rejected', async () => {
    await sendRequest(`${sandbox.graphBaseUrl}/v1.0/me/presence/setPresence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ availability: 'Busy', activity: 'InACall', mood: 'calm' }),
      ca: sandbox.caPem,
    });
    const entry = sandbox.control.requests()[0];
    assert.ok(entry !== undefined);

    const result = validateRequestAgainstOpenApi(entry);

    assert.equal(result.valid, false);
    assert.ok(result.problems.some((problem) => problem.includes('sessionId')), result.problems.join(' | '));
    assert.ok(result.problems.some((problem) => problem.includes("'mood'")), result.problems.join(' | '));
  });

  test('sandbox close ends held connections', async () => {
    const heldSandbox = await startSandbox({ logger: silentLogger() });
    heldSandbox.control.injectFaults({ action: 'openid-configuration', responses: [{ noAnswer: true }] });
    const pending = sendRequest(`${heldSandbox.authority}/v2.0/.well-known/openid-configuration`, { ca: heldSandbox.caPem, timeoutMs: 30_000 });

    await waitFor(() => heldSandbox.control.requests().length === 1);
    await heldSandbox.close();

    await assert.rejects(pending);
  });

  test('the tenant in the authority is the sandbox tenant', () => {
    assert.equal(sandbox.authority, `${sandbox.origin}/${SANDBOX_TENANT_ID}`);
  });
});

describe('sandbox operator log', () => {
  test('request lines hold no issued secret', async () => {
    const memory = new MemoryLog();
    const sandbox = await startSandbox({ logger: memory.logger, logRequests: true });
    try {
      const tokens = await acquireSandboxTokens(sandbox);
      await sendRequest(`${sandbox.graphBaseUrl}/v1.0/me/presence`, { headers: { authorization: `Bearer ${tokens.accessToken}` }, ca: sandbox.caPem });

      const text = memory.text();
      const leaked = sandbox.control.issuedSecrets().filter((secret) => text.includes(secret));
      assert.match(text, /action="getPresence"/);
      assert.deepEqual(leaked, []);
    } finally {
      await sandbox.close();
    }
  });

  test('start and stop are logged', async () => {
    const memory = new MemoryLog();
    const sandbox = await startSandbox({ logger: memory.logger });
    await sandbox.close();

    const messages = memory.lines.map((line) => line.message);
    assert.deepEqual(messages, ['Sandbox started', 'Sandbox stopped']);
  });

  test('port in use is a clear error', async () => {
    const first = await startSandbox({ logger: new MemoryLog().logger });
    try {
      await assert.rejects(startSandbox({ port: first.port, logger: new MemoryLog().logger }), (error: NodeJS.ErrnoException) => {
        assert.equal(error.code, 'EADDRINUSE');
        assert.match(error.message, new RegExp(`Port ${first.port} on 127.0.0.1 is already in use`));
        return true;
      });
    } finally {
      await first.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function silentLogger() {
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
  return logger;
}
