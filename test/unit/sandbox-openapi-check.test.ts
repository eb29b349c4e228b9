/** The OpenAPI check of logged Graph requests against the shared presence subset. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OpenApiSpecMissingError, validateRequestAgainstOpenApi } from '../../main/sandbox/openapi-check.ts';

const OID = 'd2e8f4a1-7c3b-4a96-8e15-b0c9a6d3f572';
const APP = '6f1c9d2e-4b7a-4e3f-9a85-2d0c7b16e4a9';
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('sandbox OpenAPI check', () => {
  test('valid setPresence passes', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: `/v1.0/users/${OID}/presence/setPresence`,
      headers: JSON_HEADERS,
      body: { sessionId: APP, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT15M' },
    });

    assert.deepEqual(result.problems, []);
    assert.equal(result.valid, true);
    assert.equal(result.template, '/v1.0/users/{user-id}/presence/setPresence');
    assert.equal(result.operationId, 'users.presence.setPresence');
  });

  test('qualified action matches the short template', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: `/beta/communications/presences/${OID}/microsoft.graph.clearPresence`,
      headers: JSON_HEADERS,
      body: { sessionId: APP },
    });

    assert.equal(result.valid, true, result.problems.join(' | '));
    assert.equal(result.template, '/beta/communications/presences/{presence-id}/clearPresence');
  });

  test('missing documented parameter fails', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/setPresence',
      headers: JSON_HEADERS,
      body: { availability: 'Busy', activity: 'InACall' },
    });

    assert.equal(result.valid, false);
    assert.ok(result.problems.some((problem) => problem.includes('sessionId')), result.problems.join(' | '));
  });

  test('wrong type fails', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/setPresence',
      headers: JSON_HEADERS,
      body: { sessionId: APP, availability: 1, activity: 'InACall' },
    });

    assert.ok(result.problems.some((problem) => problem.startsWith('body.availability')), result.problems.join(' | '));
  });

  test('duration outside the pattern fails', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/setPresence',
      headers: JSON_HEADERS,
      body: { sessionId: APP, availability: 'Busy', activity: 'InACall', expirationDuration: '15 minutes' },
    });

    assert.ok(result.problems.some((problem) => problem.startsWith('body.expirationDuration')), result.problems.join(' | '));
  });

  test('undeclared body parameter fails', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/clearPresence',
      headers: JSON_HEADERS,
      body: { sessionId: APP, force: true },
    });

    assert.ok(result.problems.some((problem) => problem.includes("'force'")), result.problems.join(' | '));
  });

  test('missing required body fails', () => {
    const result = validateRequestAgainstOpenApi({ method: 'POST', path: '/v1.0/me/presence/setPresence', headers: {}, body: null });

    assert.ok(result.problems.some((problem) => problem.includes('requires a JSON request body')), result.problems.join(' | '));
  });

  test('body on a bodiless action fails', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/clearUserPreferredPresence',
      headers: JSON_HEADERS,
      body: { availability: 'Busy' },
    });

    assert.equal(result.valid, false);
  });

  test('empty object on a bodiless action passes', () => {
    const result = validateRequestAgainstOpenApi({ method: 'POST', path: '/v1.0/me/presence/clearUserPreferredPresence', headers: JSON_HEADERS, body: {} });

    assert.equal(result.valid, true, result.problems.join(' | '));
  });

  test('wrong Content-Type fails', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/clearPresence',
      headers: { 'content-type': 'text/plain' },
      body: { sessionId: APP },
    });

    assert.ok(result.problems.some((problem) => problem.startsWith('Content-Type')), result.problems.join(' | '));
  });

  test('unknown path fails', () => {
    const result = validateRequestAgainstOpenApi({ method: 'GET', path: '/v1.0/me/presense' });

    assert.equal(result.template, null);
    assert.equal(result.valid, false);
  });

  test('undeclared method fails', () => {
    const result = validateRequestAgainstOpenApi({ method: 'PUT', path: '/v1.0/me/presence' });

    assert.match(result.problems[0] ?? '', /no PUT operation/);
  });

  test('undeclared $ query option fails', () => {
    const result = validateRequestAgainstOpenApi({ method: 'GET', path: '/v1.0/me/presence', query: { $filter: "id eq 'x'" } });

    assert.match(result.problems[0] ?? '', /\$filter/);
  });

  test('$select on GET passes', () => {
    const result = validateRequestAgainstOpenApi({ method: 'GET', path: `/beta/users/${OID}/presence`, query: { $select: 'availability' } });

    assert.equal(result.valid, true, result.problems.join(' | '));
  });

  test('identity path is not Graph', () => {
    const result = validateRequestAgainstOpenApi({ method: 'POST', path: '/common/oauth2/v2.0/token' });

    assert.match(result.problems[0] ?? '', /not a Graph path/);
  });

  test('status message body passes', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/setStatusMessage',
      headers: JSON_HEADERS,
      body: { statusMessage: { message: { content: 'Out', contentType: 'text' }, expiryDateTime: { dateTime: '2026-12-04T17:00:00', timeZone: 'UTC' } } },
    });

    assert.equal(result.valid, true, result.problems.join(' | '));
  });

  test('status message with a bad contentType fails', () => {
    const result = validateRequestAgainstOpenApi({
      method: 'POST',
      path: '/v1.0/me/presence/setStatusMessage',
      headers: JSON_HEADERS,
      body: { statusMessage: { message: { content: 'Out', contentType: 'markdown' } } },
    });

    assert.equal(result.valid, false);
  });

  test('missing spec file is reported', () => {
    assert.throws(
      () => validateRequestAgainstOpenApi({ method: 'GET', path: '/v1.0/me/presence' }, '/nonexistent/presence-openapi.json'),
      (error: unknown) => error instanceof OpenApiSpecMissingError && /\.\.\/shared\/graph\/presence-openapi\.json/.test(error.message),
    );
  });
});
