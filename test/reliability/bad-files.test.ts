/**
 * Damaged files: the settings file, the presence journal and the token cache, each empty,
 * truncated, not JSON, the wrong shape or huge. Each case first runs the whole tray app to
 * leave real files (signed in, custom settings, a session set and not cleared, as after a
 * crash), damages one file, and starts the app again. The app must start, say what it found,
 * keep the bad bytes in a file aside, and lose nothing that was valid: custom settings, the
 * account and the pending clear.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DATA_FILES } from '../../main/core/paths.ts';
import { FakeSafeStorage } from '../fakes/electron/safe-storage.ts';
import { MemoryLog } from '../fakes/logger.ts';
import { withinRealTime } from './support/matrix-scenario.ts';
import { MatrixWorld, readJournalFile } from './support/matrix-world.ts';
import { processFaultMark, processFaultsSince } from './support/process-guard.ts';
import { startHarness, type TrayHarness } from './support/tray-harness.ts';

type FileKind = 'settings' | 'journal' | 'token cache';
type Damage = 'empty' | 'truncated' | 'not JSON' | 'wrong shape' | 'huge';

const FILE_NAMES: Record<FileKind, string> = {
  settings: DATA_FILES.settings,
  journal: DATA_FILES.journal,
  'token cache': DATA_FILES.tokenCache,
};

/** Custom settings the first run saves; a damaged file must not lose the ones still readable. */
const CUSTOM_ACCELERATOR = 'CommandOrControl+Alt+Shift+K';
const CUSTOM_SELF_EXPIRY_MINUTES = 15;

const HUGE_BYTES = 2 * 1024 * 1024;

/** Returns the damaged bytes for `kind`, made from the file the first run wrote. */
function damage(kind: FileKind, form: Damage, valid: Buffer): Buffer {
  const sealed = (text: string): Buffer => new FakeSafeStorage().encryptString(text);
  switch (form) {
    case 'empty':
      return Buffer.alloc(0);
    case 'truncated':
      if (kind === 'settings') {
        // Cut after the presence section, so the fields before the cut are whole.
        const text = valid.toString('utf8');
        return Buffer.from(text.slice(0, text.indexOf('"clearOn"')));
      }
      return valid.subarray(0, Math.floor(valid.length / 2));
    case 'not JSON':
      return kind === 'token cache' ? sealed('not a token cache {') : Buffer.from('presence tray data, not JSON {');
    case 'wrong shape':
      if (kind === 'settings') {
        return Buffer.from(
          JSON.stringify({
            version: 1,
            presence: { selfExpiryMinutes: CUSTOM_SELF_EXPIRY_MINUTES, graphApiVersion: 42 },
            shortcut: { enabled: 'yes', accelerator: CUSTOM_ACCELERATOR },
            budgetsMs: 'fast',
          }),
        );
      }
      if (kind === 'journal') {
        return Buffer.from(JSON.stringify({ version: 1, entry: { presenceId: 42, expiresAt: 'soon' }, paused: 'no' }));
      }
      return sealed(JSON.stringify({ Account: [], AccessToken: 'none' }));
    case 'huge':
      if (kind === 'token cache') {
        return randomBytes(HUGE_BYTES);
      }
      // The valid content followed by a huge field, so whatever is valid can still be read.
      return Buffer.from(`${valid.toString('utf8').trimEnd().replace(/\}$/, '')}, "padding": "${'x'.repeat(HUGE_BYTES)}"}`);
  }
}

