/**
 * Persistence of MSAL's token cache. The serialized cache contains a long-lived refresh token,
 * so it is stored encrypted by the OS secret store when there is one, kept in memory when there is
 * none, and written as a plain owner-only file only when the user explicitly accepted that.
 */

import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

import type { BlobFile, Logger, SecretBox } from '../ports.ts';

/**
 * - `encrypted-file`: the cache file is encrypted by the `SecretBox` (Keychain, DPAPI, libsecret).
 * - `memory`: no OS secret store and no consent to plaintext; the user signs in at each launch.
 * - `plaintext-file`: no OS secret store, and the user accepted a file readable only by them.
 */
export type TokenCacheMode = 'encrypted-file' | 'memory' | 'plaintext-file';

/** The token cache: MSAL's `plugin`, and the mode that the tray and CLI show. */
export interface TokenCacheStorage {
  readonly mode: TokenCacheMode;
  /** The cache file, or null in memory mode. */
  readonly path: string | null;
  /** True when no OS secret store protects the tokens, so the tray and CLI show a warning. */
  readonly secureStorageUnavailable: boolean;
  readonly plugin: ICachePlugin;
}

/** Storage for MSAL's serialized cache (JSON) that the plugin loads and saves. */
interface SerializedCacheStore {
  /** Returns the serialized cache, or null to start empty. Never throws. */
  load(): Promise<string | null>;
  /** Stores the serialized cache. Never throws: a failed write keeps the cache in memory. */
  save(serialized: string): Promise<void>;
}

/** Keeps the serialized cache in this process only. */
class MemoryStore implements SerializedCacheStore {
  private serialized: string | null = null;

  async load(): Promise<string | null> {
    return this.serialized;
  }

  async save(serialized: string): Promise<void> {
    this.serialized = serialized;
  }
}

/** Turns the serialized cache into file bytes and back; `decode` throws on damaged bytes. */
interface FileCodec {
  encode(serialized: string): Promise<Uint8Array>;
  decode(bytes: Uint8Array): Promise<string>;
}

function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

/** The sections of MSAL's serialized cache; each maps cache keys to entries. */
const MSAL_CACHE_SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata'];

/**
 * Throws unless `text` is a JSON object whose MSAL sections are objects, the only shape MSAL's
 * cache deserializer reads. A section of another type would be read as an empty cache, so the
 * account would vanish without the file being kept aside.
 */
function checkSerializedCache(text: string): void {
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('the token cache is not a JSON object');
  }
  for (const section of MSAL_CACHE_SECTIONS) {
    const value: unknown = (parsed as Record<string, unknown>)[section];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new Error(`the token cache section "${section}" is not a JSON object`);
    }
  }
}

/**
 * Keeps the serialized cache in a `BlobFile`. The file is read again at every cache access, so
 * a command-line process and the tray app see each other's sign-ins. Unchanged bytes are not
 * decrypted twice.
 */
class FileStore implements SerializedCacheStore {
  private lastBytes: Uint8Array | null = null;
  private lastSerialized: string | null = null;
  /** The cache that the last failed write could not store; served until a write succeeds. */
  private unsaved: string | null = null;

