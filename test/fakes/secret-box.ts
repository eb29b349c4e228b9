/**
 * A fake `SecretBox`: a reversible byte cipher (XOR) behind a marker, so a test can tell an
 * encrypted file from a plaintext one and can make decryption fail as a changed OS key does.
 * It protects nothing.
 */

import type { SecretBox, SecretBoxBackend } from '../../main/core/ports.ts';

/** Prefix of every ciphertext this fake produces. */
export const FAKE_CIPHER_MARKER = 'FAKE-SECRET-BOX:';

const KEY = 0x5a;

export class FakeSecretBox implements SecretBox {
  encryptCalls = 0;
  decryptCalls = 0;
  /** When set, `decrypt` rejects as if the OS key had changed. */
  failDecrypt = false;

  constructor(private readonly backendKind: SecretBoxBackend = 'os') {}

  async backend(): Promise<SecretBoxBackend> {
    return this.backendKind;
  }

  async encrypt(plaintext: string): Promise<Uint8Array> {
    this.encryptCalls += 1;
    const body = new TextEncoder().encode(plaintext).map((byte) => byte ^ KEY);
    const marker = new TextEncoder().encode(FAKE_CIPHER_MARKER);
    const out = new Uint8Array(marker.length + body.length);
    out.set(marker, 0);
    out.set(body, marker.length);
    return out;
  }

  async decrypt(ciphertext: Uint8Array): Promise<string> {
    this.decryptCalls += 1;
    if (this.failDecrypt) {
      throw new Error('fake secret box: the key that encrypted this data is not available');
    }
    const marker = new TextEncoder().encode(FAKE_CIPHER_MARKER);
    const hasMarker = ciphertext.length >= marker.length && marker.every((byte, index) => ciphertext[index] === byte);
    if (!hasMarker) {
      throw new Error('fake secret box: the data was not encrypted by this secret box');
    }
    return new TextDecoder().decode(ciphertext.slice(marker.length).map((byte) => byte ^ KEY));
  }
}

/** Returns true when `bytes` start with the fake cipher's marker. */
export function isFakeCiphertext(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes.slice(0, FAKE_CIPHER_MARKER.length)) === FAKE_CIPHER_MARKER;
}
