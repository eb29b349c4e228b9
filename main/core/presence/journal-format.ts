/**
 * The journal file format: `{"version":1,"entry":{presenceId,sessionId,expiresAt,intent?}|null,
 * "paused":bool}` as UTF-8 JSON. Parsing never throws. A damaged file is read as well as it can
 * be, and when in doubt the result keeps a pending clear: a clear of a session that no longer
 * exists costs one request that Graph answers with a harmless 404.
 */

import type { JournalEntry, JournalIntent, JournalRecord } from './journal.ts';
import { EMPTY_JOURNAL } from './journal.ts';

/** A valid journal is under 1 KiB; anything this large was not written by the app. */
export const MAX_JOURNAL_BYTES = 64 * 1024;

export interface ParsedJournal {
  record: JournalRecord;
  /** Reason the file counts as damaged, or null when it is valid. */
  damage: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_FIELD = (name: string): RegExp => new RegExp(`"${name}"\\s*:\\s*"([0-9a-fA-F-]{36})"`);
const EXPIRES_AT_FIELD = /"expiresAt"\s*:\s*(\d{10,16})\b/;
const NULL_ENTRY_FIELD = /"entry"\s*:\s*null/;

/** Serializes a record for `BlobFile.write`. */
export function serializeJournal(record: JournalRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record)}\n`);
}

/** Parses the file's bytes; `damage` in the result describes what was wrong with them, if anything. */
export function parseJournal(bytes: Uint8Array): ParsedJournal {
  if (bytes.length === 0) {
    return { record: recordWithUnknownEntry(), damage: 'the file is empty' };
  }

  const oversized = bytes.length > MAX_JOURNAL_BYTES;
  const text = new TextDecoder().decode(oversized ? bytes.subarray(0, MAX_JOURNAL_BYTES) : bytes);
  if (oversized) {
    return { record: salvageFromText(text), damage: `the file is ${bytes.length} bytes, over the ${MAX_JOURNAL_BYTES}-byte limit` };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { record: salvageFromText(text), damage: 'the file is not valid JSON (it may be truncated)' };
  }

  const shapeProblem = describeShapeProblem(value);
  if (shapeProblem !== null) {
    return { record: salvageFromValue(value), damage: shapeProblem };
  }
  return { record: toRecord(value as Record<string, unknown>), damage: null };
}

function isNonEmptyStringOrNull(value: unknown): boolean {
  return value === null || isNonEmptyString(value);
}

function describeShapeProblem(value: unknown): string | null {
  if (!isObject(value)) {
    return 'the file does not contain a JSON object';
  }
  if (value.version !== 1) {
    return `the version is ${JSON.stringify(value.version)}, expected 1`;
  }
  if (typeof value.paused !== 'boolean') {
    return 'the field "paused" is missing or not true/false';
  }
  if (value.entry === null) {
    return null;
  }
  if (!isObject(value.entry)) {
    return 'the field "entry" is neither an object nor null';
  }

  // Null ids and expiry mark an entry recovered from a damaged file, which this code writes
  // itself; the clear then uses the signed-in identity.
  const entry = value.entry;
  if (!isNonEmptyStringOrNull(entry.presenceId) || !isNonEmptyStringOrNull(entry.sessionId)) {
    return 'the entry is missing "presenceId" or "sessionId"';
  }
  if (entry.expiresAt !== null && !isTimestamp(entry.expiresAt)) {
    return 'the entry\'s "expiresAt" is not a timestamp';
  }
  if (entry.intent !== undefined && readIntent(entry.intent) === null) {
    return 'the entry\'s "intent" is not a valid intent';
  }
  return null;
}

function toRecord(value: Record<string, unknown>): JournalRecord {
  const paused = value.paused === true;
  // An unreadable retryNotBefore is dropped: the client then learns the wait from Graph again.
  const retry = isTimestamp(value.retryNotBefore) ? { retryNotBefore: value.retryNotBefore as number } : {};
  if (!isObject(value.entry)) {
    return { version: 1, entry: null, paused, ...retry };
  }

  const source = value.entry;
  const entry: JournalEntry = {
    presenceId: source.presenceId as string | null,
    sessionId: source.sessionId as string | null,
    expiresAt: source.expiresAt as number | null,
  };
  const intent = readIntent(source.intent);
  if (intent !== null) {
    entry.intent = intent;
  }
  return { version: 1, entry, paused, ...retry };
}

function readIntent(value: unknown): JournalIntent | null {
  if (!isObject(value) || !isObject(value.pair)) {
    return null;
  }
  const { availability, activity } = value.pair;
  if (!isNonEmptyString(availability) || !isNonEmptyString(activity)) {
    return null;
  }
  if (value.intentUntil !== null && !isTimestamp(value.intentUntil)) {
    return null;
  }
  return { pair: { availability, activity }, intentUntil: value.intentUntil as number | null };
}

/**
 * Reads what it can from a parsed value of the wrong shape. An intent is never salvaged, so
 * doubtful data cannot re-assert a presence the user no longer wants.
 */
function salvageFromValue(value: unknown): JournalRecord {
  if (!isObject(value)) {
    return recordWithUnknownEntry();
  }
  if (value.entry === null) {
    return { ...EMPTY_JOURNAL };
  }

  const source = isObject(value.entry) ? value.entry : {};
  const entry: JournalEntry = {
    presenceId: isGuid(source.presenceId) ? source.presenceId : null,
    sessionId: isGuid(source.sessionId) ? source.sessionId : null,
    expiresAt: isTimestamp(source.expiresAt) ? source.expiresAt : null,
  };
  return { version: 1, entry, paused: false };
}

/** Reads fields from text that is not JSON, such as a file cut off in the middle. */
function salvageFromText(text: string): JournalRecord {
  const presenceId = GUID_FIELD('presenceId').exec(text)?.[1] ?? null;
  const sessionId = GUID_FIELD('sessionId').exec(text)?.[1] ?? null;
  const expiresText = EXPIRES_AT_FIELD.exec(text)?.[1];

  if (presenceId === null && sessionId === null && expiresText === undefined && NULL_ENTRY_FIELD.test(text)) {
    return { ...EMPTY_JOURNAL };
  }

  const entry: JournalEntry = {
    presenceId: presenceId !== null && isGuid(presenceId) ? presenceId : null,
    sessionId: sessionId !== null && isGuid(sessionId) ? sessionId : null,
    expiresAt: expiresText === undefined ? null : Number(expiresText),
  };
  return { version: 1, entry, paused: false };
}

/** Returns a record whose entry is unknown: a clear is due, with the signed-in identity and no known expiry. */
export function recordWithUnknownEntry(): JournalRecord {
  return { version: 1, entry: { presenceId: null, sessionId: null, expiresAt: null }, paused: false };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
