/**
 * The sandbox's Graph presence endpoints over real HTTPS: URL forms, bodies, pair tables,
 * durations, session semantics on the controllable clock, permissions and error shapes.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  acquireSandboxTokens,
  CONSUMER_TENANT_ID,
  createSandboxClock,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  startSandbox,
  type RunningSandbox,
} from '../../main/sandbox/index.ts';
import { sendRequest, type SimpleResponse } from '../../main/sandbox/http-client.ts';

const OID = SANDBOX_USER.objectId;
const OTHER_USER = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const MINUTE = 60 * 1000;

describe('sandbox Graph presence', () => {
  let sandbox: RunningSandbox;
  let token: string;
  /** Frozen at a fixed instant; only advanceClock moves it. */
  const clock = createSandboxClock(() => Date.UTC(2026, 11, 4, 9, 0, 0));

  before(async () => {
    sandbox = await startSandbox({ clock, logger: silentLogger() });
  });

  after(async () => {
    await sandbox.close();
  });

  beforeEach(async () => {
    sandbox.control.clearFaults();
    sandbox.control.setReadbackDelay({});
    sandbox.control.setSessionIdCheck('app-id');
    token = (await acquireSandboxTokens(sandbox)).accessToken;
    // Each test starts with no session: a clear that finds none returns 404, which is fine here.
    await post(`/v1.0/users/${OID}/presence/clearPresence`, { sessionId: SANDBOX_CLIENT_ID });
    await post(`/v1.0/users/${OID}/presence/clearUserPreferredPresence`);
    sandbox.control.clearRequests();
  });

  function send(method: string, path: string, options: { body?: string; headers?: Record<string, string>; bearer?: string | null } = {}): Promise<SimpleResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.bearer === undefined ? token : options.bearer;
    if (bearer !== null) {
      headers.authorization = `Bearer ${bearer}`;
    }
    return sendRequest(`${sandbox.graphBaseUrl}${path}`, { method, headers, body: options.body, ca: sandbox.caPem });
  }

  function post(path: string, body?: unknown, bearer?: string | null): Promise<SimpleResponse> {
    return send('POST', path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      bearer,
    });
  }

  function setPresence(fields: Record<string, unknown>, path = `/v1.0/users/${OID}/presence/setPresence`): Promise<SimpleResponse> {
    return post(path, { sessionId: SANDBOX_CLIENT_ID, ...fields });
  }

  async function readPresence(path = `/v1.0/users/${OID}/presence`): Promise<Record<string, unknown>> {
    const response = await send('GET', path);
    assert.equal(response.status, 200, response.body);
    return JSON.parse(response.body) as Record<string, unknown>;
  }

  function errorOf(response: SimpleResponse): { code: string; message: string; innerError: Record<string, string> } {
    return (JSON.parse(response.body) as { error: { code: string; message: string; innerError: Record<string, string> } }).error;
  }

  test('setPresence answers 200 with an empty body', async () => {
    const response = await setPresence({ availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' });

    assert.equal(response.status, 200);
    assert.equal(response.body, '');
  });

  test('setPresence changes the presence', async () => {
    await setPresence({ availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' });
    const presence = await readPresence();

    assert.equal(presence.availability, 'Busy');
    assert.equal(presence.activity, 'InACall');
    assert.equal(presence.id, OID);
  });

  test('presence read has the @odata.context', async () => {
    const presence = await readPresence();

    assert.equal(presence['@odata.context'], `${sandbox.origin}/v1.0/$metadata#users('${OID}')/presence/$entity`);
  });

  test('clearing the only session shows Offline', async () => {
    await setPresence({ availability: 'Available', activity: 'Available' });
    const cleared = await post(`/v1.0/users/${OID}/presence/clearPresence`, { sessionId: SANDBOX_CLIENT_ID });
    const presence = await readPresence();

    assert.equal(cleared.status, 200);
    assert.equal(presence.availability, 'Offline');
    assert.equal(presence.activity, 'Offline');
  });

  test('clearPresence without a session is 404', async () => {
    const response = await post(`/v1.0/users/${OID}/presence/clearPresence`, { sessionId: SANDBOX_CLIENT_ID });

    assert.equal(response.status, 404);
    assert.equal(errorOf(response).code, 'NotFound');
  });

  test('every setPresence pair is accepted', async () => {
    const pairs = [
      ['Available', 'Available'],
      ['Busy', 'InACall'],
      ['Busy', 'InAConferenceCall'],
      ['Away', 'Away'],
      ['DoNotDisturb', 'Presenting'],
    ];
    for (const [availability, activity] of pairs) {
      const response = await setPresence({ availability, activity, expirationDuration: 'PT10M' });
      assert.equal(response.status, 200, `${availability}/${activity}: ${response.body}`);
    }
  });

  test('Busy/Busy is rejected by setPresence', async () => {
    const response = await setPresence({ availability: 'Busy', activity: 'Busy' });

    assert.equal(response.status, 400);
    assert.match(errorOf(response).message, /Busy\/InACall/);
  });

  test('preferred-only pairs are rejected by setPresence', async () => {
    for (const [availability, activity] of [['BeRightBack', 'BeRightBack'], ['Offline', 'OffWork'], ['Busy', 'InAMeeting']]) {
      const response = await setPresence({ availability, activity });
      assert.equal(response.status, 400, `${availability}/${activity}`);
    }
  });

  test('Busy/Busy is accepted as preferred presence', async () => {
    await setPresence({ availability: 'Available', activity: 'Available' });
    const response = await post(`/v1.0/users/${OID}/presence/setUserPreferredPresence`, { availability: 'Busy', activity: 'Busy' });

    assert.equal(response.status, 200);
  });

  test('setPresence pair rejected by preferred table', async () => {
    const response = await post(`/v1.0/users/${OID}/presence/setUserPreferredPresence`, { availability: 'Busy', activity: 'InACall' });

    assert.equal(response.status, 400);
  });

  test('expirationDuration range is PT5M to PT4H', async () => {
    const cases: [string, number][] = [
      ['PT4M59S', 400],
      ['PT5M', 200],
      ['PT1H30M', 200],
      ['PT4H', 200],
      ['PT4H1M', 400],
      ['P1D', 400],
      ['5 minutes', 400],
      ['PT', 400],
    ];
    for (const [duration, status] of cases) {
      const response = await setPresence({ availability: 'Busy', activity: 'InACall', expirationDuration: duration });
      assert.equal(response.status, status, `${duration}: ${response.body}`);
    }
  });

  test('session expires after the default five minutes', async () => {
    await setPresence({ availability: 'Busy', activity: 'InACall' });
    sandbox.control.advanceClock(5 * MINUTE);

    const presence = await readPresence();
    const clear = await post(`/v1.0/users/${OID}/presence/clearPresence`, { sessionId: SANDBOX_CLIENT_ID });

    assert.equal(presence.availability, 'Offline');
    assert.equal(clear.status, 404);
  });

  test('session lasts its expirationDuration', async () => {
    await setPresence({ availability: 'Busy', activity: 'InACall', expirationDuration: 'PT30M' });

    sandbox.control.advanceClock(29 * MINUTE);
    const before30 = await readPresence();
    sandbox.control.advanceClock(1 * MINUTE);
    const at30 = await readPresence();

    assert.equal(before30.availability, 'Busy');
    assert.equal(at30.availability, 'Offline');
  });

  test('Available fades to inactive then Away', async () => {
    await setPresence({ availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });

    sandbox.control.advanceClock(5 * MINUTE);
    const inactive = await readPresence();
    sandbox.control.advanceClock(5 * MINUTE);
    const away = await readPresence();

    assert.deepEqual([inactive.availability, inactive.activity], ['Available', 'AvailableInactive']);
    assert.deepEqual([away.availability, away.activity], ['Away', 'Away']);
  });

  test('refresh restarts the Available fade', async () => {
    await setPresence({ availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
    sandbox.control.advanceClock(4 * MINUTE);
    await setPresence({ availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
    sandbox.control.advanceClock(4 * MINUTE);

    const presence = await readPresence();

    assert.equal(presence.activity, 'Available');
  });

  test('Busy does not fade', async () => {
    await setPresence({ availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' });
    sandbox.control.advanceClock(20 * MINUTE);

    assert.equal((await readPresence()).availability, 'Busy');
  });

  test('preferred presence wins over the session', async () => {
    await setPresence({ availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
    sandbox.control.setPreferredPresence(OID, { availability: 'DoNotDisturb', activity: 'DoNotDisturb' });

    const presence = await readPresence();

    assert.deepEqual([presence.availability, presence.activity], ['DoNotDisturb', 'DoNotDisturb']);
  });

  test('preferred presence needs a live session', async () => {
    await post(`/v1.0/users/${OID}/presence/setUserPreferredPresence`, { availability: 'Busy', activity: 'Busy' });

    assert.equal((await readPresence()).availability, 'Offline');
  });

  test('preferred Busy expires after one day', async () => {
    sandbox.control.addTeamsSession(OID, { availability: 'Available', activity: 'Available' });
    await post(`/v1.0/users/${OID}/presence/setUserPreferredPresence`, { availability: 'Busy', activity: 'Busy' });
    try {
      // The access token ends long before a day passes, so read through the control API.
      sandbox.control.advanceClock(24 * 60 * MINUTE - 1);
      const during = sandbox.control.presenceOf(OID);
      sandbox.control.advanceClock(1);
      const afterDay = sandbox.control.presenceOf(OID);

      assert.equal(during.activity, 'Busy');
      assert.equal(afterDay.activity, 'Available');
    } finally {
      removeTeamsSessions(sandbox);
    }
  });

  test('clearUserPreferredPresence restores the aggregate', async () => {
    await setPresence({ availability: 'Away', activity: 'Away', expirationDuration: 'PT1H' });
    await post(`/v1.0/users/${OID}/presence/setUserPreferredPresence`, { availability: 'BeRightBack', activity: 'BeRightBack' });
    const withPreferred = await readPresence();
    const cleared = await post(`/v1.0/users/${OID}/presence/clearUserPreferredPresence`);
    const withoutPreferred = await readPresence();

    assert.equal(withPreferred.availability, 'BeRightBack');
    assert.equal(cleared.status, 200);
    assert.equal(withoutPreferred.availability, 'Away');
  });

  test('aggregate ranks DoNotDisturb over Busy over Available', async () => {
    sandbox.control.addTeamsSession(OID, { availability: 'Busy', activity: 'InAMeeting' });
    try {
      await setPresence({ availability: 'Available', activity: 'Available', expirationDuration: 'PT1H' });
      const busy = await readPresence();
      await setPresence({ availability: 'DoNotDisturb', activity: 'Presenting', expirationDuration: 'PT1H' });
      const presenting = await readPresence();

      assert.equal(busy.activity, 'InAMeeting');
      assert.equal(presenting.activity, 'Presenting');
    } finally {
      removeTeamsSessions(sandbox);
    }
  });

  test('clearing the app session keeps the Teams session', async () => {
    sandbox.control.addTeamsSession(OID, { availability: 'Away', activity: 'Away' });
    try {
      await setPresence({ availability: 'Busy', activity: 'InACall' });
      await post(`/v1.0/users/${OID}/presence/clearPresence`, { sessionId: SANDBOX_CLIENT_ID });

      assert.equal((await readPresence()).availability, 'Away');
    } finally {
      removeTeamsSessions(sandbox);
    }
  });

  test('every URL form and version reaches one session', async () => {
    const bases = [`/me/presence`, `/users/${OID}/presence`, `/users/${SANDBOX_USER.username}/presence`, `/communications/presences/${OID}`];
    for (const version of ['v1.0', 'beta']) {
      for (const base of bases) {
        for (const action of ['setPresence', 'microsoft.graph.setPresence']) {
          const path = `/${version}${base}/${action}`;
          const set = await setPresence({ availability: 'Busy', activity: 'InAConferenceCall', expirationDuration: 'PT10M' }, path);
          const read = await readPresence(`/${version}${base}`);
          const cleared = await post(`/${version}${base}/${action.replace('setPresence', 'clearPresence')}`, { sessionId: SANDBOX_CLIENT_ID });
          assert.equal(set.status, 200, `${path}: ${set.body}`);
          assert.equal(read.activity, 'InAConferenceCall', path);
          assert.equal(cleared.status, 200, path);
        }
      }
    }
  });

  test('error body and headers have the Graph shape', async () => {
    const response = await send('POST', `/v1.0/users/${OID}/presence/clearPresence`, {
      body: JSON.stringify({ sessionId: SANDBOX_CLIENT_ID }),
      headers: { 'content-type': 'application/json', 'client-request-id': 'c1d2e3f4-0000-4000-8000-000000000001' },
    });
    const error = errorOf(response);

    assert.equal(response.status, 404);
    assert.match(response.headers['request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(response.headers['client-request-id'], 'c1d2e3f4-0000-4000-8000-000000000001');
    assert.equal(typeof response.headers['x-ms-ags-diagnostic'], 'string');
    assert.equal(typeof response.headers.date, 'string');
    assert.equal(typeof error.message, 'string');
    assert.equal(error.innerError['request-id'], response.headers['request-id']);
    assert.equal(error.innerError['client-request-id'], 'c1d2e3f4-0000-4000-8000-000000000001');
    assert.match(error.innerError.date ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  test('success generates a client-request-id', async () => {
    const response = await send('GET', `/v1.0/me/presence`);

    assert.equal(response.headers['client-request-id'], response.headers['request-id']);
  });

  test('missing token is 401 InvalidAuthenticationToken', async () => {
    const response = await post(`/v1.0/me/presence/setPresence`, { sessionId: SANDBOX_CLIENT_ID }, null);

    assert.equal(response.status, 401);
    assert.equal(errorOf(response).code, 'InvalidAuthenticationToken');
    assert.equal(sandbox.control.presenceOf(OID).sessions.length, 0);
  });

  test('tampered token is 401', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, oid: OTHER_USER })).toString('base64url')}.${signature}`;

    const response = await send('GET', '/v1.0/me/presence', { bearer: forged });

    assert.equal(response.status, 401);
  });

  test('expired token is 401', async () => {
    sandbox.control.advanceClock(65 * MINUTE + 1);
    const response = await send('GET', '/v1.0/me/presence');

    assert.equal(response.status, 401);
    assert.match(errorOf(response).message, /expired/);
  });

  test('token without Presence.ReadWrite is 403', async () => {
    const readOnly = (await acquireSandboxTokens(sandbox, { scopes: ['User.Read', 'openid'] })).accessToken;
    const response = await post(`/v1.0/me/presence/setPresence`, { sessionId: SANDBOX_CLIENT_ID, availability: 'Available', activity: 'Available' }, readOnly);

    assert.equal(response.status, 403);
    assert.equal(errorOf(response).code, 'Forbidden');
  });

  test('writing another user presence is 403', async () => {
    const response = await setPresence({ availability: 'Busy', activity: 'InACall' }, `/v1.0/users/${OTHER_USER}/presence/setPresence`);

    assert.equal(response.status, 403);
    assert.match(errorOf(response).message, /another user/);
    assert.equal(sandbox.control.presenceOf(OTHER_USER).sessions.length, 0);
  });

  test('reading another user needs Presence.Read.All', async () => {
    const response = await send('GET', `/v1.0/users/${OTHER_USER}/presence`);

    assert.equal(response.status, 403);
  });

  test('personal account token is 403', async () => {
    sandbox.control.setUser({ tenantId: CONSUMER_TENANT_ID });
    try {
      const personal = (await acquireSandboxTokens(sandbox)).accessToken;
      const response = await send('GET', '/v1.0/me/presence', { bearer: personal });

      assert.equal(response.status, 403);
      assert.match(errorOf(response).message, /personal Microsoft accounts/);
    } finally {
      sandbox.control.setUser({ tenantId: SANDBOX_TENANT_ID });
    }
  });

  test('sessionId must be the app ID', async () => {
    const response = await setPresence({ sessionId: OTHER_USER, availability: 'Busy', activity: 'InACall' });

    assert.equal(response.status, 400);
    assert.match(errorOf(response).message, /sessionId/);
  });

  test('sessionId is required', async () => {
    const response = await post(`/v1.0/me/presence/setPresence`, { availability: 'Busy', activity: 'InACall' });

    assert.equal(response.status, 400);
  });

  test('sessionId check off accepts a missing sessionId', async () => {
    sandbox.control.setSessionIdCheck('off');
    const response = await post(`/v1.0/me/presence/setPresence`, { availability: 'Busy', activity: 'InACall' });

    assert.equal(response.status, 200);
    assert.equal(sandbox.control.presenceOf(OID).sessions[0]?.id, SANDBOX_CLIENT_ID);
  });

  test('non-JSON Content-Type is 415', async () => {
    const response = await send('POST', `/v1.0/me/presence/setPresence`, {
      body: JSON.stringify({ sessionId: SANDBOX_CLIENT_ID, availability: 'Busy', activity: 'InACall' }),
      headers: { 'content-type': 'text/plain' },
    });

    assert.equal(response.status, 415);
  });

  test('malformed JSON is 400', async () => {
    const response = await send('POST', `/v1.0/me/presence/setPresence`, { body: '{"sessionId":', headers: { 'content-type': 'application/json' } });

    assert.equal(response.status, 400);
  });

  test('unknown body parameter is 400', async () => {
    const response = await setPresence({ availability: 'Busy', activity: 'InACall', mood: 'great' });

    assert.equal(response.status, 400);
    assert.match(errorOf(response).message, /'mood'/);
  });

  test('unknown segment is 400', async () => {
    const response = await send('GET', `/v1.0/me/presense`);

    assert.equal(response.status, 400);
    assert.match(errorOf(response).message, /presense/);
  });

  test('PATCH on presence is 405', async () => {
    const response = await send('PATCH', `/v1.0/me/presence`, { body: '{}', headers: { 'content-type': 'application/json' } });

    assert.equal(response.status, 405);
  });

  test('readback delay holds the old state for two reads', async () => {
    sandbox.control.setReadbackDelay({ reads: 2 });
    await setPresence({ availability: 'Busy', activity: 'InACall' });

    const first = await readPresence();
    const second = await readPresence();
    const third = await readPresence();

    assert.equal(first.availability, 'Offline');
    assert.equal(second.availability, 'Offline');
    assert.equal(third.availability, 'Busy');
  });

  test('readback delay by time ends on the clock', async () => {
    sandbox.control.setReadbackDelay({ ms: 2 * MINUTE });
    await setPresence({ availability: 'Busy', activity: 'InACall' });

    const early = await readPresence();
    sandbox.control.advanceClock(2 * MINUTE);
    const late = await readPresence();

    assert.equal(early.availability, 'Offline');
    assert.equal(late.availability, 'Busy');
    assert.equal(sandbox.control.presenceOf(OID).availability, 'Busy');
  });

  test('getPresencesByUserId returns each ID', async () => {
    const readAll = (await acquireSandboxTokens(sandbox, { scopes: ['Presence.Read.All', 'Presence.ReadWrite'] })).accessToken;
    const response = await post('/v1.0/communications/getPresencesByUserId', { ids: [OID, OTHER_USER] }, readAll);
    const body = JSON.parse(response.body) as { value: { id: string }[] };

    assert.equal(response.status, 200);
    assert.deepEqual(body.value.map((presence) => presence.id), [OID, OTHER_USER]);
  });

  test('getPresencesByUserId rejects 651 IDs', async () => {
    const readAll = (await acquireSandboxTokens(sandbox, { scopes: ['Presence.Read.All'] })).accessToken;
    const ids = Array.from({ length: 651 }, () => OTHER_USER);
    const response = await post('/v1.0/communications/getPresencesByUserId', { ids }, readAll);

    assert.equal(response.status, 400);
    assert.match(errorOf(response).message, /650/);
  });

  test('setStatusMessage shows in the presence', async () => {
    const response = await post(`/v1.0/me/presence/setStatusMessage`, {
      statusMessage: { message: { content: 'Heads down', contentType: 'text' }, expiryDateTime: { dateTime: '2036-12-04T17:00:00', timeZone: 'UTC' } },
    });
    const presence = await readPresence();

    assert.equal(response.status, 200);
    assert.deepEqual((presence.statusMessage as { message: unknown }).message, { content: 'Heads down', contentType: 'text' });
  });

  test('status message expiry with an offset is 400', async () => {
    const response = await post(`/v1.0/me/presence/setStatusMessage`, {
      statusMessage: { message: { content: 'x', contentType: 'text' }, expiryDateTime: { dateTime: '2026-12-04T17:00:00Z', timeZone: 'UTC' } },
    });

    assert.equal(response.status, 400);
  });

  test('$select keeps only the named properties', async () => {
    const presence = await readPresence(`/v1.0/me/presence?$select=availability`);

    assert.deepEqual(Object.keys(presence).sort(), ['@odata.context', 'availability', 'id']);
  });
});

function removeTeamsSessions(sandbox: RunningSandbox): void {
  for (const session of sandbox.control.presenceOf(OID).sessions) {
    if (session.kind === 'teams') {
      sandbox.control.removeTeamsSession(OID, session.id);
    }
  }
}

function silentLogger() {
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => logger };
  return logger;
}
