import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalRecord } from '../../main/core/presence/journal.ts';
import { isEntryExpired } from '../../main/core/presence/journal.ts';
import { MAX_JOURNAL_BYTES, parseJournal, recordWithUnknownEntry, serializeJournal } from '../../main/core/presence/journal-format.ts';

const PRESENCE_ID = '6e9c3f4a-1b2d-4c5e-8f90-123456789abc';
const SESSION_ID = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
const EXPIRES_AT = 1_796_374_800_000;

const VALID: JournalRecord = {
  version: 1,
  entry: {
    presenceId: PRESENCE_ID,
    sessionId: SESSION_ID,
    expiresAt: EXPIRES_AT,
    intent: { pair: { availability: 'Busy', activity: 'InACall' }, intentUntil: null },
  },
  paused: false,
};

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

test('journal round trip', () => {
  const parsed = parseJournal(serializeJournal(VALID));
  assert.equal(parsed.damage, null);
  assert.deepEqual(parsed.record, VALID);
});

test('journal without entry valid', () => {
  const parsed = parseJournal(bytes('{"version":1,"entry":null,"paused":true}'));
  assert.equal(parsed.damage, null);
  assert.deepEqual(parsed.record, { version: 1, entry: null, paused: true });
});

test('journal unknown fields ignored', () => {
  const parsed = parseJournal(bytes('{"version":1,"entry":null,"paused":false,"note":"x"}'));
  assert.equal(parsed.damage, null);
});

test('damaged journal table', () => {
  const full = JSON.stringify(VALID);
  const cases: { name: string; text: string | Uint8Array; entry: JournalRecord['entry'] }[] = [
    { name: 'empty file', text: '', entry: { presenceId: null, sessionId: null, expiresAt: null } },
    {
      name: 'truncated after ids',
      text: full.slice(0, full.indexOf('"intent"')),
      entry: { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: EXPIRES_AT },
    },
    {
      name: 'truncated inside session id',
      text: full.slice(0, full.indexOf(SESSION_ID) + 10),
      entry: { presenceId: PRESENCE_ID, sessionId: null, expiresAt: null },
    },
    { name: 'truncated null entry', text: '{"version":1,"entry":null,"pau', entry: null },
    { name: 'not json', text: 'hello world', entry: { presenceId: null, sessionId: null, expiresAt: null } },
    { name: 'json array', text: '[1,2]', entry: { presenceId: null, sessionId: null, expiresAt: null } },
    {
      name: 'wrong version',
      text: JSON.stringify({ ...VALID, version: 2 }),
      entry: { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: EXPIRES_AT },
    },
    {
      name: 'expiresAt as text',
      text: JSON.stringify({ ...VALID, entry: { ...VALID.entry, expiresAt: 'soon' } }),
      entry: { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: null },
    },
    {
      name: 'bad intent not salvaged',
      text: JSON.stringify({ ...VALID, entry: { ...VALID.entry, intent: { pair: 'Busy' } } }),
      entry: { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: EXPIRES_AT },
    },
    { name: 'paused missing, entry null', text: '{"version":1,"entry":null}', entry: null },
    {
      name: 'entry is a string',
      text: '{"version":1,"entry":"x","paused":false}',
      entry: { presenceId: null, sessionId: null, expiresAt: null },
    },
    {
      name: 'oversized file',
      text: bytes(full + ' '.repeat(MAX_JOURNAL_BYTES)),
      entry: { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: EXPIRES_AT },
    },
  ];

  for (const { name, text, entry } of cases) {
    const parsed = parseJournal(typeof text === 'string' ? bytes(text) : text);
    assert.notEqual(parsed.damage, null, `${name}: damage`);
    assert.deepEqual(parsed.record.entry, entry, `${name}: entry`);
    assert.equal(parsed.record.paused, false, `${name}: paused`);
  }
});

test('damage names the problem', () => {
  assert.match(parseJournal(bytes('')).damage ?? '', /empty/);
  assert.match(parseJournal(bytes('{"version":1,')).damage ?? '', /not valid JSON/);
  assert.match(parseJournal(bytes('{"version":7,"entry":null,"paused":false}')).damage ?? '', /version is 7/);
});

test('entry expiry check', () => {
  const entry = { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: 1000 };
  assert.equal(isEntryExpired(entry, 999), false);
  assert.equal(isEntryExpired(entry, 1000), true);
  assert.equal(isEntryExpired({ ...entry, expiresAt: null }, Number.MAX_SAFE_INTEGER), false);
});

test('recovered entry reads back', () => {
  const bytes = serializeJournal(recordWithUnknownEntry());
  const parsed = parseJournal(bytes);
  assert.equal(parsed.damage, null);
  assert.deepEqual(parsed.record.entry, { presenceId: null, sessionId: null, expiresAt: null });
});

test('retryNotBefore survives a round trip', () => {
  const record: JournalRecord = {
    version: 1,
    entry: { presenceId: null, sessionId: null, expiresAt: 1_796_400_000_000 },
    paused: false,
    retryNotBefore: 1_796_400_600_000,
  };
  const parsed = parseJournal(serializeJournal(record));
  assert.equal(parsed.damage, null);
  assert.equal(parsed.record.retryNotBefore, 1_796_400_600_000);
});

test('unreadable retryNotBefore dropped', () => {
  const text = '{"version":1,"entry":null,"paused":false,"retryNotBefore":"soon"}';
  const parsed = parseJournal(new TextEncoder().encode(text));
  assert.equal(parsed.record.retryNotBefore, undefined);
});
