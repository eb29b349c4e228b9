import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TokenCacheContext, type ISerializableTokenCache } from '@azure/msal-node';

import { createTokenCacheStorage } from '../../main/core/auth/cache-plugin.ts';
import { MemoryBlobFile } from '../fakes/blob-file.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { FakeSecretBox, isFakeCiphertext } from '../fakes/secret-box.ts';

/** A serialized cache shaped like MSAL's, with a refresh token that must never be stored in clear. */
const SERIALIZED = JSON.stringify({
  Account: { 'uid.utid-127.0.0.1-utid': { username: 'adele@contoso.onmicrosoft.com' } },
  IdToken: {},
  AccessToken: {},
  RefreshToken: { 'rt-key': { secret: 'refresh-token-secret-value' } },
  AppMetadata: {},
});

/** MSAL's side of the plugin contract: what it would deserialize and serialize. */
class RecordingTokenCache implements ISerializableTokenCache {
  loaded: string[] = [];

  constructor(private current = '') {}

  deserialize(cache: string): void {
    this.loaded.push(cache);
    this.current = cache;
  }

  serialize(): string {
    return this.current;
  }
}

async function storageWith(options: { backend?: 'os' | 'none'; allowPlaintext?: boolean } = {}) {
  const secretBox = new FakeSecretBox(options.backend ?? 'os');
  const file = new MemoryBlobFile();
  const log = new MemoryLog();
  const storage = await createTokenCacheStorage({ secretBox, file, allowPlaintext: options.allowPlaintext ?? false, logger: log.logger });
  return { secretBox, file, log, storage };
}

describe('createTokenCacheStorage', () => {
  it('picks encrypted-file with an OS store', async () => {
    const { storage } = await storageWith({ backend: 'os' });

    assert.equal(storage.mode, 'encrypted-file');
    assert.equal(storage.secureStorageUnavailable, false);
    assert.equal(storage.path, '/fake/token-cache.bin');
  });

  it('picks memory without an OS store', async () => {
    const { storage, log } = await storageWith({ backend: 'none' });

    assert.equal(storage.mode, 'memory');
    assert.equal(storage.path, null);
    assert.equal(storage.secureStorageUnavailable, true);
    assert.match(log.text(), /secure storage unavailable/);
  });

  it('picks plaintext only when accepted', async () => {
    const { storage, log } = await storageWith({ backend: 'none', allowPlaintext: true });

    assert.equal(storage.mode, 'plaintext-file');
    assert.equal(storage.secureStorageUnavailable, true);
    assert.match(log.text(), /WARN .*plaintext file readable only by this user/);
  });

  it('ignores plaintext consent with an OS store', async () => {
    const { storage } = await storageWith({ backend: 'os', allowPlaintext: true });

    assert.equal(storage.mode, 'encrypted-file');
  });
});

