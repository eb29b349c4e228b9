/**
 * Ours as a cold process: `presence-tray --sandbox clear` started fresh with a signed-in token
 * cache, timed from spawn to exit, from the checkout (`bin/presence-tray.js`, TypeScript through
 * tsx) and from the esbuild bundle `npm run build` makes (`dist/main/cli.js`). Node's own start
 * and `--version` show how much of that is process start and module loading.
 */

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID, writeSandboxState } from '../../main/sandbox/index.ts';
import type { BenchContext } from './context.ts';
import { setSession } from './raw-https.ts';
import { summarize, type Summary } from './stats.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHECKOUT_CLI = join(ROOT, 'bin', 'presence-tray.js');
/** Each cold-process case runs at most this often, because every run starts a whole Node process. */
const MAX_RUNS = 15;

export interface ProcessCase {
  name: string;
  command: string;
  elapsedMs: Summary;
  /** Sandbox requests per run, by action (the sandbox probe through the control API included). */
  requestsPerRun: Record<string, number>;
  /** Connections the delay proxy accepted per run. */
  handshakesPerRun: number;
}

export interface ColdProcessResult {
  cases: ProcessCase[];
  /** Why the bundle was not measured, or null when it was. */
  bundleProblem: string | null;
}

interface BuildScript {
  buildApp(options: { outdir: string }): Promise<string>;
}

export async function measureColdProcess(context: BenchContext): Promise<ColdProcessResult> {
  const home = await mkdtemp(join(context.workDir, 'cli-home-'));
  const env = { ...process.env, PRESENCE_TRAY_HOME: home };
  const runs = Math.min(context.count, MAX_RUNS);
  const setupAgent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: context.sandbox.caPem });

  try {
    // The probe of the state file goes straight to the sandbox: Microsoft has no such probe, so
    // only the sign-in authority and Graph sit behind the delay proxy.
    await writeSandboxState(home, {
      origin: context.sandbox.origin,
      authority: `${context.proxy.origin}/${SANDBOX_TENANT_ID}`,
      graphBaseUrl: context.proxy.origin,
      caPem: context.sandbox.caPem,
      controlSecret: context.sandbox.controlSecret,
      pid: process.pid,
      clientId: SANDBOX_CLIENT_ID,
      tenantId: SANDBOX_TENANT_ID,
    });
    context.progress('cold process: signing in once through the command line');
    await runProcess([CHECKOUT_CLI, '--sandbox', 'sign-in'], env, 'presence-tray --sandbox sign-in');

    let bundleProblem: string | null = null;
    let bundleCli: string | null = null;
    try {
      context.progress('cold process: building the bundle with scripts/build.mjs');
      const script = (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as BuildScript;
      const outdir = await script.buildApp({ outdir: join(context.workDir, 'dist') });
      // dist/main/cli.js only exports `main`, so a runner calls it as bin/presence-tray.js does.
      bundleCli = join(context.workDir, 'bundle-cli.mjs');
      const bundleUrl = pathToFileURL(join(outdir, 'main', 'cli.js')).href;
      await writeFile(bundleCli, `const { main } = await import(${JSON.stringify(bundleUrl)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    } catch (error) {
      bundleProblem = `npm run build failed: ${error instanceof Error ? error.message : String(error)}`;
    }

    const variants: { name: string; command: string; args: string[]; needsSession: boolean }[] = [
      { name: 'node start', command: 'node -e ""', args: ['-e', ''], needsSession: false },
      { name: 'checkout --version', command: 'node bin/presence-tray.js --version', args: [CHECKOUT_CLI, '--version'], needsSession: false },
      {
        name: 'checkout --sandbox clear',
        command: 'node bin/presence-tray.js --sandbox clear',
        args: [CHECKOUT_CLI, '--sandbox', 'clear'],
        needsSession: true,
      },
    ];
    if (bundleCli !== null) {
      variants.push({ name: 'bundle --version', command: 'runner + dist/main/cli.js --version', args: [bundleCli, '--version'], needsSession: false });
      variants.push({
        name: 'bundle --sandbox clear',
        command: 'runner + dist/main/cli.js --sandbox clear',
        args: [bundleCli, '--sandbox', 'clear'],
        needsSession: true,
      });
    }

    const cases: ProcessCase[] = [];
    for (const variant of variants) {
      context.progress(`cold process: ${variant.name}`);
      const samples: number[] = [];
      const requestCounts: Record<string, number> = {};
      let handshakes = 0;
      for (let index = 0; index < runs + 1; index += 1) {
        if (variant.needsSession) {
          await setSession(setupAgent, context.direct, context.sandbox.caPem);
        }
        context.sandbox.control.clearRequests();
        const connectionsBefore = context.proxy.connections();
        const elapsed = await runProcess(variant.args, env, variant.name);
        // The first run warms the disk cache and tsx's transform cache, so it is not counted.
        if (index === 0) {
          continue;
        }
        samples.push(elapsed);
        handshakes += context.proxy.connections() - connectionsBefore;
        for (const entry of context.sandbox.control.requests()) {
          requestCounts[entry.action] = (requestCounts[entry.action] ?? 0) + 1;
        }
      }
      if (variant.needsSession && requestCounts['clearPresence'] !== runs) {
        throw new Error(`${variant.name} sent ${requestCounts['clearPresence'] ?? 0} clearPresence requests in ${runs} runs, expected one per run.`);
      }
      const perRun: Record<string, number> = {};
      for (const [action, count] of Object.entries(requestCounts)) {
        perRun[action] = count / runs;
      }
      cases.push({
        name: variant.name,
        command: variant.command,
        elapsedMs: summarize(samples),
        requestsPerRun: perRun,
        handshakesPerRun: handshakes / runs,
      });
    }
    return { cases, bundleProblem };
  } finally {
    setupAgent.destroy();
    await rm(home, { recursive: true, force: true });
  }
}

/** Runs `node args` to its exit and returns the time from spawn to exit. Throws on a non-zero code. */
function runProcess(args: string[], env: NodeJS.ProcessEnv, description: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      const elapsed = performance.now() - startedAt;
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${description} exited with code ${String(code)}: ${stderr.slice(-1500)}`));
        return;
      }
      resolve(elapsed);
    });
  });
}
