/**
 * `presence-tray <command>`: the headless entry. It forwards the command to the running tray
 * app when there is one (so the app's session is reused), and otherwise runs it with a core of
 * its own. `sandbox` runs the local Microsoft emulator until stopped.
 */

import { mkdir } from 'node:fs/promises';

import { appDataDir } from './core/paths.ts';
import { commandChannelPath, sendToRunningApp } from './core/node/command-channel.ts';
import { EXIT, USAGE, parseArgs, type Command, type GlobalOptions } from './cli/args.ts';
import { runCommand } from './cli/commands.ts';
import { createHeadlessContext, type CommandIo } from './cli/headless.ts';

/** How long a forwarded command may take before the second process gives up waiting. */
const FORWARD_TIMEOUT_MS = 60_000;

const processIo: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], io: CommandIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.err(`${parsed.error}\n`);
    return EXIT.usage;
  }
  const { command, options } = parsed;

  switch (command.name) {
    case 'help':
      io.out(`${USAGE}\n`);
      return EXIT.ok;
    case 'version':
      io.out(`${await readVersion()}\n`);
      return EXIT.ok;
    case 'sandbox':
      return runSandbox(command.port, options, io, env);
    default:
      break;
  }

  const forwarded = await forwardToRunningApp(argv, io, env);
  if (forwarded !== null) {
    return forwarded;
  }
  return runHeadless(command, options, io, env);
}

async function forwardToRunningApp(argv: string[], io: CommandIo, env: NodeJS.ProcessEnv): Promise<number | null> {
  const path = commandChannelPath(appDataDir(env));
  try {
    const reply = await sendToRunningApp(path, argv, FORWARD_TIMEOUT_MS);
    if (reply === null) {
      return null;
    }
    io.out(reply.stdout);
    io.err(reply.stderr);
    return reply.exitCode;
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.failure;
  }
}

async function runHeadless(command: Command, options: GlobalOptions, io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  let context;
  try {
    context = await createHeadlessContext(options, io, env);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    if (options.json) {
      io.out(`${JSON.stringify({ error: (error as Error).message, exitCode: EXIT.failure })}\n`);
    }
    return EXIT.failure;
  }

  try {
    await context.app.start({ replayJournal: false });
    const graphBaseUrl = context.sandbox ? (await import('./sandbox/index.ts').then((sandbox) => sandbox.readSandboxState(context.dataDir))).graphBaseUrl : 'https://graph.microsoft.com';
    return await runCommand(command, { app: context.app, settings: context.settings, io, options, graphBaseUrl });
  } finally {
    await context.close();
  }
}

async function runSandbox(port: number | null, options: GlobalOptions, io: CommandIo, env: NodeJS.ProcessEnv): Promise<number> {
  const sandbox = await import('./sandbox/index.ts');
  const dataDir = appDataDir(env);

  let running;
  try {
    running = await sandbox.startSandbox({ port: port ?? sandbox.DEFAULT_SANDBOX_PORT, logRequests: options.verbose });
  } catch (error) {
    io.err(`Could not start the sandbox: ${(error as Error).message}\n`);
    return EXIT.failure;
  }

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await sandbox.writeSandboxState(dataDir, {
    origin: running.origin,
    authority: running.authority,
    graphBaseUrl: running.graphBaseUrl,
    caPem: running.caPem,
    controlSecret: running.controlSecret,
    pid: process.pid,
    clientId: sandbox.SANDBOX_CLIENT_ID,
    tenantId: sandbox.SANDBOX_TENANT_ID,
  });

  // One JSON line, so a script can read where the sandbox listens. The control secret stays in
  // the state file (mode 0600) instead of on the terminal.
  io.out(
    `${JSON.stringify({
      sandbox: 'running',
      origin: running.origin,
      authority: running.authority,
      graphBaseUrl: running.graphBaseUrl,
      clientId: sandbox.SANDBOX_CLIENT_ID,
      tenantId: sandbox.SANDBOX_TENANT_ID,
      user: sandbox.SANDBOX_USER.username,
      stateFile: sandbox.sandboxStatePath(dataDir),
    })}\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

  await sandbox.removeSandboxState(dataDir);
  await running.close();
  io.err('Sandbox stopped.\n');
  return EXIT.ok;
}

async function readVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  // From main/cli.ts in a checkout the manifest is one folder up; from dist/main/cli.js, two.
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(await readFile(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'presence-tray' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    } catch {
      // Not at this level; try the next one.
    }
  }
  return 'unknown';
}
