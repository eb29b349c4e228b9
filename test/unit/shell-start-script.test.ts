import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';

interface StartScript {
  findElectronBinary(root: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): string | null;
  hasDisplay(env: Record<string, string | undefined>, platform: NodeJS.Platform): boolean;
  chooseStartMode(options: { env: Record<string, string | undefined>; platform: NodeJS.Platform; binary: string | null }): {
    mode: 'app' | 'sandbox';
    reason: string;
  };
}

const script = (await import(pathToFileURL(join(import.meta.dirname, '../../scripts/start.mjs')).href)) as StartScript;

describe('start script', () => {
  const folders: string[] = [];
  after(async () => {
    for (const folder of folders) {
      await rm(folder, { recursive: true, force: true });
    }
  });

  async function fakeCheckout(binaryPath: string | null): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'presence-tray-start-'));
    folders.push(root);
    const packageDir = join(root, 'node_modules', 'electron');
    await mkdir(join(packageDir, 'dist'), { recursive: true });
    if (binaryPath !== null) {
      await writeFile(join(packageDir, 'path.txt'), binaryPath);
      await writeFile(join(packageDir, 'dist', binaryPath), '');
    }
    return root;
  }

  it('finds no binary without path.txt', async () => {
    const root = await fakeCheckout(null);
    assert.equal(script.findElectronBinary(root, {}, 'linux'), null);
  });

  it('finds the downloaded binary', async () => {
    const root = await fakeCheckout('electron');
    assert.equal(script.findElectronBinary(root, {}, 'linux'), join(root, 'node_modules', 'electron', 'dist', 'electron'));
  });

  it('finds no binary in this checkout', () => {
    assert.equal(script.findElectronBinary(join(import.meta.dirname, '../..'), {}, 'linux'), null);
  });

  const displays: Array<[Record<string, string>, NodeJS.Platform, boolean]> = [
    [{}, 'linux', false],
    [{ DISPLAY: ':0' }, 'linux', true],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', true],
    [{}, 'darwin', true],
    [{}, 'win32', true],
  ];
  for (const [env, platform, expected] of displays) {
    it(`reads display ${JSON.stringify(env)} on ${platform}`, () => {
      assert.equal(script.hasDisplay(env, platform), expected);
    });
  }

  it('starts the sandbox without a display', () => {
    const choice = script.chooseStartMode({ env: {}, platform: 'linux', binary: '/opt/electron' });
    assert.equal(choice.mode, 'sandbox');
    assert.match(choice.reason, /No display/);
  });

  it('starts the sandbox without a binary', () => {
    const choice = script.chooseStartMode({ env: { DISPLAY: ':0' }, platform: 'linux', binary: null });
    assert.equal(choice.mode, 'sandbox');
    assert.match(choice.reason, /does not download/);
  });

  it('launches the app with both', () => {
    const choice = script.chooseStartMode({ env: { DISPLAY: ':0' }, platform: 'linux', binary: '/opt/electron' });
    assert.equal(choice.mode, 'app');
  });
});
