/**
 * The presence journal over a `BlobFile` (atomic replace). The app is single-instance, so after
 * the first read the store keeps the record in memory and a clear at suspend or quit does not
 * wait for the disk to read it.
 */

import type { BlobFile, Logger } from '../ports.ts';
import type { JournalRecord, JournalStore } from '../presence/journal.ts';
import { EMPTY_JOURNAL } from '../presence/journal.ts';
import { parseJournal, recordWithUnknownEntry, serializeJournal } from '../presence/journal-format.ts';

export interface JournalStoreOptions {
  file: BlobFile;
  logger: Logger;
}

function copyRecord(record: JournalRecord): JournalRecord {
  return structuredClone(record);
}

function describeEntry(record: JournalRecord): string {
  if (record.entry === null) {
    return 'no session';
  }
  const { presenceId, sessionId, expiresAt } = record.entry;
  const known = [presenceId !== null, sessionId !== null, expiresAt !== null].filter(Boolean).length;
  return `a pending clear with ${known} of 3 fields recovered`;
}

/** Creates the journal store; `read` moves a damaged file aside and writes back what it recovered. */
export function createJournalStore(options: JournalStoreOptions): JournalStore {
  const { file } = options;
  const logger = options.logger.child('journal');
  let cached: JournalRecord | null = null;
  // Writes run one at a time, so the file always ends with the last record written.
  let lastWrite: Promise<void> = Promise.resolve();

  function writeRecord(record: JournalRecord): Promise<void> {
    const bytes = serializeJournal(record);
    const copy = copyRecord(record);
    const write = lastWrite.then(async () => {
      await file.write(bytes);
      cached = copy;
    });
    lastWrite = write.catch(() => undefined);
    return write;
  }

  async function recoverDamaged(record: JournalRecord, damage: string): Promise<void> {
    let movedTo: string | null = null;
    try {
      movedTo = await file.quarantine(damage);
    } catch (error) {
      logger.error('could not move the damaged presence journal aside', { path: file.path, error: String(error) });
    }

    logger.warn('presence journal is damaged; read what it could and kept the file', {
      path: file.path,
      damage,
      keptAt: movedTo,
      recovered: describeEntry(record),
    });

    try {
      await writeRecord(record);
    } catch (error) {
      // Best effort: the record stays in memory, and the next write replaces the file.
      logger.error('could not write the recovered presence journal', { path: file.path, error: String(error) });
    }
  }

  return {
    async read() {
      if (cached !== null) {
        return copyRecord(cached);
      }

      let bytes: Uint8Array | null;
      try {
        bytes = await file.read();
      } catch (error) {
        // A journal that cannot be read may hold a live session: assume a clear is due.
        logger.error('could not read the presence journal; assuming a clear is due', { path: file.path, error: String(error) });
        return recordWithUnknownEntry();
      }

      if (bytes === null) {
        cached = copyRecord(EMPTY_JOURNAL);
        return copyRecord(EMPTY_JOURNAL);
      }

      const { record, damage } = parseJournal(bytes);
      if (damage !== null) {
        await recoverDamaged(record, damage);
      }
      cached = copyRecord(record);
      return copyRecord(record);
    },

    async write(record) {
      await writeRecord(record);
    },
  };
}
