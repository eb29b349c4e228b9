/**
 * Builds the core for a one-shot command-line process: Node ports in place of Electron's, the
 * settings file, the journal, and either Microsoft's endpoints or the running sandbox.
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { PresenceApp, type PresenceAppConfig } from '../core/app.ts';
import { createLogger, formatLogLine } from '../core/log.ts';
import { createSystemBrowserOpener } from '../core/node/browser-opener.ts';
import { createNodeBlobFile } from '../core/node/blob-file.ts';
import { systemClock } from '../core/node/clock.ts';
import { createJournalStore } from '../core/node/journal-store.ts';
import { createNodeTransport, type NodeTransport } from '../core/net/node-transport.ts';
import { appDataDir, DATA_FILES } from '../core/paths.ts';
import type { Logger, SecretBox } from '../core/ports.ts';
import { openSettingsFile } from '../core/settings/file-store.ts';
import { managedAccountSettings, managedSettingsFiles } from '../core/settings/managed.ts';
import type { SettingsStore } from '../core/settings/store.ts';
import type { DeviceCodeInfo } from '../core/auth/auth-service.ts';
import type { GlobalOptions } from './args.ts';

/** Output streams of a command; the running app collects them to send back over the channel. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export interface HeadlessContext {
  app: PresenceApp;
  settings: SettingsStore;
  logger: Logger;
  dataDir: string;
  sandbox: boolean;
  close(): Promise<void>;
}

/**
 * Plain Node has no OS secret store. Returning `none` makes the token cache stay in memory
 * unless the user accepted an owner-only file (`--cache-file`), and never encrypts with a
 * made-up key that would only look safe.
 */
const NO_SECRET_STORE: SecretBox = {
  backend: async () => 'none',
  encrypt: async () => {
    throw new Error('No OS secret store is available to the command line.');
  },
  decrypt: async () => {
    throw new Error('No OS secret store is available to the command line.');
  },
};

/** Creates a logger that writes to stderr: every line with --verbose, warnings otherwise. */
export function createCliLogger(io: CommandIo, verbose: boolean): Logger {
  return createLogger((line) => io.err(`${formatLogLine(line, new Date().toISOString())}\n`), verbose ? 'debug' : 'warn', 'cli');
}

/** Prints what was wrong with the settings file, with the fields that took defaults on one line. */
function printSettingsProblems(problems: readonly string[], io: CommandIo, verbose: boolean): void {
  const defaulted = verbose ? [] : problems.filter((problem) => problem.includes('using the default'));
  for (const problem of problems) {
    if (!defaulted.includes(problem)) {
      io.err(`Settings: ${problem}\n`);
    }
  }
  if (defaulted.length > 0) {
    io.err(`Settings: ${defaulted.length} fields were missing or invalid and use their defaults (run with --verbose to list them).\n`);
  }
}

/** Builds the core for one command; the caller must `close()` it. */
export async function createHeadlessContext(options: GlobalOptions, io: CommandIo, env: NodeJS.ProcessEnv = process.env): Promise<HeadlessContext> {
  const dataDir = appDataDir(env);
  const logger = createCliLogger(io, options.verbose);
  const managed = managedAccountSettings(env, managedSettingsFiles(dataDir, process.platform, env));
  // The sandbox keeps its own settings, journal and tokens, so trying it never touches the
  // real account choice or a real session.
  const settingsDir = options.sandbox ? join(dataDir, 'sandbox') : dataDir;
  const settings = openSettingsFile({ path: join(settingsDir, DATA_FILES.settings), managed: options.sandbox ? undefined : managed, logger });
  printSettingsProblems(settings.problems(), io, options.verbose);

  const printDeviceCode = (info: DeviceCodeInfo): void => {
    io.err(`${info.message}\n`);
  };

  let transport: NodeTransport;
  let appConfig: PresenceAppConfig;
  let stateDir = dataDir;
  let browser = createSystemBrowserOpener((line) => io.err(`${line}\n`));
  let tokenCachePath = options.cacheFile;

  if (options.sandbox) {
    // Imported here so a command against Microsoft never loads the sandbox and its certificate code.
    const sandbox = await import('../sandbox/index.ts');
    const state = await sandbox.readSandboxState(dataDir);
    transport = createNodeTransport({ extraCaPem: state.caPem, env, logger });

    stateDir = settingsDir;
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    tokenCachePath = tokenCachePath ?? join(stateDir, DATA_FILES.tokenCache);
    browser = { open: (url) => sandbox.completeSandboxSignIn(url, state.caPem) };
    appConfig = {
      clientId: state.clientId,
      authority: state.authority,
      graphBaseUrl: state.graphBaseUrl,
      sandbox: true,
    };
  } else {
    transport = createNodeTransport({ env, logger });
    const account = settings.get().account;
    appConfig = {
      clientId: account.clientId,
      authority: `https://login.microsoftonline.com/${account.tenant}`,
      graphBaseUrl: 'https://graph.microsoft.com',
      sandbox: false,
    };
  }

  if (tokenCachePath !== null && !options.sandbox) {
    io.err(`Warning: tokens are kept unencrypted in ${tokenCachePath}, readable only by you.\n`);
  }

  const app = await PresenceApp.create(
    {
      clock: systemClock,
      logger,
      transport,
      browser,
      notifier: { notify: ({ title, body }) => io.err(`${title}: ${body}\n`) },
      secretBox: NO_SECRET_STORE,
      tokenCacheFile: createNodeBlobFile(tokenCachePath ?? join(stateDir, DATA_FILES.tokenCache), { logger }),
      journal: createJournalStore({ file: createNodeBlobFile(join(stateDir, DATA_FILES.journal), { logger }), logger }),
      settings,
    },
    { ...appConfig, allowPlaintextTokenCache: tokenCachePath !== null, onDeviceCode: printDeviceCode },
  );

  return {
    app,
    settings,
    logger,
    dataDir,
    sandbox: options.sandbox,
    async close() {
      await app.dispose();
      transport.close();
    },
  };
}
