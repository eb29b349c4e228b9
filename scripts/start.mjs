// Starts the app (`npm start`). With a desktop and an Electron binary already on disk, it builds
// and launches the tray app. Otherwise (no display, or no binary, as on CI) it starts the local
// sandbox through the command line and prints what to try next. It never downloads Electron:
// importing the `electron` package would, so the binary is looked up by file.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Returns the Electron executable if one is installed, else null. The `electron` package
 * records the binary's path inside its `dist/` folder in `path.txt` once downloaded;
 * `ELECTRON_OVERRIDE_DIST_PATH` points at a local build instead.
 */
export function findElectronBinary(root = ROOT, env = process.env, platform = process.platform) {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override !== undefined && override !== '') {
    let name = 'electron';
    if (platform === 'win32') {
      name = 'electron.exe';
    } else if (platform === 'darwin') {
      name = 'Electron.app/Contents/MacOS/Electron';
    }
    const binary = join(override, name);
    return existsSync(binary) ? binary : null;
  }

  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return null;
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Returns whether a window can be shown: always on macOS and Windows, X11 or Wayland on Linux. */
export function hasDisplay(env = process.env, platform = process.platform) {
  if (platform === 'darwin' || platform === 'win32') {
    return true;
  }
  return Boolean(env.DISPLAY) || Boolean(env.WAYLAND_DISPLAY);
}

/** Decides what `npm start` runs, with the reason shown to the user. */
export function chooseStartMode(options = {}) {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const binary = options.binary === undefined ? findElectronBinary(ROOT, env, platform) : options.binary;

  if (!hasDisplay(env, platform)) {
    return { mode: 'sandbox', reason: 'No display was found (DISPLAY and WAYLAND_DISPLAY are unset), so the tray app cannot show.' };
  }
  if (binary === null) {
    return {
      mode: 'sandbox',
      reason: 'No Electron binary is installed (node_modules/electron has no dist/). This script does not download one.',
    };
  }
  return { mode: 'app', binary, reason: `Launching ${binary}.` };
}

const NEXT_STEPS = `
The sandbox is a local stand-in for Microsoft sign-in and Graph presence. In another terminal:
  npx presence-tray --sandbox sign-in
  npx presence-tray --sandbox set Busy --for PT30M
  npx presence-tray --sandbox status --json
  npx presence-tray --sandbox clear
To run the tray app itself, on a desktop machine run \`npx electron --version\` once (it
downloads Electron's binary) and run npm start again. Press Ctrl+C to stop the sandbox.
`;

function run(command, args) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 0);
  });
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exitCode = 1;
  });
}

async function main() {
  const choice = chooseStartMode();
  console.log(choice.reason);

  if (choice.mode === 'app') {
    const { buildApp } = await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href);
    await buildApp();
    run(choice.binary, [ROOT]);
    return;
  }

  console.log(NEXT_STEPS);
  // Arguments after `npm start --` go to the sandbox, for example `--port 47500`.
  run(process.execPath, [join(ROOT, 'bin', 'presence-tray.js'), 'sandbox', ...process.argv.slice(2)]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
