/**
 * `npm run build` output: the main bundle leaves Electron's modules to Electron, the preload is
 * one CommonJS file that needs nothing but `electron`, and the command-line bundle runs in Node.
 */

import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the checkout, so the bundles' external packages resolve from node_modules.
const OUTDIR = join(ROOT, 'test-output', `build-${process.pid}`);

interface BuildScript {
  buildApp(options: { outdir: string }): Promise<string>;
}

describe('shell build', () => {
  before(async () => {
    const script = (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as BuildScript;
    await script.buildApp({ outdir: OUTDIR });
  });

  after(async () => {
    await rm(OUTDIR, { recursive: true, force: true });
  });

  it('leaves electron external in main', async () => {
    const bundle = await readFile(join(OUTDIR, 'main', 'index.js'), 'utf8');
    assert.match(bundle, /from "electron"/);
    assert.doesNotMatch(bundle, /Electron failed to install correctly/);
  });

  it('leaves msal-node external', async () => {
    const bundle = await readFile(join(OUTDIR, 'main', 'index.js'), 'utf8');
    assert.match(bundle, /from "@azure\/msal-node"/);
  });

  it('builds a CommonJS preload', async () => {
    const preload = await readFile(join(OUTDIR, 'preload', 'index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);

    assert.deepEqual([...new Set(required)], ['electron']);
    assert.doesNotMatch(preload, /^\s*(import|export)\s/m);
  });

  it('runs the command-line bundle', async () => {
    const cli = (await import(pathToFileURL(join(OUTDIR, 'main', 'cli.js')).href)) as {
      main(argv: string[], io: { out(text: string): void; err(text: string): void }, env: NodeJS.ProcessEnv): Promise<number>;
    };
    let output = '';

    const code = await cli.main(['help'], { out: (text) => (output += text), err: () => {} }, {});

    assert.equal(code, 0);
    assert.match(output, /Usage: presence-tray/);
  });
});