describe('damaged files', () => {
  const world = new MatrixWorld();
  const running: TrayHarness[] = [];

  before(async () => {
    await world.open();
  });

  after(async () => {
    for (const harness of running) {
      await harness.running.stop().catch(() => undefined);
    }
    await world.close();
  });

  async function launch(dataDir: string, log: MemoryLog): Promise<TrayHarness> {
    const harness = await startHarness({
      dataDir,
      platform: 'linux',
      driver: world.driver,
      transport: world.transport,
      logger: log.logger,
      authority: world.sandbox.authority,
      graphBaseUrl: world.gate.origin,
      caPem: world.sandbox.caPem,
    });
    running.push(harness);
    return harness;
  }

  /** Runs the app once: sign in, custom settings, Busy set, then a crash (no clear). */
  async function firstRun(): Promise<string> {
    const dataDir = await mkdtemp(join(tmpdir(), 'pt-bad-files-'));
    world.folders.push(dataDir);
    world.outputs.addFolder(`data folder ${dataDir}`, dataDir);
    const log = new MemoryLog('info');
    world.outputs.addLive(`first run log in ${dataDir}`, () => log.text());
    const harness = await launch(dataDir, log);

    await withinRealTime(harness.running.presence.signIn('browser'), 30_000, 'the sign-in');
    harness.running.settings.update({ shortcut: { accelerator: CUSTOM_ACCELERATOR }, presence: { selfExpiryMinutes: CUSTOM_SELF_EXPIRY_MINUTES } });
    await world.driver.settle(harness.running.presence.setPresence({ availability: 'Busy', durationMs: null }), 'the set', {
      fakeMs: 60_000,
      realMs: 30_000,
    });
    await world.driver.until(() => world.driver.idle(), 'the first run to settle', { fakeMs: 60_000, realMs: 30_000 });
    await harness.running.stop();
    return dataDir;
  }

  /** Returns the names in `dataDir` that hold exactly `bytes`, other than `original`. */
  async function copiesAside(dataDir: string, original: string, bytes: Buffer): Promise<string[]> {
    const names: string[] = [];
    for (const name of await readdir(dataDir)) {
      if (name === original) {
        continue;
      }
      const content = await readFile(join(dataDir, name)).catch(() => null);
      if (content !== null && content.equals(bytes)) {
        names.push(name);
      }
    }
    return names;
  }

  for (const kind of ['settings', 'journal', 'token cache'] as const) {
    for (const form of ['empty', 'truncated', 'not JSON', 'wrong shape', 'huge'] as const) {
      test(`${kind} ${form}`, async () => {
        const mark = processFaultMark();
        const dataDir = await firstRun();
        const fileName = FILE_NAMES[kind];
        const path = join(dataDir, fileName);
        const bad = damage(kind, form, await readFile(path));
        await writeFile(path, bad);
        world.sandbox.control.clearRequests();

        const log = new MemoryLog('info');
        world.outputs.addLive(`log of ${kind} ${form}`, () => log.text());
        const harness = await launch(dataDir, log);
        const presence = harness.running.presence;
        const explanations = [
          ...harness.running.settings.problems(),
          ...log.lines.filter((line) => line.level === 'warn' || line.level === 'error').map((line) => `${line.message} ${JSON.stringify(line.fields)}`),
        ];
        const aside = bad.length === 0 ? ['(nothing to keep)'] : await copiesAside(dataDir, fileName, bad);
        const settings = harness.running.settings.get();
        const firstWrite = world.graphRequests().find((entry) => entry.method === 'POST');

        // The token cache held the account, so a damaged one needs a sign-in before the clear.
        const signedInAtStart = presence.state().account.kind === 'signed-in';
        const journalOpenAtStart = (await readJournalFile(dataDir)).entry !== null;
        if (!signedInAtStart) {
          await withinRealTime(presence.signIn('browser'), 30_000, 'the sign-in after the damage');
          await world.driver.until(() => world.driver.idle(), 'the replay after the sign-in', { fakeMs: 60_000, realMs: 30_000 });
        }

        assert.ok(
          explanations.some((text) => text.includes(fileName)),
          `nothing the user or the log sees names ${fileName}: ${explanations.join(' | ')}`,
        );
        assert.ok(aside.length > 0, `the damaged ${fileName} was not kept aside`);
        if (kind !== 'settings' || form === 'wrong shape' || form === 'truncated' || form === 'huge') {
          assert.equal(settings.presence.selfExpiryMinutes, CUSTOM_SELF_EXPIRY_MINUTES, 'the custom self-expiry was lost');
        }
        if (kind !== 'settings' || form === 'wrong shape' || form === 'huge') {
          assert.equal(settings.shortcut.accelerator, CUSTOM_ACCELERATOR, 'the custom shortcut was lost');
        }
        if (kind === 'token cache') {
          assert.equal(signedInAtStart, false, 'the app claims an account from a damaged token cache');
          assert.equal(journalOpenAtStart, true, 'the pending clear was dropped while signed out');
        } else {
          assert.equal(signedInAtStart, true, 'the account was lost');
          assert.equal(firstWrite?.action, 'clearPresence', 'the pending clear was not the first write');
        }
        if (world.liveSession() !== null) {
          // A readable journal keeps the intent, which the app sets again after the replay.
          assert.notEqual((await readJournalFile(dataDir)).entry, null, 'a session is live but the journal is closed');
        }

        await world.driver.settle(presence.clearPresence('tray'), 'the tray clear', { fakeMs: 60_000, realMs: 30_000 });
        assert.equal(world.liveSession(), null, 'a session is still live after the tray clear');
        assert.equal((await readJournalFile(dataDir)).entry, null, 'the journal is still open after the tray clear');
        assert.deepEqual(processFaultsSince(mark), []);

        await harness.running.stop();
      });
    }
  }

  test('damaged-file output holds no secret', async () => {
    const hits = await world.outputs.findSecrets(world.sandbox.control.issuedSecrets());

    assert.deepEqual(hits, []);
  });
});
