// Builds the app into dist/ with esbuild (`npm run build`):
//   main/index.ts -> dist/main/index.js  (Electron main process, ESM, Node 24 inside Electron 45)
//   main/cli.ts   -> dist/main/cli.js    (the headless command line, same format)
//   the settings window and preload      (scripts/build-renderer.mjs, when it exists)
// Usage: node scripts/build.mjs [--outdir DIR] (default: dist).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loaded from node_modules at run time instead of bundled (electron-builder ships the
 * production dependencies): Electron's modules exist only inside Electron, and MSAL Node runs
 * as the same unmodified package the tests run against.
 */
export const MAIN_EXTERNALS = ['electron', 'electron-store', 'electron-log', 'electron-log/*', '@azure/msal-node'];

const MAIN_ENTRIES = [
  { entry: 'main/index.ts', outfile: 'main/index.js' },
  { entry: 'main/cli.ts', outfile: 'main/cli.js' },
];

// Bundled CommonJS dependencies (https-proxy-agent and its helpers) call require(), which an
// ES module does not have, so the bundle defines one.
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

async function buildMain(outdir) {
  for (const { entry, outfile } of MAIN_ENTRIES) {
    if (!existsSync(join(ROOT, entry))) {
      throw new Error(`Cannot build ${entry}: the file does not exist. Restore it or remove it from MAIN_ENTRIES in scripts/build.mjs.`);
    }
    await build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outfile: join(outdir, outfile),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      external: MAIN_EXTERNALS,
      banner: { js: REQUIRE_SHIM },
      sourcemap: 'linked',
      logLevel: 'warning',
    });
  }
}

/** Builds the preload alone, for a checkout without the renderer build script. */
async function buildPreload(outdir) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['preload/index.cts'],
    outfile: join(outdir, 'preload', 'index.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'chrome120',
    external: ['electron'],
    logLevel: 'warning',
  });
}

/** Builds everything into `outdir` and returns the folder. */
export async function buildApp({ outdir = join(ROOT, 'dist') } = {}) {
  await mkdir(outdir, { recursive: true });
  await buildMain(outdir);

  const rendererScript = join(ROOT, 'scripts', 'build-renderer.mjs');
  if (existsSync(rendererScript)) {
    const { buildWindow } = await import(pathToFileURL(rendererScript).href);
    await buildWindow({ outdir });
  } else {
    await buildPreload(outdir);
  }
  return outdir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flag = process.argv.indexOf('--outdir');
  const outdir = flag === -1 ? undefined : resolve(process.argv[flag + 1] ?? '');
  try {
    const written = await buildApp({ outdir });
    console.log(`Built the app into ${written}`);
  } catch (error) {
    console.error(`Build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
