/**
 * The `BlobFile` port on the local file system: atomic replace (temporary file in the same
 * folder with mode 0600, fsync, rename) and a quarantine that keeps a damaged file for support.
 */

import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import type { BlobFile, Logger } from '../ports.ts';

/** Owner read and write only: the file may contain the token cache. */
const FILE_MODE = 0o600;
/** Owner-only folder, created when missing. */
const FOLDER_MODE = 0o700;

/**
 * Windows reports EPERM, EACCES or EBUSY on rename while another process (often an antivirus
 * scanner) has the target open. A short retry usually gets past it.
 */
const RENAME_RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_ATTEMPTS = 5;
const RENAME_RETRY_DELAY_MS = 50;

export interface NodeBlobFileOptions {
  logger?: Logger;
  /** Wall-clock source for quarantine names; defaults to `Date.now`. */
  nowMs?: () => number;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (process.platform !== 'win32' || code === undefined || !RENAME_RETRY_CODES.has(code) || attempt >= RENAME_ATTEMPTS) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_DELAY_MS * attempt));
    }
  }
}

/** Flushes the folder entry after a rename, so the new name survives a power cut (POSIX only). */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') {
    return;
  }
  const handle = await open(folder, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Formats a time as `20261204T090000Z`, which is valid in file names on every OS. */
function compactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return false;
    }
    throw error;
  }
}

/** Creates a `BlobFile` for `path`; the folder is created on the first write. */
export function createNodeBlobFile(path: string, options: NodeBlobFileOptions = {}): BlobFile {
  const logger = options.logger;
  const nowMs = options.nowMs ?? Date.now;
  const folder = dirname(path);

  return {
    path,

    async read() {
      try {
        return new Uint8Array(await readFile(path));
      } catch (error) {
        if (errorCode(error) === 'ENOENT') {
          return null;
        }
        throw error;
      }
    },

    async write(data) {
      await mkdir(folder, { recursive: true, mode: FOLDER_MODE });
      const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

      try {
        // 'wx' fails if the name exists, so a stale temporary file is never reused.
        const handle = await open(temporary, 'wx', FILE_MODE);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await renameWithRetry(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }

      await syncFolder(folder);
    },

    async remove() {
      await rm(path, { force: true });
    },

    async quarantine(reason) {
      if (!(await exists(path))) {
        return null;
      }

      const stem = `${path}.corrupt-${compactTimestamp(nowMs())}`;
      let target = stem;
      for (let suffix = 2; await exists(target); suffix += 1) {
        target = `${stem}-${suffix}`;
      }

      await renameWithRetry(path, target);
      logger?.warn('moved a damaged file aside', { path, movedTo: target, reason });
      return target;
    },
  };
}
