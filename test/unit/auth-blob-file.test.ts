import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createNodeBlobFile } from '../../main/core/node/blob-file.ts';
import { MemoryLog } from '../fakes/logger.ts';

const POSIX = process.platform !== 'win32';
const QUARANTINE_TIME = Date.UTC(2026, 11, 4, 9, 30, 15);

describe('node blob file', () => {
  let folder = '';

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'presence-tray-blob-'));
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads null when missing', async () => {
    const file = createNodeBlobFile(join(folder, 'missing.bin'));

    assert.equal(await file.read(), null);
  });

  it('writes and reads bytes', async () => {
    const file = createNodeBlobFile(join(folder, 'roundtrip.bin'));

    await file.write(new Uint8Array([1, 2, 3]));

    assert.deepEqual(await file.read(), new Uint8Array([1, 2, 3]));
  });

  it('creates missing folders', async () => {
    const file = createNodeBlobFile(join(folder, 'nested', 'deeper', 'cache.bin'));

    await file.write(new Uint8Array([7]));

    assert.deepEqual(await file.read(), new Uint8Array([7]));
  });

  it('writes mode 0600', { skip: !POSIX && 'POSIX file modes only' }, async () => {
    const path = join(folder, 'mode.bin');

    await createNodeBlobFile(path).write(new Uint8Array([1]));

    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('tightens an existing 0644 file', { skip: !POSIX && 'POSIX file modes only' }, async () => {
    const path = join(folder, 'loose.bin');
    await writeFile(path, 'old', { mode: 0o644 });

    await createNodeBlobFile(path).write(new Uint8Array([2]));

    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('replaces content completely', async () => {
    const path = join(folder, 'replace.bin');
    const file = createNodeBlobFile(path);
    await file.write(new TextEncoder().encode('a much longer first version'));

    await file.write(new TextEncoder().encode('short'));

    assert.equal(await readFile(path, 'utf8'), 'short');
  });

  it('leaves no temporary files', async () => {
    const sub = join(folder, 'temporaries');
    const file = createNodeBlobFile(join(sub, 'cache.bin'));

    await Promise.all([file.write(new Uint8Array([1])), file.write(new Uint8Array([2])), file.write(new Uint8Array([3]))]);

    assert.deepEqual(await readdir(sub), ['cache.bin']);
  });

  it('removes the file', async () => {
    const file = createNodeBlobFile(join(folder, 'remove.bin'));
    await file.write(new Uint8Array([1]));

    await file.remove();

    assert.equal(await file.read(), null);
  });

  it('removes a missing file quietly', async () => {
    await createNodeBlobFile(join(folder, 'never.bin')).remove();
  });

  it('quarantines with a timestamp', async () => {
    const path = join(folder, 'corrupt.bin');
    const log = new MemoryLog();
    const file = createNodeBlobFile(path, { logger: log.logger, nowMs: () => QUARANTINE_TIME });
    await file.write(new TextEncoder().encode('damaged'));

    const moved = await file.quarantine('could not decrypt');

    assert.equal(moved, `${path}.corrupt-20261204T093015Z`);
    assert.equal(await readFile(moved, 'utf8'), 'damaged');
    assert.equal(await file.read(), null);
    assert.match(log.text(), /could not decrypt/);
  });

  it('quarantines twice without overwriting', async () => {
    const path = join(folder, 'twice.bin');
    const file = createNodeBlobFile(path, { nowMs: () => QUARANTINE_TIME });
    await file.write(new TextEncoder().encode('first'));
    const first = await file.quarantine('one');
    await file.write(new TextEncoder().encode('second'));

    const second = await file.quarantine('two');

    assert.notEqual(second, first);
    assert.equal(await readFile(second ?? '', 'utf8'), 'second');
    assert.equal(await readFile(first ?? '', 'utf8'), 'first');
  });

  it('quarantines nothing when missing', async () => {
    const file = createNodeBlobFile(join(folder, 'absent.bin'));

    assert.equal(await file.quarantine('no file'), null);
  });
});
