/**
 * Collects everything the suite's app runs produced (log lines, command output, notifications,
 * files in the data folder) and scans it for the secrets the sandbox issued. A hit is reported
 * by where it was found and the secret's position in the list, never by its value.
 */

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface Source {
  label: string;
  read: () => Promise<string>;
}

export class OutputCollector {
  private readonly sources: Source[] = [];

  /** Adds text that exists now. */
  addText(label: string, text: string): void {
    this.sources.push({ label, read: async () => text });
  }

  /** Adds text read at scan time, such as a log that keeps growing. */
  addLive(label: string, read: () => string): void {
    this.sources.push({ label, read: async () => read() });
  }

  /**
   * Adds every file under `folder` as it is at scan time, read as Latin-1 so any byte sequence
   * that spells a token matches.
   */
  addFolder(label: string, folder: string): void {
    this.sources.push({
      label,
      read: async () => {
        const parts: string[] = [];
        for (const path of await listEntries(folder)) {
          try {
            parts.push(`${path}\n${(await readFile(path)).toString('latin1')}`);
          } catch {
            // A folder, a socket or a file removed meanwhile: nothing to scan.
          }
        }
        return parts.join('\n');
      },
    });
  }

  /** Number of sources added so far. */
  size(): number {
    return this.sources.length;
  }

  /** Returns one line per hit: which source held which secret (by index and length). */
  async findSecrets(secrets: readonly string[]): Promise<string[]> {
    const hits: string[] = [];
    for (const source of this.sources) {
      const text = await source.read();
      secrets.forEach((secret, index) => {
        if (text.includes(secret)) {
          hits.push(`${source.label} contains issued secret #${index} (${secret.length} characters)`);
        }
      });
    }
    return hits;
  }
}

async function listEntries(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder, { recursive: true })).map((name) => join(folder, name));
  } catch {
    return [];
  }
}
