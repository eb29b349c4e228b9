/** The sandbox's presence model on its own clock: sessions, fade, expiry, aggregation, lag. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSandboxClock, type SandboxClock } from '../../main/sandbox/clock.ts';
import { PresenceBook } from '../../main/sandbox/graph/presence-book.ts';

const USER = 'd2e8f4a1-7c3b-4a96-8e15-b0c9a6d3f572';
const APP = '6f1c9d2e-4b7a-4e3f-9a85-2d0c7b16e4a9';
const OTHER_APP = '11111111-2222-4333-8444-555555555555';
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

function setup(): { clock: SandboxClock; book: PresenceBook } {
  const clock = createSandboxClock(() => Date.UTC(2026, 11, 4, 9, 0, 0));
  return { clock, book: new PresenceBook(clock) };
}

function shown(book: PresenceBook): string {
  const view = book.read(USER);
  return `${view.availability}/${view.activity}`;
}

describe('sandbox presence book', () => {
  test('no session is Offline/Offline', () => {
    const { book } = setup();

    assert.equal(shown(book), 'Offline/Offline');
  });

  test('session shows its pair', () => {
    const { book } = setup();
    book.setSession(USER, APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);

    assert.equal(shown(book), 'Busy/InACall');
  });

  test('session ends at its expiration', () => {
    const { clock, book } = setup();
    book.setSession(USER, APP, { availability: 'Busy', activity: 'InACall' }, 10 * MINUTE);

    clock.advance(10 * MINUTE - 1);
    const before = shown(book);
    clock.advance(1);

    assert.equal(before, 'Busy/InACall');
    assert.equal(shown(book), 'Offline/Offline');
    assert.equal(book.clearSession(USER, APP), false);
  });

  test('Available fades at five and ten minutes', () => {
    const { clock, book } = setup();
    book.setSession(USER, APP, { availability: 'Available', activity: 'Available' }, 60 * MINUTE);

    clock.advance(5 * MINUTE - 1);
    const fresh = shown(book);
    clock.advance(1);
    const inactive = shown(book);
    clock.advance(5 * MINUTE);
    const away = shown(book);

    assert.equal(fresh, 'Available/Available');
    assert.equal(inactive, 'Available/AvailableInactive');
    assert.equal(away, 'Away/Away');
  });

  test('Teams session does not fade', () => {
    const { clock, book } = setup();
    book.addTeamsSession(USER, { availability: 'Available', activity: 'Available' });

    clock.advance(DAY);

    assert.equal(shown(book), 'Available/Available');
  });

  test('aggregate follows DoNotDisturb > Busy > Available > Away', () => {
    const { book } = setup();
    book.addTeamsSession(USER, { availability: 'Away', activity: 'Away' });
    book.setSession(USER, OTHER_APP, { availability: 'Available', activity: 'Available' }, 60 * MINUTE);
    const available = shown(book);
    book.addTeamsSession(USER, { availability: 'Busy', activity: 'InAMeeting' });
    const busy = shown(book);
    book.setSession(USER, APP, { availability: 'DoNotDisturb', activity: 'Presenting' }, 60 * MINUTE);

    assert.equal(available, 'Available/Available');
    assert.equal(busy, 'Busy/InAMeeting');
    assert.equal(shown(book), 'DoNotDisturb/Presenting');
  });

  test('faded Away loses to a live Available', () => {
    const { clock, book } = setup();
    book.setSession(USER, APP, { availability: 'Available', activity: 'Available' }, 60 * MINUTE);
    clock.advance(10 * MINUTE);
    book.setSession(USER, OTHER_APP, { availability: 'Available', activity: 'Available' }, 60 * MINUTE);

    assert.equal(shown(book), 'Available/Available');
  });

  test('clearing one of two sessions recomputes', () => {
    const { book } = setup();
    book.addTeamsSession(USER, { availability: 'Away', activity: 'Away' });
    book.setSession(USER, APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);

    assert.equal(book.clearSession(USER, APP), true);
    assert.equal(shown(book), 'Away/Away');
  });

  test('preferred presence wins while a session lives', () => {
    const { book } = setup();
    book.setSession(USER, APP, { availability: 'DoNotDisturb', activity: 'Presenting' }, 5 * MINUTE);
    book.setPreferred(USER, { availability: 'Away', activity: 'Away' }, null);

    assert.equal(shown(book), 'Away/Away');
  });

  test('preferred presence without a session is Offline', () => {
    const { book } = setup();
    book.setPreferred(USER, { availability: 'Busy', activity: 'Busy' }, null);

    assert.equal(shown(book), 'Offline/Offline');
  });

  test('preferred default lifetimes are one and seven days', () => {
    const { book } = setup();
    book.setPreferred(USER, { availability: 'DoNotDisturb', activity: 'DoNotDisturb' }, null);
    const dnd = book.snapshot(USER).preferred;
    book.setPreferred(USER, { availability: 'BeRightBack', activity: 'BeRightBack' }, null);
    const brb = book.snapshot(USER).preferred;
    const now = Date.UTC(2026, 11, 4, 9, 0, 0);

    assert.equal(dnd?.expiresAt, now + DAY);
    assert.equal(brb?.expiresAt, now + 7 * DAY);
  });

  test('readback lag counts reads', () => {
    const { book } = setup();
    book.setReadbackDelay({ reads: 1 });
    book.setSession(USER, APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);

    const lagging = shown(book);
    const current = shown(book);

    assert.equal(lagging, 'Offline/Offline');
    assert.equal(current, 'Busy/InACall');
  });

  test('readback lag keeps the state before the first write', () => {
    const { book } = setup();
    book.setReadbackDelay({ reads: 1 });
    book.setSession(USER, APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);
    book.setSession(USER, APP, { availability: 'Away', activity: 'Away' }, 5 * MINUTE);

    assert.equal(shown(book), 'Offline/Offline');
  });

  test('snapshot does not count a lagging read', () => {
    const { book } = setup();
    book.setReadbackDelay({ reads: 1 });
    book.setSession(USER, APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);

    const snapshot = book.snapshot(USER);

    assert.equal(snapshot.availability, 'Busy');
    assert.equal(snapshot.shown.availability, 'Offline');
    assert.equal(shown(book), 'Offline/Offline');
  });

  test('sequence number grows with each write', () => {
    const { book } = setup();
    const first = book.read(USER).sequenceNumber;
    book.setSession(USER, APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);
    const second = book.read(USER).sequenceNumber;

    assert.ok(second > first, `${second} <= ${first}`);
  });

  test('UTC status message expires on the clock', () => {
    const { clock, book } = setup();
    book.setStatusMessage(USER, {
      message: { content: 'Lunch', contentType: 'text' },
      expiryDateTime: { dateTime: '2026-12-04T10:00:00', timeZone: 'UTC' },
      publishedDateTime: '2026-12-04T09:00:00.000Z',
    });

    const during = book.read(USER).statusMessage;
    clock.advance(60 * MINUTE);

    assert.equal(during?.message.content, 'Lunch');
    assert.equal(book.read(USER).statusMessage, null);
  });

  test('user IDs are compared without case', () => {
    const { book } = setup();
    book.setSession(USER.toUpperCase(), APP, { availability: 'Busy', activity: 'InACall' }, 5 * MINUTE);

    assert.equal(shown(book), 'Busy/InACall');
  });
});