describe('token cache plugin', () => {
  it('writes ciphertext in encrypted mode', async () => {
    const { storage, file } = await storageWith();

    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));

    assert.ok(file.data !== null);
    assert.ok(isFakeCiphertext(file.data));
    assert.doesNotMatch(Buffer.from(file.data).toString('latin1'), /refresh-token-secret-value/);
  });

  it('reads back what it wrote', async () => {
    const { storage } = await storageWith();
    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));
    const reader = new RecordingTokenCache();

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(reader, false));

    assert.deepEqual(reader.loaded, [SERIALIZED]);
  });

  it('writes nothing when unchanged', async () => {
    const { storage, file, secretBox } = await storageWith();

    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), false));

    assert.equal(file.writes, 0);
    assert.equal(secretBox.encryptCalls, 0);
  });

  it('starts empty without a file', async () => {
    const { storage } = await storageWith();
    const reader = new RecordingTokenCache();

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(reader, false));

    assert.deepEqual(reader.loaded, []);
  });

  it('skips decrypting its own write', async () => {
    const { storage, secretBox } = await storageWith();
    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(new RecordingTokenCache(), false));
    await storage.plugin.beforeCacheAccess(new TokenCacheContext(new RecordingTokenCache(), false));

    assert.equal(secretBox.decryptCalls, 0);
  });

  it('decrypts a file written by another process', async () => {
    const { storage, file, secretBox } = await storageWith();
    file.data = await new FakeSecretBox().encrypt(SERIALIZED);
    const reader = new RecordingTokenCache();

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(reader, false));

    assert.equal(secretBox.decryptCalls, 1);
    assert.deepEqual(reader.loaded, [SERIALIZED]);
  });

  it('quarantines an undecryptable file', async () => {
    const { storage, file, secretBox, log } = await storageWith();
    file.data = await secretBox.encrypt(SERIALIZED);
    secretBox.failDecrypt = true;
    const reader = new RecordingTokenCache();

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(reader, false));

    assert.deepEqual(reader.loaded, []);
    assert.equal(file.data, null);
    assert.equal(file.quarantined.length, 1);
    assert.match(file.quarantined[0]?.reason ?? '', /key that encrypted this data/);
    assert.match(log.text(), /moved it aside, sign-in is needed/);
  });

  it('quarantines a plaintext file in encrypted mode', async () => {
    const { storage, file } = await storageWith();
    file.data = new TextEncoder().encode(SERIALIZED);

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(new RecordingTokenCache(), false));

    assert.equal(file.quarantined.length, 1);
  });

  it('quarantines non-JSON content', async () => {
    const { storage, file } = await storageWith();
    file.data = await new FakeSecretBox().encrypt('{"Account": {');
    const reader = new RecordingTokenCache();

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(reader, false));

    assert.deepEqual(reader.loaded, []);
    assert.equal(file.quarantined.length, 1);
  });

  it('quarantines a JSON array', async () => {
    const { storage, file } = await storageWith();
    file.data = await new FakeSecretBox().encrypt('[]');

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(new RecordingTokenCache(), false));

    assert.equal(file.quarantined.length, 1);
  });

  it('survives a deserializer that throws', async () => {
    const { storage, file, log } = await storageWith();
    file.data = await new FakeSecretBox().encrypt(SERIALIZED);
    const throwing: ISerializableTokenCache = {
      deserialize: () => {
        throw new Error('unexpected cache shape');
      },
      serialize: () => '',
    };

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(throwing, false));

    assert.match(log.text(), /MSAL could not load the token cache/);
  });

  it('keeps the cache when a write fails', async () => {
    const { storage, file, log } = await storageWith();
    file.failWrites = true;
    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));
    const reader = new RecordingTokenCache();

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(reader, false));

    assert.deepEqual(reader.loaded, [SERIALIZED]);
    assert.match(log.text(), /ERROR .*could not write the token cache file/);
  });

  it('writes again after a failed write', async () => {
    const { storage, file } = await storageWith();
    file.failWrites = true;
    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));
    file.failWrites = false;

    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));

    assert.equal(file.writes, 1);
  });

  it('keeps memory mode off the file', async () => {
    const { storage, file, secretBox } = await storageWith({ backend: 'none' });
    file.data = new TextEncoder().encode('left from an earlier run');
    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));
    const reader = new RecordingTokenCache();

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(reader, false));

    assert.deepEqual(reader.loaded, [SERIALIZED]);
    assert.equal(file.writes, 0);
    assert.equal(secretBox.encryptCalls, 0);
    assert.equal(file.quarantined.length, 0);
  });

  it('writes UTF-8 JSON in plaintext mode', async () => {
    const { storage, file, secretBox } = await storageWith({ backend: 'none', allowPlaintext: true });

    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));

    assert.equal(new TextDecoder().decode(file.data ?? new Uint8Array()), SERIALIZED);
    assert.equal(secretBox.encryptCalls, 0);
  });

  it('never logs the refresh token', async () => {
    const { storage, file, secretBox, log } = await storageWith();
    await storage.plugin.afterCacheAccess(new TokenCacheContext(new RecordingTokenCache(SERIALIZED), true));
    secretBox.failDecrypt = true;
    file.data = await new FakeSecretBox().encrypt(`${SERIALIZED} `);

    await storage.plugin.beforeCacheAccess(new TokenCacheContext(new RecordingTokenCache(), false));

    assert.doesNotMatch(log.text(), /refresh-token-secret-value/);
  });
});
