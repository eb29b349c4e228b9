/**
 * `SecretBox` over Electron's `safeStorage`: macOS Keychain, Windows DPAPI, or a Linux secret
 * service. Uses the asynchronous API (Electron 42 and later) and the deprecated synchronous one
 * only when the asynchronous methods are missing.
 */

import type { SafeStorage } from 'electron';

import type { Logger, SecretBox, SecretBoxBackend } from '../core/ports.ts';

/** The parts of `safeStorage` this adapter calls; the async methods may be absent before Electron 42. */
export type SafeStorageApi = Pick<
  SafeStorage,
  'getSelectedStorageBackend' | 'isEncryptionAvailable' | 'encryptString' | 'decryptString'
> &
  Partial<Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'>>;

/** Raised by `encrypt` and `decrypt` when no OS-backed key exists, so nothing is stored as plaintext. */
export class SecretStoreUnavailableError extends Error {
  constructor(detail: string) {
    super(`Secure storage is unavailable: ${detail}. Tokens stay in memory until the app quits; sign in again after a restart.`);
    this.name = 'SecretStoreUnavailableError';
  }
}

/**
 * Creates the secret box. Call it after `app` is ready: before that, Linux reports the backend
 * as `unknown` and the availability checks are meaningless.
 */
export function createSafeStorageSecretBox(safeStorage: SafeStorageApi, platform: NodeJS.Platform, logger: Logger): SecretBox {
  const log = logger.child('secret-box');
  const hasAsyncApi =
    typeof safeStorage.isAsyncEncryptionAvailable === 'function' &&
    typeof safeStorage.encryptStringAsync === 'function' &&
    typeof safeStorage.decryptStringAsync === 'function';
  let reportedBackend: SecretBoxBackend | null = null;

  const unavailableReason = async (): Promise<string | null> => {
    if (platform === 'linux') {
      const linuxBackend = safeStorage.getSelectedStorageBackend();
      // basic_text encrypts with a password hard-coded in Chromium, which is plaintext in effect.
      if (linuxBackend === 'basic_text') {
        return 'no secret service (GNOME Keyring, KWallet) was found, and Electron would fall back to a fixed key';
      }
      if (linuxBackend === 'unknown') {
        return 'the storage backend was read before the app was ready';
      }
    }

    const available = hasAsyncApi ? await safeStorage.isAsyncEncryptionAvailable!() : safeStorage.isEncryptionAvailable();
    return available ? null : 'the operating system reported that encryption is not available';
  };

  const backend = async (): Promise<SecretBoxBackend> => {
    const reason = await unavailableReason();
    const current: SecretBoxBackend = reason === null ? 'os' : 'none';
    if (current !== reportedBackend) {
      reportedBackend = current;
      if (reason === null) {
        log.info('Secure storage is available', { api: hasAsyncApi ? 'async' : 'sync', platform });
      } else {
        log.warn('Secure storage is unavailable', { reason, platform });
      }
    }
    return current;
  };

  const requireBackend = async (): Promise<void> => {
    const reason = await unavailableReason();
    if (reason !== null) {
      throw new SecretStoreUnavailableError(reason);
    }
  };

  return {
    backend,

    async encrypt(plaintext) {
      await requireBackend();
      const encrypted = hasAsyncApi ? await safeStorage.encryptStringAsync!(plaintext) : safeStorage.encryptString(plaintext);
      return new Uint8Array(encrypted);
    },

    async decrypt(ciphertext) {
      await requireBackend();
      const buffer = Buffer.from(ciphertext);
      if (!hasAsyncApi) {
        return safeStorage.decryptString(buffer);
      }

      const decrypted = await safeStorage.decryptStringAsync!(buffer);
      if (decrypted.shouldReEncrypt) {
        // NOTE: the port has no way to ask for a rewrite, so the cache is re-encrypted with the
        // new key only when MSAL next changes it.
        log.info('The OS rotated the encryption key; the token cache is re-encrypted on its next write');
      }
      return decrypted.result;
    },
  };
}
