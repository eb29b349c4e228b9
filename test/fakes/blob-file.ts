/** A `BlobFile` in memory, with counters and a switch to make writes fail. */

import type { BlobFile } from '../../main/core/ports.ts';

export class MemoryBlobFile implements BlobFile {
  data: Uint8Array | null = null;
  writes = 0;
  /** When set, `write` rejects as a full disk would. */
  failWrites = false;
  readonly quarantined: Array<{ path: string; reason: string; data: Uint8Array }> = [];

  constructor(readonly path = '/fake/token-cache.bin') {}

  async read(): Promise<Uint8Array | null> {
    return this.data === null ? null : this.data.slice();
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.failWrites) {
      throw new Error(`ENOSPC: no space left on device, write '${this.path}'`);
    }
    this.writes += 1;
    this.data = data.slice();
  }

  async remove(): Promise<void> {
    this.data = null;
  }

  async quarantine(reason: string): Promise<string | null> {
    if (this.data === null) {
      return null;
    }
    const path = `${this.path}.corrupt-${this.quarantined.length + 1}`;
    this.quarantined.push({ path, reason, data: this.data });
    this.data = null;
    return path;
  }
}
