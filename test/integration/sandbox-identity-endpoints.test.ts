/**
 * The sandbox's identity endpoints over raw HTTPS, for the checks MSAL never triggers on its
 * own: PKCE and code reuse, redirect URI rules, error shapes, device code details.
 */

import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import https from 'node:https';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID, SANDBOX_USER, startSandbox, type RunningSandbox } from '../../main/sandbox/index.ts';
import { sendRequest, type SimpleResponse } from '../../main/sandbox/http-client.ts';
import { readFormPost } from '../../main/sandbox/sign-in-browser.ts';

const REDIRECT_URI = 'http://localhost:53100';
const SCOPE = 'Presence.ReadWrite openid profile offline_access';

interface AuthorizeOptions {
  params?: Record<string, string | null>;
  verifier?: string;
}

describe('sandbox identity endpoints', () => {
  let sandbox: RunningSandbox;

  before(async () => {
    sandbox = await startSandbox({ logger: silentLogger() });
  });

  after(async () => {
    await sandbox.close();
  });

  beforeEach(() => {
    sandbox.control.clearFaults();
    sandbox.control.requireAdminConsent(false);
  });

  function get(path: string, headers: Record<string, string> = {}): Promise<SimpleResponse> {
    return sendRequest(`${sandbox.origin}${path}`, { ca: sandbox.caPem, headers });
  }

  function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<SimpleResponse> {
    return sendRequest(`${sandbox.origin}${path}`, {
      method: 'POST',
      ca: sandbox.caPem,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async function authorize(options: AuthorizeOptions = {}): Promise<{ page: SimpleResponse; fields: Record<string, string>; verifier: string }> {
    const verifier = options.verifier ?? randomBytes(32).toString('base64url');
    const params: Record<string, string | null> = {
      client_id: SANDBOX_CLIENT_ID,
      response_type: 'code',
      response_mode: 'form_post',
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      state: 'eyJpZCI6InN0YXRlIn0=',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...options.params,
    };
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== null) {
        query.set(name, value);
      }
    }

    const page = await get(`/${SANDBOX_TENANT_ID}/oauth2/v2.0/authorize?${query.toString()}`);
    return { page, fields: readFormPost(page.body)?.fields ?? {}, verifier };
  }

  function redeem(code: string, verifier: string, overrides: Record<string, string> = {}): Promise<SimpleResponse> {
    return postForm(`/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`, {
      client_id: SANDBOX_CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      ...overrides,
    });
  }

  async function signedInTokens(scope = SCOPE): Promise<Record<string, unknown>> {
    const { fields, verifier } = await authorize({ params: { scope } });
    const response = await redeem(fields.code ?? '', verifier, { scope });
    return JSON.parse(response.body) as Record<string, unknown>;
  }

  test('discovery issuer follows the Host header', async () => {
    const response = await get(`/${SANDBOX_TENANT_ID}/v2.0/.well-known/openid-configuration`, { host: `localhost:${sandbox.port}` });
    const document = JSON.parse(response.body) as Record<string, string>;

    assert.equal(response.status, 200);
    assert.equal(document.issuer, `https://localhost:${sandbox.port}/${SANDBOX_TENANT_ID}/v2.0`);
    assert.equal(document.token_endpoint, `https://localhost:${sandbox.port}/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`);
  });

  test('discovery for common uses the tenantid placeholder', async () => {
    const response = await get('/common/v2.0/.well-known/openid-configuration');
    const document = JSON.parse(response.body) as Record<string, string>;

    assert.equal(document.issuer, `${sandbox.origin}/{tenantid}/v2.0`);
  });

  test('unknown tenant is invalid_tenant', async () => {
    const response = await get('/00000000-0000-0000-0000-000000000001/v2.0/.well-known/openid-configuration');
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 400);
    assert.equal(body.error, 'invalid_tenant');
    assert.deepEqual(body.error_codes, [90002]);
  });

  test('non-loopback Host is rejected', async () => {
    // A DNS rebinding page reaches 127.0.0.1 with its own name in Host; skip only the name check.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = https.request(`${sandbox.origin}/${SANDBOX_TENANT_ID}/v2.0/.well-known/openid-configuration`, {
        ca: sandbox.caPem,
        headers: { host: 'attacker.example' },
        checkServerIdentity: () => undefined,
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject);
      request.end();
    });

    assert.equal(status, 421);
  });

  test('authorize returns code, state and client_info', async () => {
    const { page, fields } = await authorize();
    const clientInfo = JSON.parse(Buffer.from(fields.client_info ?? '', 'base64url').toString('utf8')) as Record<string, string>;

    assert.equal(page.status, 200);
    assert.equal(readFormPost(page.body)?.action, REDIRECT_URI);
    assert.equal(fields.state, 'eyJpZCI6InN0YXRlIn0=');
    assert.ok((fields.code ?? '').length > 80);
    assert.deepEqual(clientInfo, { uid: SANDBOX_USER.objectId, utid: SANDBOX_TENANT_ID });
  });

  test('authorize rejects a non-loopback redirect URI', async () => {
    const { page, fields } = await authorize({ params: { redirect_uri: 'https://app.example/callback' } });

    assert.equal(page.status, 400);
    assert.deepEqual(fields, {});
    assert.match(page.body, /AADSTS50011/);
  });

  test('authorize rejects an unknown client on a page', async () => {
    const { page } = await authorize({ params: { client_id: '11111111-2222-3333-4444-555555555555' } });

    assert.equal(page.status, 400);
    assert.match(page.body, /AADSTS700016/);
  });

  test('authorize without form_post returns an error', async () => {
    const { fields } = await authorize({ params: { response_mode: 'query' } });

    assert.equal(fields.error, 'invalid_request');
    assert.match(fields.error_description ?? '', /form_post/);
    assert.equal(fields.state, 'eyJpZCI6InN0YXRlIn0=');
  });

  test('authorize without PKCE returns an error', async () => {
    const { fields } = await authorize({ params: { code_challenge: null } });

    assert.equal(fields.error, 'invalid_request');
    assert.match(fields.error_description ?? '', /code_challenge/);
  });

  test('authorize with plain PKCE returns an error', async () => {
    const { fields } = await authorize({ params: { code_challenge_method: 'plain' } });

    assert.equal(fields.error, 'invalid_request');
  });

  test('authorize accepts prompt select_account', async () => {
    const { fields } = await authorize({ params: { prompt: 'select_account' } });

    assert.equal(typeof fields.code, 'string');
  });

  test('authorize rejects an unknown prompt', async () => {
    const { fields } = await authorize({ params: { prompt: 'maybe' } });

    assert.equal(fields.error, 'invalid_request');
  });

  test('authorize rejects a scope of another resource', async () => {
    const { fields } = await authorize({ params: { scope: 'api://other-app/Read openid' } });

    assert.equal(fields.error, 'invalid_scope');
    assert.match(fields.error_description ?? '', /AADSTS70011/);
  });

  test('token response has every field MSAL reads', async () => {
    const body = await signedInTokens();

    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'Presence.ReadWrite openid profile');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.ext_expires_in, 3600);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(typeof body.refresh_token, 'string');
    assert.equal(typeof body.id_token, 'string');
    assert.equal(typeof body.client_info, 'string');
  });

  test('token response keeps a full Graph scope spelling', async () => {
    const body = await signedInTokens('https://graph.microsoft.com/Presence.ReadWrite openid offline_access');

    assert.equal(body.scope, 'https://graph.microsoft.com/Presence.ReadWrite openid');
  });

  test('no refresh token without offline_access', async () => {
    const body = await signedInTokens('Presence.ReadWrite openid profile');

    assert.equal('refresh_token' in body, false);
  });

  test('no ID token without openid', async () => {
    const body = await signedInTokens('Presence.ReadWrite offline_access');

    assert.equal('id_token' in body, false);
  });

  test('ID token carries the nonce when one was sent', async () => {
    const { fields, verifier } = await authorize({ params: { nonce: 'n-0S6_WzA2Mj' } });
    const body = JSON.parse((await redeem(fields.code ?? '', verifier)).body) as Record<string, string>;

    assert.equal(decodeClaims(body.id_token ?? '').nonce, 'n-0S6_WzA2Mj');
  });

  test('JWKS verifies the ID token signature', async () => {
    const body = await signedInTokens();
    const jwks = JSON.parse((await get(`/${SANDBOX_TENANT_ID}/discovery/v2.0/keys`)).body) as { keys: Record<string, string>[] };
    const [header, payload, signature] = String(body.id_token).split('.') as [string, string, string];
    const key = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' });

    const valid = verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));

    assert.equal(valid, true);
  });

  test('code is single use', async () => {
    const { fields, verifier } = await authorize();
    const first = await redeem(fields.code ?? '', verifier);
    const second = await redeem(fields.code ?? '', verifier);
    const body = JSON.parse(second.body) as Record<string, unknown>;

    assert.equal(first.status, 200);
    assert.equal(second.status, 400);
    assert.equal(body.error, 'invalid_grant');
    assert.deepEqual(body.error_codes, [54005]);
  });

  test('wrong code_verifier fails PKCE', async () => {
    const { fields } = await authorize();
    const response = await redeem(fields.code ?? '', randomBytes(32).toString('base64url'));
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 400);
    assert.deepEqual(body.error_codes, [50148]);
  });

  test('different redirect_uri is invalid_grant', async () => {
    const { fields, verifier } = await authorize();
    const response = await redeem(fields.code ?? '', verifier, { redirect_uri: 'http://localhost:53101' });
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 400);
    assert.equal(body.error, 'invalid_grant');
  });

  test('code expires after ten minutes', async () => {
    const { fields, verifier } = await authorize();
    sandbox.control.advanceClock(10 * 60 * 1000 + 1);
    const response = await redeem(fields.code ?? '', verifier);
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 400);
    assert.deepEqual(body.error_codes, [70008]);
  });

  test('token error has the Entra shape', async () => {
    const response = await postForm(
      `/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`,
      { client_id: SANDBOX_CLIENT_ID, grant_type: 'password' },
      { 'client-request-id': '0f0e0d0c-0b0a-4909-8807-060504030201' },
    );
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 400);
    assert.equal(body.error, 'unsupported_grant_type');
    assert.match(String(body.error_description), /^AADSTS70003: .*Trace ID: .*Correlation ID: .*Timestamp: /);
    assert.deepEqual(body.error_codes, [70003]);
    assert.match(String(body.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    assert.equal(typeof body.trace_id, 'string');
    assert.equal(body.correlation_id, '0f0e0d0c-0b0a-4909-8807-060504030201');
  });

  test('token rejects a JSON body', async () => {
    const response = await sendRequest(`${sandbox.origin}/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      ca: sandbox.caPem,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });

    assert.equal(response.status, 400);
    assert.equal((JSON.parse(response.body) as Record<string, unknown>).error, 'invalid_request');
  });

  test('refresh cannot add unconsented scopes', async () => {
    const tokens = await signedInTokens();
    const response = await postForm(`/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`, {
      client_id: SANDBOX_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      scope: 'Presence.Read.All openid offline_access',
    });
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 400);
    assert.equal(body.suberror, 'consent_required');
    assert.deepEqual(body.error_codes, [65001]);
  });

  test('refresh token ends after 90 idle days', async () => {
    const tokens = await signedInTokens();
    sandbox.control.advanceClock(91 * 24 * 60 * 60 * 1000);
    const response = await postForm(`/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`, {
      client_id: SANDBOX_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      scope: SCOPE,
    });
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 400);
    assert.deepEqual(body.error_codes, [700082]);
  });

  test('device code response has the documented fields', async () => {
    const response = await postForm(`/${SANDBOX_TENANT_ID}/oauth2/v2.0/devicecode`, { client_id: SANDBOX_CLIENT_ID, scope: SCOPE });
    const body = JSON.parse(response.body) as Record<string, unknown>;

    assert.equal(response.status, 200);
    assert.match(String(body.user_code), /^[A-Z0-9]{9}$/);
    assert.equal(typeof body.device_code, 'string');
    assert.equal(body.verification_uri, `${sandbox.origin}/devicelogin`);
    assert.equal(body.expires_in, 900);
    assert.equal(body.interval, 1);
    assert.match(String(body.message), new RegExp(String(body.user_code)));
  });

  test('device code with the URN grant after page approval', async () => {
    const issued = JSON.parse(
      (await postForm(`/${SANDBOX_TENANT_ID}/oauth2/v2.0/devicecode`, { client_id: SANDBOX_CLIENT_ID, scope: SCOPE })).body,
    ) as Record<string, string>;
    const poll = (): Promise<SimpleResponse> =>
      postForm(`/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`, {
        client_id: SANDBOX_CLIENT_ID,
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: issued.device_code ?? '',
      });

    const pending = await poll();
    const page = await postForm('/devicelogin', { user_code: (issued.user_code ?? '').toLowerCase() });
    const done = await poll();

    assert.equal(JSON.parse(pending.body).error, 'authorization_pending');
    assert.equal(page.status, 200);
    assert.equal(done.status, 200);
    assert.equal(typeof JSON.parse(done.body).access_token, 'string');
  });

  test('device login page rejects an unknown code', async () => {
    const page = await postForm('/devicelogin', { user_code: 'NOTACODE1' });

    assert.equal(page.status, 400);
  });
});

function decodeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function silentLogger() {
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
  return logger;
}
