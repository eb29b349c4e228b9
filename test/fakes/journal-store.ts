/** An in-memory `JournalStore` that keeps every write, so tests can check what was recorded and when. */

import type { JournalRecord, JournalStore } from '../../main/core/presence/journal.ts';
import { EMPTY_JOURNAL } from '../../main/core/presence/journal.ts';

export class FakeJournalStore implements JournalStore {
  /** The stored record, as the file would hold it. */
  record: JournalRecord;
  /** Every successful write, oldest first. */
  readonly writes: JournalRecord[] = [];
  /** Number of coming writes that reject, as a full or read-only disk would. */
  failingWrites = 0;
  /** Number of calls to `read`. */
  reads = 0;

  /**
   * @param events shared list where each finished write appends `journal.write`, so a test
   *   can check its order against the writer's calls.
   */
  constructor(
    initial: JournalRecord = EMPTY_JOURNAL,
    private readonly events?: string[],
  ) {
    this.record = structuredClone(initial);
  }

  async read(): Promise<JournalRecord> {
    this.reads += 1;
    return structuredClone(this.record);
  }

  async write(record: JournalRecord): Promise<void> {
    // The event marks a finished write, as a file write completes after the call returns.
    await Promise.resolve();
    if (this.failingWrites > 0) {
      this.failingWrites -= 1;
      throw new Error('Could not write the presence journal: disk full (fake)');
    }
    this.events?.push('journal.write');
    this.record = structuredClone(record);
    this.writes.push(structuredClone(record));
  }
}
