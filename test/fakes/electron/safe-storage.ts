/**
 * A fake `safeStorage`. Encryption is a reversible byte transform with a marker prefix, so a
 * test can prove that what was stored is not the plaintext.
 */

import type { SafeStorageApi } from '../../../main/shell/secret-box.ts';

type LinuxBackend = ReturnType<SafeStorageApi['getSelectedStorageBackend']>;

export interface FakeSafeStorageOptions {
  backend?: LinuxBackend;
  available?: boolean;
  /** Leaves out the async methods, as Electron before 42 did. */
  syncOnly?: boolean;
  /** Makes `decryptStringAsync` report a key rotation. */
  shouldReEncrypt?: boolean;
}

const MARKER = Buffer.from('FAKE-SAFE-STORAGE:');

function transform(bytes: Buffer): Buffer {
  return Buffer.from(bytes.map((byte) => byte ^ 0x5a));
}

export class FakeSafeStorage implements SafeStorageApi {
  backend: LinuxBackend;
  available: boolean;
  shouldReEncrypt: boolean;
  /** Calls by method name, to tell which API the adapter used. */
  readonly calls: string[] = [];

  isAsyncEncryptionAvailable?: () => Promise<boolean>;
  encryptStringAsync?: (plainText: string) => Promise<Buffer>;
  decryptStringAsync?: (encrypted: Buffer) => Promise<{ result: string; shouldReEncrypt: boolean }>;

  constructor(options: FakeSafeStorageOptions = {}) {
    this.backend = options.backend ?? 'gnome_libsecret';
    this.available = options.available ?? true;
    this.shouldReEncrypt = options.shouldReEncrypt ?? false;

    if (options.syncOnly !== true) {
      this.isAsyncEncryptionAvailable = async () => {
        this.calls.push('isAsyncEncryptionAvailable');
        return this.available;
      };
      this.encryptStringAsync = async (plainText) => {
        this.calls.push('encryptStringAsync');
        return this.seal(plainText);
      };
      this.decryptStringAsync = async (encrypted) => {
        this.calls.push('decryptStringAsync');
        return { result: this.open(encrypted), shouldReEncrypt: this.shouldReEncrypt };
      };
    }
  }

  getSelectedStorageBackend(): LinuxBackend {
    return this.backend;
  }

  isEncryptionAvailable(): boolean {
    this.calls.push('isEncryptionAvailable');
    return this.available;
  }

  encryptString(plainText: string): Buffer {
    this.calls.push('encryptString');
    return this.seal(plainText);
  }

  decryptString(encrypted: Buffer): string {
    this.calls.push('decryptString');
    return this.open(encrypted);
  }

  private seal(plainText: string): Buffer {
    if (!this.available) {
      throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    }
    return Buffer.concat([MARKER, transform(Buffer.from(plainText, 'utf8'))]);
  }

  private open(encrypted: Buffer): string {
    if (!encrypted.subarray(0, MARKER.length).equals(MARKER)) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    return transform(encrypted.subarray(MARKER.length)).toString('utf8');
  }
}
