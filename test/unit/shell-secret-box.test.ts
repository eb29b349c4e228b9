import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createSafeStorageSecretBox, SecretStoreUnavailableError } from '../../main/shell/secret-box.ts';
import { FakeSafeStorage } from '../fakes/electron/safe-storage.ts';
import { MemoryLog } from '../fakes/logger.ts';

describe('shell secret box', () => {
  it('reports os backend on a keyring', async () => {
    const box = createSafeStorageSecretBox(new FakeSafeStorage({ backend: 'gnome_libsecret' }), 'linux', new MemoryLog().logger);
    assert.equal(await box.backend(), 'os');
  });

  it('reports none for basic_text', async () => {
    const log = new MemoryLog();
    const box = createSafeStorageSecretBox(new FakeSafeStorage({ backend: 'basic_text' }), 'linux', log.logger);

    assert.equal(await box.backend(), 'none');
    assert.match(log.text(), /Secure storage is unavailable/);
  });

  it('reports none before ready on Linux', async () => {
    const box = createSafeStorageSecretBox(new FakeSafeStorage({ backend: 'unknown' }), 'linux', new MemoryLog().logger);
    assert.equal(await box.backend(), 'none');
  });

  it('ignores the Linux backend elsewhere', async () => {
    const box = createSafeStorageSecretBox(new FakeSafeStorage({ backend: 'basic_text' }), 'darwin', new MemoryLog().logger);
    assert.equal(await box.backend(), 'os');
  });

  it('reports none when encryption is unavailable', async () => {
    const box = createSafeStorageSecretBox(new FakeSafeStorage({ available: false }), 'win32', new MemoryLog().logger);
    assert.equal(await box.backend(), 'none');
  });

  it('round-trips through the async API', async () => {
    const storage = new FakeSafeStorage();
    const box = createSafeStorageSecretBox(storage, 'linux', new MemoryLog().logger);

    const sealed = await box.encrypt('{"RefreshToken":{}}');
    const opened = await box.decrypt(sealed);

    assert.equal(opened, '{"RefreshToken":{}}');
    assert.ok(!Buffer.from(sealed).toString('utf8').includes('RefreshToken'));
    assert.ok(storage.calls.includes('encryptStringAsync'));
    assert.ok(storage.calls.includes('decryptStringAsync'));
    assert.ok(!storage.calls.includes('encryptString'));
  });

  it('falls back to the sync API', async () => {
    const storage = new FakeSafeStorage({ syncOnly: true });
    const box = createSafeStorageSecretBox(storage, 'win32', new MemoryLog().logger);

    const opened = await box.decrypt(await box.encrypt('cache'));

    assert.equal(opened, 'cache');
    assert.ok(storage.calls.includes('encryptString'));
    assert.ok(storage.calls.includes('isEncryptionAvailable'));
  });

  it('rejects encrypt on basic_text', async () => {
    const storage = new FakeSafeStorage({ backend: 'basic_text' });
    const box = createSafeStorageSecretBox(storage, 'linux', new MemoryLog().logger);

    await assert.rejects(box.encrypt('secret'), SecretStoreUnavailableError);
    assert.ok(!storage.calls.includes('encryptStringAsync'));
  });

  it('rejects decrypt when unavailable', async () => {
    const box = createSafeStorageSecretBox(new FakeSafeStorage({ available: false }), 'darwin', new MemoryLog().logger);
    await assert.rejects(box.decrypt(new Uint8Array([1, 2, 3])), /Secure storage is unavailable/);
  });

  it('logs a key rotation', async () => {
    const storage = new FakeSafeStorage({ shouldReEncrypt: true });
    const log = new MemoryLog();
    const box = createSafeStorageSecretBox(storage, 'darwin', log.logger);

    await box.decrypt(await box.encrypt('cache'));

    assert.match(log.text(), /rotated the encryption key/);
  });

  it('logs the backend once per change', async () => {
    const storage = new FakeSafeStorage();
    const log = new MemoryLog();
    const box = createSafeStorageSecretBox(storage, 'linux', log.logger);

    await box.backend();
    await box.backend();
    storage.backend = 'basic_text';
    await box.backend();

    assert.equal(log.lines.filter((line) => line.message === 'Secure storage is available').length, 1);
    assert.equal(log.lines.filter((line) => line.message === 'Secure storage is unavailable').length, 1);
  });
});
