// Builds the settings window with esbuild: the renderer bundle (one classic script, since
// module scripts do not load from file:// pages), its HTML and CSS, and the preload as one
// CommonJS file. Usage: node scripts/build-renderer.mjs [--outdir DIR] (default: dist).
// Output: DIR/renderer/{index.html,styles.css,app.js} and DIR/preload/index.cjs.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Chromium of Electron 45 is newer than this; the target only limits syntax lowering. */
const BROWSER_TARGET = 'chrome120';

/** Builds the window into `outdir` and returns the paths written. */
export async function buildWindow({ outdir = join(ROOT, 'dist') } = {}) {
  const rendererDir = join(outdir, 'renderer');
  const preloadDir = join(outdir, 'preload');
  await mkdir(rendererDir, { recursive: true });
  await mkdir(preloadDir, { recursive: true });

  // platform 'browser' makes the build fail if renderer code reaches a node: module.
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['renderer/main.ts'],
    outfile: join(rendererDir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: BROWSER_TARGET,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await copyFile(join(ROOT, 'renderer/index.html'), join(rendererDir, 'index.html'));
  await copyFile(join(ROOT, 'renderer/styles.css'), join(rendererDir, 'styles.css'));

  // The preload imports only types, so the bundle keeps just require('electron').
  const preloadFile = join(preloadDir, 'index.cjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['preload/index.cts'],
    outfile: preloadFile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
  const preloadText = await readFile(preloadFile, 'utf8');
  const required = [...preloadText.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
  const foreign = required.filter((name) => name !== 'electron');
  if (foreign.length > 0) {
    throw new Error(`The preload requires ${foreign.join(', ')}; a sandboxed preload can load only electron. Import types only.`);
  }

  return { rendererDir, indexHtml: join(rendererDir, 'index.html'), preload: preloadFile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flag = process.argv.indexOf('--outdir');
  const outdir = flag === -1 ? undefined : resolve(process.argv[flag + 1] ?? '');
  const result = await buildWindow(outdir === undefined ? {} : { outdir });
  console.log(JSON.stringify(result));
}