  constructor(
    private readonly file: BlobFile,
    private readonly codec: FileCodec,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<string | null> {
    if (this.unsaved !== null) {
      return this.unsaved;
    }

    let bytes: Uint8Array | null;
    try {
      bytes = await this.file.read();
    } catch (error) {
      // An unreadable file (permissions, I/O) is not proof of damage: keep what this process has.
      this.logger.error('could not read the token cache file; using the copy in memory', { path: this.file.path, error: String(error) });
      return this.lastSerialized;
    }

    if (bytes === null) {
      this.lastBytes = null;
      this.lastSerialized = null;
      return null;
    }
    if (this.lastBytes !== null && sameBytes(bytes, this.lastBytes)) {
      return this.lastSerialized;
    }

    try {
      const serialized = await this.codec.decode(bytes);
      checkSerializedCache(serialized);
      this.lastBytes = bytes;
      this.lastSerialized = serialized;
      return serialized;
    } catch (error) {
      await this.quarantine(error);
      return null;
    }
  }

  async save(serialized: string): Promise<void> {
    try {
      const bytes = await this.codec.encode(serialized);
      await this.file.write(bytes);
      this.lastBytes = bytes;
      this.lastSerialized = serialized;
      this.unsaved = null;
    } catch (error) {
      // Best effort: the tokens stay usable in this process, and the next change retries the write.
      this.unsaved = serialized;
      this.logger.error('could not write the token cache file; tokens are kept in memory until the next write works', {
        path: this.file.path,
        error: String(error),
      });
    }
  }

  /** Moves an undecryptable or damaged file aside, so the user signs in again instead of a crash. */
  private async quarantine(cause: unknown): Promise<void> {
    this.lastBytes = null;
    this.lastSerialized = null;
    const reason = cause instanceof Error ? cause.message : String(cause);
    try {
      const movedTo = await this.file.quarantine(`token cache could not be read: ${reason}`);
      this.logger.warn('token cache file is damaged or was encrypted with another key; moved it aside, sign-in is needed', {
        path: this.file.path,
        movedTo,
        reason,
      });
    } catch (error) {
      this.logger.error('token cache file is damaged and could not be moved aside; starting with an empty cache', {
        path: this.file.path,
        reason,
        error: String(error),
      });
    }
  }
}

/** The MSAL cache plugin over a store: load before each access, save after a change. */
class StoreCachePlugin implements ICachePlugin {
  constructor(
    private readonly store: SerializedCacheStore,
    private readonly logger: Logger,
  ) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const serialized = await this.store.load();
    if (serialized === null) {
      return;
    }
    try {
      context.tokenCache.deserialize(serialized);
    } catch (error) {
      // The JSON parsed but MSAL rejected its shape; starting empty only costs a sign-in.
      this.logger.error('MSAL could not load the token cache; starting with an empty cache', { error: String(error) });
    }
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) {
      return;
    }
    await this.store.save(context.tokenCache.serialize());
  }
}

function encryptedCodec(secretBox: SecretBox): FileCodec {
  return {
    encode: (serialized) => secretBox.encrypt(serialized),
    decode: (bytes) => secretBox.decrypt(bytes),
  };
}

const plaintextCodec: FileCodec = {
  encode: async (serialized) => new TextEncoder().encode(serialized),
  decode: async (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes),
};

export interface TokenCacheStorageOptions {
  secretBox: SecretBox;
  file: BlobFile;
  /** The user accepted an owner-only plaintext file where no OS secret store exists. */
  allowPlaintext: boolean;
  /**
   * The tokens come from the local sandbox and grant nothing at Microsoft, so a plaintext file
   * is expected and logged at info level instead of as a warning.
   */
  sandboxTokens?: boolean;
  logger: Logger;
}

/**
 * Picks the token cache mode from the secret box's backend and the user's consent, logs it, and
 * returns the storage with its MSAL plugin. Memory mode never touches `file`.
 */
export async function createTokenCacheStorage(options: TokenCacheStorageOptions): Promise<TokenCacheStorage> {
  const logger = options.logger.child('token-cache');
  const backend = await options.secretBox.backend();

  if (backend === 'os') {
    logger.info('token cache is encrypted by the OS secret store', { mode: 'encrypted-file', path: options.file.path });
    return {
      mode: 'encrypted-file',
      path: options.file.path,
      secureStorageUnavailable: false,
      plugin: new StoreCachePlugin(new FileStore(options.file, encryptedCodec(options.secretBox), logger), logger),
    };
  }

  if (options.allowPlaintext) {
    const fields = { mode: 'plaintext-file', path: options.file.path };
    if (options.sandboxTokens === true) {
      logger.info('sandbox token cache is a plaintext file readable only by this user', fields);
    } else {
      logger.warn('secure storage unavailable: the token cache is a plaintext file readable only by this user, as accepted in settings', fields);
    }
    return {
      mode: 'plaintext-file',
      path: options.file.path,
      secureStorageUnavailable: true,
      plugin: new StoreCachePlugin(new FileStore(options.file, plaintextCodec, logger), logger),
    };
  }

  logger.warn('secure storage unavailable: tokens are kept in memory only, so sign-in is needed at each launch', { mode: 'memory' });
  return {
    mode: 'memory',
    path: null,
    secureStorageUnavailable: true,
    plugin: new StoreCachePlugin(new MemoryStore(), logger),
  };
}
