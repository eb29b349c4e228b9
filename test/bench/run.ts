/**
 * `npm run bench`: times the clear path against the physical floor and Microsoft's Graph
 * clients, over the sandbox behind a loopback delay proxy, and writes docs/benchmarks.md and
 * docs/benchmarks.json. All traffic stays on 127.0.0.1.
 *
 * Options: --rtt MS (default 50), --count N timed runs per case (default 30), --warmup N
 * (default 5), --cycles N keep-alive cycles for the heap figure (default 10000),
 * --only floor,triggers,cold,peers,keepalive,quit (prints JSON and writes no docs),
 * --render (rewrites docs/benchmarks.md from docs/benchmarks.json without measuring).
 */

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { acquireSandboxTokens, SANDBOX_CLIENT_ID, SANDBOX_USER, startSandbox } from '../../main/sandbox/index.ts';
import { buildBenchBundles } from './bundles.ts';
import { measureColdProcess } from './cold-process.ts';
import type { BenchContext } from './context.ts';
import { startDelayProxy } from './delay-proxy.ts';
import { measureFloor } from './floor.ts';
import { measureKeepAlive } from './keep-alive.ts';
import { measurePeers } from './peers.ts';
import { measureQuit } from './quit.ts';
import { evaluateGoals, keyFiguresOf, renderMarkdown, type BenchReport } from './report.ts';
import { machineFacts, round, summarize } from './stats.ts';
import { measureTriggers } from './triggers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CASES = ['floor', 'triggers', 'cold', 'peers', 'keepalive', 'quit'] as const;
type CaseName = (typeof CASES)[number];

interface RunOptions {
  rttMs: number;
  count: number;
  warmup: number;
  cycles: number;
  only: Set<CaseName> | null;
  renderOnly: boolean;
}

function readOptions(): RunOptions {
  const { values } = parseArgs({
    options: {
      render: { type: 'boolean', default: false },
      rtt: { type: 'string', default: '50' },
      count: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      cycles: { type: 'string', default: '10000' },
      only: { type: 'string' },
    },
  });
  const number = (name: string, text: string, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(`Invalid --${name} ${text}: expected a whole number >= ${min}.`);
    }
    return value;
  };

  let only: Set<CaseName> | null = null;
  if (values.only !== undefined) {
    const names = values.only.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !(CASES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new RangeError(`Unknown case ${unknown.join(', ')} in --only: use some of ${CASES.join(', ')}.`);
    }
    only = new Set(names as CaseName[]);
  }
  return {
    rttMs: number('rtt', values.rtt, 0),
    count: number('count', values.count, 1),
    warmup: number('warmup', values.warmup, 0),
    cycles: number('cycles', values.cycles, 1),
    only,
    renderOnly: values.render,
  };
}

/** Milliseconds to build a TLS context with Node's bundled roots plus one CA, and with the defaults. */
function measureSecureContexts(): BenchReport['secureContext'] {
  const extra = tls.rootCertificates[0] ?? '';
  const time = (build: () => void): number => {
    const samples: number[] = [];
    for (let index = 0; index < 15; index += 1) {
      const startedAt = performance.now();
      build();
      samples.push(performance.now() - startedAt);
    }
    return summarize(samples).median;
  };
  return {
    rootCertificates: tls.rootCertificates.length,
    rootsPlusOneMs: time(() => tls.createSecureContext({ ca: [...tls.rootCertificates, extra] })),
    defaultMs: time(() => tls.createSecureContext({})),
  };
}

const JSON_PATH = join(ROOT, 'docs', 'benchmarks.json');
const MARKDOWN_PATH = join(ROOT, 'docs', 'benchmarks.md');

async function main(): Promise<void> {
  const options = readOptions();
  if (options.renderOnly) {
    const report = JSON.parse(await readFile(JSON_PATH, 'utf8')) as BenchReport;
    await writeFile(MARKDOWN_PATH, renderMarkdown(report));
    return;
  }

  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const progress = (message: string): void => {
    process.stderr.write(`[bench ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s] ${message}\n`);
  };
  const runs = (name: CaseName): boolean => options.only === null || options.only.has(name);

  const workDir = join(ROOT, 'test-output', `bench-${process.pid}`);
  await mkdir(workDir, { recursive: true });
  const sandbox = await startSandbox({ port: 0 });
  const proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: sandbox.port, rttMs: options.rttMs });

  try {
    const caFile = join(workDir, 'sandbox-ca.pem');
    await writeFile(caFile, sandbox.caPem, { mode: 0o600 });
    const tokens = await acquireSandboxTokens(sandbox);
    const identity = { presenceId: SANDBOX_USER.objectId, sessionId: SANDBOX_CLIENT_ID, token: tokens.accessToken };
    const context: BenchContext = {
      sandbox,
      proxy,
      rttMs: options.rttMs,
      count: options.count,
      warmup: options.warmup,
      delayed: { ...identity, origin: proxy.origin },
      direct: { ...identity, origin: sandbox.origin },
      workDir,
      caFile,
      progress,
    };

    progress('building the child bundles');
    const bundles = await buildBenchBundles(workDir);

    const report: BenchReport = {
      machine: { ...machineFacts(startedAt), loadAverageBefore: loadBefore.map((load) => round(load, 2)), loadAverageAfter: [] },
      settings: { rttMs: options.rttMs, count: options.count, warmup: options.warmup, accessTokenLifetimeS: tokens.expiresIn },
      warmClearOverFloor: null,
      coldClearOverFloor: null,
      tokenRequestsOnWarmClear: null,
      keyFigures: {},
      goals: [],
      floor: runs('floor') ? await measureFloor(context) : null,
      triggers: runs('triggers') ? await measureTriggers(context) : null,
      coldProcess: runs('cold') ? await measureColdProcess(context) : null,
      peers: runs('peers') ? await measurePeers(context, bundles) : null,
      keepAlive: runs('keepalive') ? await measureKeepAlive(context, bundles, { intentHours: 8, cycles: options.cycles }) : null,
      quit: runs('quit') ? await measureQuit(context) : null,
      secureContext: measureSecureContexts(),
      durationS: 0,
    };
    report.machine.loadAverageAfter = os.loadavg().map((load) => round(load, 2));
    report.durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);
    report.goals = evaluateGoals(report);
    report.keyFigures = keyFiguresOf(report.goals);
    report.warmClearOverFloor = report.keyFigures['warmClearOverFloor'] ?? null;
    report.coldClearOverFloor = report.keyFigures['coldClearOverFloor'] ?? null;
    report.tokenRequestsOnWarmClear = report.keyFigures['tokenRequestsOnWarmClear'] ?? null;

    if (options.only !== null) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    await writeFile(JSON_PATH, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(MARKDOWN_PATH, renderMarkdown(report));
    progress(`wrote docs/benchmarks.md and docs/benchmarks.json in ${report.durationS} s`);
    for (const goal of report.goals) {
      process.stdout.write(`${goal.met ? 'met   ' : 'MISSED'} ${goal.name}: ${goal.detail}\n`);
    }
  } finally {
    await proxy.close();
    await sandbox.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
