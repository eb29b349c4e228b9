import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeBlobFile } from '../../main/core/node/blob-file.ts';
import { createJournalStore } from '../../main/core/node/journal-store.ts';
import type { JournalRecord } from '../../main/core/presence/journal.ts';
import { MemoryLog } from '../fakes/logger.ts';

const PRESENCE_ID = '6e9c3f4a-1b2d-4c5e-8f90-123456789abc';
const SESSION_ID = 'a1b2c3d4-e5f6-4789-8abc-def012345678';

const OPEN: JournalRecord = {
  version: 1,
  entry: { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: 1_796_374_800_000 },
  paused: false,
};

async function withFolder(body: (folder: string) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'pt-journal-'));
  try {
    await body(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function storeAt(path: string, log = new MemoryLog()) {
  return createJournalStore({ file: createNodeBlobFile(path), logger: log.logger });
}

test('missing journal reads empty', async () => {
  await withFolder(async (folder) => {
    const record = await storeAt(join(folder, 'presence-journal.json')).read();
    assert.deepEqual(record, { version: 1, entry: null, paused: false });
  });
});

test('journal survives a new store', async () => {
  await withFolder(async (folder) => {
    const path = join(folder, 'presence-journal.json');
    await storeAt(path).write(OPEN);
    assert.deepEqual(await storeAt(path).read(), OPEN);
  });
});

test('journal file is JSON', async () => {
  await withFolder(async (folder) => {
    const path = join(folder, 'presence-journal.json');
    await storeAt(path).write(OPEN);
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), OPEN);
  });
});

test('read returns a copy', async () => {
  await withFolder(async (folder) => {
    const store = storeAt(join(folder, 'presence-journal.json'));
    await store.write(OPEN);
    const first = await store.read();
    first.paused = true;
    assert.equal((await store.read()).paused, false);
  });
});

test('concurrent writes keep the last', async () => {
  await withFolder(async (folder) => {
    const path = join(folder, 'presence-journal.json');
    const store = storeAt(path);
    const writes = [];
    for (let index = 0; index < 10; index += 1) {
      writes.push(store.write({ ...OPEN, entry: { ...OPEN.entry!, expiresAt: 1_796_374_800_000 + index } }));
    }
    await Promise.all(writes);
    const onDisk = JSON.parse(await readFile(path, 'utf8')) as JournalRecord;
    assert.equal(onDisk.entry?.expiresAt, 1_796_374_800_009);
  });
});

test('truncated journal quarantined', async () => {
  await withFolder(async (folder) => {
    const path = join(folder, 'presence-journal.json');
    const text = JSON.stringify(OPEN);
    await writeFile(path, text.slice(0, text.indexOf('"expiresAt"')));
    const log = new MemoryLog();

    const record = await storeAt(path, log).read();

    assert.deepEqual(record.entry, { presenceId: PRESENCE_ID, sessionId: SESSION_ID, expiresAt: null });
    const names = await readdir(folder);
    assert.ok(names.some((name) => name.startsWith('presence-journal.json.corrupt-')), names.join(','));
    const warning = log.lines.find((line) => line.level === 'warn' && line.message.includes('damaged'));
    assert.ok(warning, log.text());
    assert.equal(warning.fields.path, path);
    assert.match(String(warning.fields.keptAt), /presence-journal\.json\.corrupt-/);
  });
});

test('recovered journal written back', async () => {
  await withFolder(async (folder) => {
    const path = join(folder, 'presence-journal.json');
    await writeFile(path, '');
    await storeAt(path).read();
    const rewritten = JSON.parse(await readFile(path, 'utf8')) as JournalRecord;
    assert.deepEqual(rewritten.entry, { presenceId: null, sessionId: null, expiresAt: null });
  });
});

test('garbage journal means clear due', async () => {
  await withFolder(async (folder) => {
    const path = join(folder, 'presence-journal.json');
    await writeFile(path, '\u0000\u0001binary');
    const record = await storeAt(path).read();
    assert.notEqual(record.entry, null);
  });
});

test('unreadable journal means clear due', async () => {
  await withFolder(async (folder) => {
    // A folder where the file should be makes the read fail with EISDIR.
    const path = join(folder, 'presence-journal.json');
    await mkdir(path);
    const log = new MemoryLog();
    const record = await storeAt(path, log).read();
    assert.deepEqual(record.entry, { presenceId: null, sessionId: null, expiresAt: null });
    assert.ok(log.lines.some((line) => line.level === 'error'), log.text());
  });
});
