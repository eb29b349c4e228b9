/** The benchmark record: its shape, the goals checked against it, and its Markdown page. */

import type { ColdProcessResult } from './cold-process.ts';
import type { FloorResult } from './floor.ts';
import type { KeepAliveFigures } from './keep-alive.ts';
import type { LibraryFigures } from './peers.ts';
import type { QuitResult } from './quit.ts';
import { ratio, type MachineFacts } from './stats.ts';
import type { TriggerResult } from './triggers.ts';

export interface BenchReport {
  machine: MachineFacts & { loadAverageBefore: number[]; loadAverageAfter: number[] };
  settings: { rttMs: number; count: number; warmup: number; accessTokenLifetimeS: number };
  floor: FloorResult | null;
  triggers: TriggerResult[] | null;
  coldProcess: ColdProcessResult | null;
  peers: LibraryFigures[] | null;
  keepAlive: KeepAliveFigures | null;
  quit: QuitResult | null;
  /** Median ms to build one TLS context, with Node's roots plus one extra CA and with the defaults. */
  secureContext: { rootCertificates: number; rootsPlusOneMs: number; defaultMs: number };
  durationS: number;
  /** Slowest trigger's warm clear over the warm floor (medians), or null when a case did not run. */
  warmClearOverFloor: number | null;
  /** Slowest trigger's clear on a new connection over the new-connection floor (medians). */
  coldClearOverFloor: number | null;
  tokenRequestsOnWarmClear: number | null;
  /** Each goal's value under its key, the three above included. */
  keyFigures: Record<string, number | null>;
  goals: Goal[];
}

export interface Goal {
  /** Stable key, as in the JSON (`warmClearOverFloor`, ...). */
  key: string;
  name: string;
  value: number | null;
  limit: string;
  met: boolean;
  detail: string;
}

/** Goal limits: within 10 % of the floor, at most 1 MB of heap growth, quit within 100 ms of its budget. */
const MAX_CLEAR_OVER_FLOOR = 1.1;
const MAX_HEAP_GROWTH_BYTES = 1_000_000;
const QUIT_TOLERANCE_MS = 100;

function worstMedian(triggers: TriggerResult[], connection: TriggerResult['connection']): TriggerResult | null {
  let worst: TriggerResult | null = null;
  for (const result of triggers) {
    if (result.connection === connection && (worst === null || result.elapsedMs.median > worst.elapsedMs.median)) {
      worst = result;
    }
  }
  return worst;
}

function library(report: BenchReport, name: LibraryFigures['library']): LibraryFigures | null {
  return report.peers?.find((entry) => entry.library === name) ?? null;
}

/** Checks every goal the data allows. A goal whose case did not run is left out. */
export function evaluateGoals(report: BenchReport): Goal[] {
  const goals: Goal[] = [];
  const { floor, triggers } = report;

  if (floor !== null && triggers !== null) {
    const warm = worstMedian(triggers, 'warm');
    const cold = worstMedian(triggers, 'new-connection');
    if (warm !== null) {
      const value = ratio(warm.elapsedMs.median, floor.warm.median);
      goals.push({
        key: 'warmClearOverFloor',
        name: 'warm clear / warm floor',
        value,
        limit: `<= ${MAX_CLEAR_OVER_FLOOR}`,
        met: value <= MAX_CLEAR_OVER_FLOOR,
        detail: `slowest trigger ${warm.trigger}: median ${warm.elapsedMs.median} ms against ${floor.warm.median} ms`,
      });
    }
    if (cold !== null) {
      const value = ratio(cold.elapsedMs.median, floor.newConnection.median);
      goals.push({
        key: 'coldClearOverFloor',
        name: 'clear on a new connection / new-connection floor',
        value,
        limit: `<= ${MAX_CLEAR_OVER_FLOOR}`,
        met: value <= MAX_CLEAR_OVER_FLOOR,
        detail: `slowest trigger ${cold.trigger}: median ${cold.elapsedMs.median} ms against ${floor.newConnection.median} ms`,
      });
    }
  }

  if (triggers !== null) {
    const warmRuns = triggers.filter((result) => result.connection === 'warm');
    const value = Math.max(...warmRuns.map((result) => result.tokenRequestsPerClear));
    goals.push({
      key: 'tokenRequestsOnWarmClear',
      name: 'token requests on a warm clear',
      value,
      limit: '= 0',
      met: value === 0,
      detail: `most per clear over the ${warmRuns.length} warm trigger cases, counted in the sandbox request log`,
    });
  }

  const ours = library(report, 'ours');
  const graphClient = library(report, 'graph-client');
  if (ours?.importMs !== undefined && graphClient?.importMs !== undefined) {
    goals.push({
      key: 'importTimeBelowGraphClient',
      name: 'import time of our clear path (without MSAL) below microsoft-graph-client',
      value: ratio(ours.importMs.median, graphClient.importMs.median),
      limit: '< 1',
      met: ours.importMs.median < graphClient.importMs.median,
      detail: `median ${ours.importMs.median} ms against ${graphClient.importMs.median} ms`,
    });
  }
  if (ours?.heapAfterImportMiB !== undefined && graphClient?.heapAfterImportMiB !== undefined) {
    goals.push({
      key: 'importHeapBelowGraphClient',
      name: 'heap after import of our clear path (without MSAL) below microsoft-graph-client',
      value: ratio(ours.heapAfterImportMiB.median, graphClient.heapAfterImportMiB.median),
      limit: '< 1',
      met: ours.heapAfterImportMiB.median < graphClient.heapAfterImportMiB.median,
      detail: `median ${ours.heapAfterImportMiB.median} MiB against ${graphClient.heapAfterImportMiB.median} MiB`,
    });
  }
  if (ours?.loopbackCpuMs !== undefined && graphClient?.loopbackCpuMs !== undefined) {
    goals.push({
      key: 'cpuPerClearVsGraphClient',
      name: 'CPU per clear on loopback, ours / microsoft-graph-client',
      value: ratio(ours.loopbackCpuMs.median, graphClient.loopbackCpuMs.median),
      limit: '<= 1',
      met: ours.loopbackCpuMs.median <= graphClient.loopbackCpuMs.median,
      detail: `median ${ours.loopbackCpuMs.median} ms against ${graphClient.loopbackCpuMs.median} ms`,
    });
  }

  if (report.keepAlive !== null) {
    const growthBytes = report.keepAlive.heapGrowthMiB * 1024 ** 2;
    goals.push({
      key: 'keepAliveHeapGrowth',
      name: `heap growth over ${report.keepAlive.cycles} keep-alive cycles`,
      value: report.keepAlive.heapGrowthMiB,
      limit: '<= 1 MB (0.954 MiB)',
      met: growthBytes <= MAX_HEAP_GROWTH_BYTES,
      detail: `${report.keepAlive.heapBeforeMiB} MiB before, ${report.keepAlive.heapAfterMiB} MiB after`,
    });
  }

  if (report.quit !== null) {
    const { notAnswering, budgetMs } = report.quit;
    const offset = Math.max(Math.abs(notAnswering.max - budgetMs), Math.abs(notAnswering.min - budgetMs));
    goals.push({
      key: 'quitWithoutAnswerAtBudget',
      name: 'quit without an answer exits at the quit budget',
      value: Math.round(offset),
      limit: `<= ${QUIT_TOLERANCE_MS} ms from ${budgetMs} ms`,
      met: offset <= QUIT_TOLERANCE_MS,
      detail: `${notAnswering.count} runs from ${notAnswering.min} to ${notAnswering.max} ms`,
    });
  }
  return goals;
}

/** Returns each goal's value keyed by the goal's key, for the top of the JSON record. */
export function keyFiguresOf(goals: readonly Goal[]): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  for (const goal of goals) {
    figures[goal.key] = goal.value;
  }
  return figures;
}

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.map((cell) => String(cell)).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function ms(value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(1);
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).filter(([, count]) => count > 0);
  return entries.length === 0 ? 'none' : entries.map(([action, count]) => `${action} ${Number(count.toFixed(2))}`).join(', ');
}

function goalSection(report: BenchReport): string {
  const rows = report.goals.map((goal) => [goal.met ? 'met' : '**missed**', goal.name, goal.value ?? '–', goal.limit, goal.detail]);
  return `## Goals\n\n${table(['result', 'goal', 'value', 'limit', 'detail'], rows)}\n`;
}

function floorSection(report: BenchReport): string {
  const floor = report.floor;
  if (floor === null) {
    return '';
  }
  const rows = [
    ['warm keep-alive connection', ms(floor.warm.median), ms(floor.warm.p95), ms(floor.warm.min), ms(floor.warm.max), floor.handshakesPerWarmRequest],
    ['new connection', ms(floor.newConnection.median), ms(floor.newConnection.p95), ms(floor.newConnection.min), ms(floor.newConnection.max), floor.handshakesPerNewRequest],
  ];
  return [
    '## 1. Floor: one bare node:https POST',
    '',
    'The clear request (same URL, token and body) sent with `node:https` and nothing else. A new',
    'connection costs three round trips: TCP, TLS 1.3 and the request.',
    '',
    table(['connection', 'median ms', 'p95 ms', 'min ms', 'max ms', 'handshakes per request'], rows),
    '',
  ].join('\n');
}

function triggerSection(report: BenchReport): string {
  const { triggers, floor } = report;
  if (triggers === null) {
    return '';
  }
  const rows = triggers.map((result) => {
    const floorMedian = result.connection === 'warm' ? floor?.warm.median : floor?.newConnection.median;
    return [
      result.trigger,
      result.connection,
      ms(result.elapsedMs.median),
      ms(result.elapsedMs.p95),
      ms(result.elapsedMs.min),
      ms(result.elapsedMs.max),
      floorMedian === undefined ? '–' : ratio(result.elapsedMs.median, floorMedian),
      ms(result.beforeSendMs.median),
      result.handshakesPerClear,
      result.tokenRequestsPerClear,
      result.otherRequestsPerClear,
    ];
  });
  return [
    '## 2. Ours in the running app: trigger to 2xx',
    '',
    'The tray app as `startTrayApp` builds it, over the Electron fakes, with real MSAL and a',
    'signed-in token cache. Timed from the tray click, shortcut press or `suspend` event to the',
    'moment the app\'s transport returned the 2xx of `clearPresence`. Each clear ends a Busy',
    'session the app set just before. "new connection" closes idle connections first, as after a',
    'resume. "before send" is the app\'s own work from the trigger to handing the request to the',
    'transport (journal, token lookup, request building).',
    '',
    table(
      ['trigger', 'connection', 'median ms', 'p95 ms', 'min ms', 'max ms', '/ floor', 'before send ms', 'handshakes', 'token requests', 'other requests'],
      rows,
    ),
    '',
  ].join('\n');
}

function coldSection(report: BenchReport): string {
  const cold = report.coldProcess;
  if (cold === null) {
    return '';
  }
  const rows = cold.cases.map((entry) => [
    entry.name,
    `\`${entry.command}\``,
    ms(entry.elapsedMs.median),
    ms(entry.elapsedMs.p95),
    ms(entry.elapsedMs.min),
    ms(entry.elapsedMs.max),
    counts(entry.requestsPerRun),
    entry.handshakesPerRun,
  ]);
  return [
    '## 3. Ours as a cold process',
    '',
    '`presence-tray --sandbox clear` as a new process with `PRESENCE_TRAY_HOME` holding a',
    'signed-in token cache, timed from spawn to exit. The checkout runs TypeScript through tsx',
    '(`bin/presence-tray.js`); the bundle is `dist/main/cli.js` from `scripts/build.mjs`, started by',
    'a two-line runner because the bundle only exports `main`. The sandbox state file\'s probe',
    '(`control` below) goes straight to the sandbox, since Microsoft has no such probe; sign-in and',
    'Graph go through the delay proxy. One untimed run first warms the disk cache.',
    cold.bundleProblem === null ? '' : `\nThe bundle was not measured: ${cold.bundleProblem}\n`,
    table(['case', 'command', 'median ms', 'p95 ms', 'min ms', 'max ms', 'requests per run', 'handshakes per run'], rows),
    '',
  ].join('\n');
}

const LIBRARY_LABELS: Record<LibraryFigures['library'], string> = {
  'node-https': 'node:https alone (floor)',
  ours: 'ours: app core without MSAL',
  'ours-sandbox-ca': 'ours with the sandbox CA as `extraCaPem`',
  'ours-with-msal': 'ours: app core with MSAL',
  'graph-client': '@microsoft/microsoft-graph-client 3.0.7',
  kiota: '@microsoft/msgraph-sdk 1.0.0-preview.90 + users',
};

function peerSection(report: BenchReport): string {
  const peers = report.peers;
  if (peers === null) {
    return '';
  }
  const rows = peers.map((entry) => [
    LIBRARY_LABELS[entry.library],
    ms(entry.importMs?.median),
    entry.heapAfterImportMiB === undefined ? '–' : entry.heapAfterImportMiB.median.toFixed(2),
    ms(entry.delayedCallMs?.median),
    ms(entry.delayedCallMs?.p95),
    entry.loopbackCallMs === undefined ? '–' : entry.loopbackCallMs.median.toFixed(2),
    entry.loopbackCpuMs === undefined ? '–' : entry.loopbackCpuMs.median.toFixed(3),
  ]);
  return [
    '## 4. Peers: the same clear through Microsoft\'s Graph clients',
    '',
    'Each library runs in fresh child processes (`node --expose-gc`), with the same sandbox, token',
    'and request. Import time and heap are medians over separate processes; heap is `heapUsed`',
    'after import minus before, each after two full collections. Per-call figures come from one',
    'process: through the delay proxy, then straight to the sandbox with CPU time (user + system)',
    'taken around each awaited call. Every clear ends a session set just before by a separate',
    'untimed request. Our code is measured as an esbuild bundle, as it ships; "app core" is',
    '`main/core/app.ts` with everything a clear runs through (session, Graph client, Node',
    'transport, journal, logger). The fetch-based peers and `ours` trust the sandbox CA through',
    '`NODE_EXTRA_CA_CERTS`, the way the app trusts Microsoft; `ours with the sandbox CA` passes it',
    'as `extraCaPem`, the way the app runs in sandbox mode.',
    '',
    table(['library', 'import ms', 'heap after import MiB', `call at ${report.settings.rttMs} ms RTT, median`, 'p95', 'loopback call ms', 'loopback CPU ms per call'], rows),
    '',
  ].join('\n');
}

function quitSection(report: BenchReport): string {
  const quit = report.quit;
  if (quit === null) {
    return '';
  }
  const rows = [
    ['sandbox answers', ms(quit.answering.median), ms(quit.answering.p95), ms(quit.answering.min), ms(quit.answering.max), quit.answering.count],
    ['sandbox holds the clear unanswered', ms(quit.notAnswering.median), ms(quit.notAnswering.p95), ms(quit.notAnswering.min), ms(quit.notAnswering.max), quit.notAnswering.count],
  ];
  return [
    '## 6. Quit to exit',
    '',
    `The tray menu's Quit through the real quit path (quit budget ${quit.budgetMs} ms), timed to the`,
    'fake `app` exiting. Each run starts the app afresh from the same data folder and sets Busy.',
    '',
    table(['case', 'median ms', 'p95 ms', 'min ms', 'max ms', 'runs'], rows),
    '',
  ].join('\n');
}

function keepAliveSection(report: BenchReport): string {
  const keepAlive = report.keepAlive;
  if (keepAlive === null) {
    return '';
  }
  const rows = [
    [`${keepAlive.intentHours}-hour intent (file journal)`, counts(keepAlive.intentRequests), keepAlive.intentCpuMs.toFixed(0), keepAlive.cpuMsPerHour.toFixed(1)],
    [`${keepAlive.cycles} keep-alive cycles (memory journal)`, counts(keepAlive.cycleRequests), (keepAlive.cpuMsPerCycle * keepAlive.cycles).toFixed(0), '–'],
  ];
  return [
    '## 7. Keep-alive cost',
    '',
    'The real session, Graph client and Node transport in a child process against the sandbox on',
    'loopback; a fake clock moves time in one-minute steps. CPU is the child\'s user + system time.',
    `Heap after ${keepAlive.cycles} cycles: ${keepAlive.heapBeforeMiB} MiB before, ${keepAlive.heapAfterMiB} MiB after,`,
    `growth ${keepAlive.heapGrowthMiB} MiB (after 200 warm-up cycles and two full collections each`,
    `time); ${keepAlive.cpuMsPerCycle} ms CPU per cycle.`,
    '',
    table(['run', 'requests', 'CPU ms', 'CPU ms per hour'], rows),
    '',
  ].join('\n');
}

function roundTripSection(report: BenchReport): string {
  const triggers = report.triggers;
  if (triggers === null) {
    return '';
  }
  const warm = triggers.filter((result) => result.connection === 'warm');
  const fresh = triggers.filter((result) => result.connection === 'new-connection');
  const maxOf = (values: TriggerResult[], pick: (result: TriggerResult) => number): number => Math.max(...values.map(pick));
  return [
    '## 5. Round trips',
    '',
    `- Token requests per warm clear: ${maxOf(warm, (result) => result.tokenRequestsPerClear)} (sandbox request log; the access`,
    `  token came from the sign-in before the cases and lives ${report.settings.accessTokenLifetimeS} s, so at least 5 minutes`,
    '  remained at every clear).',
    `- Handshakes per warm clear: ${maxOf(warm, (result) => result.handshakesPerClear)}; per clear on a new connection:`,
    `  ${maxOf(fresh, (result) => result.handshakesPerClear)} (connections accepted by the delay proxy; each is one TCP and one TLS`,
    '  handshake).',
    `- Requests other than the clear during a warm clear: ${maxOf(warm, (result) => result.otherRequestsPerClear)}.`,
    '',
  ].join('\n');
}

/** Returns the paragraph on the sandbox-CA cost, filled in with this run's figures. */
function sandboxCaLines(report: BenchReport): string[] {
  const { secureContext } = report;
  const oursCpu = report.peers?.find((entry) => entry.library === 'ours')?.loopbackCpuMs?.median;
  const sandboxCaCpu = report.peers?.find((entry) => entry.library === 'ours-sandbox-ca')?.loopbackCpuMs?.median;
  const lines = [
    '- **The sandbox CA and the TLS context.** With `extraCaPem` set (sandbox mode), building a TLS',
    `  context from ${secureContext.rootCertificates + 1} PEM certificates takes ${secureContext.rootsPlusOneMs} ms here, against ${secureContext.defaultMs} ms for the`,
    '  default context. `NodeTransport` builds that context once, at construction, and hands the',
    '  same `secureContext` to every connection; an earlier version passed `ca` per connection and',
    '  paid the build on every handshake. Against Microsoft (no `extraCaPem`) Node\'s default',
    '  context is used.',
  ];
  if (oursCpu !== undefined && sandboxCaCpu !== undefined) {
    lines.push(`  CPU per loopback clear: ${sandboxCaCpu} ms with \`extraCaPem\`, ${oursCpu} ms without it.`);
  }
  return lines;
}

function triggerLine(triggers: TriggerResult[], floor: FloorResult, connection: TriggerResult['connection']): string {
  const floorMedian = connection === 'warm' ? floor.warm.median : floor.newConnection.median;
  const parts = triggers
    .filter((result) => result.connection === connection)
    .map((result) => `${result.trigger} +${(result.elapsedMs.median - floorMedian).toFixed(1)} ms (${result.beforeSendMs.median.toFixed(1)} ms before sending)`);
  return parts.join(', ');
}

/** Says where the time above the floor goes, then explains each missed goal. */
function findingsSection(report: BenchReport): string {
  const lines: string[] = ['## Where the time above the floor goes', ''];
  const { triggers, floor } = report;
  if (triggers !== null && floor !== null) {
    lines.push(
      `- Medians above the floor, warm: ${triggerLine(triggers, floor, 'warm')}.`,
      `- On a new connection: ${triggerLine(triggers, floor, 'new-connection')}.`,
      '- Before sending, the app reads the journal and MSAL\'s silent token lookup reads the token',
      '  cache file (it decrypts it only when it changed). For the tray and shortcut, whose clear',
      '  ends the intent, the app also rewrites the journal (temporary file, fsync, rename, fsync of',
      '  the folder) before it sends. A suspend keeps the intent and skips that write, so the gap',
      '  between their "before send" figures is the write, which grows with the disk\'s fsync latency.',
    );
  }
  lines.push(...sandboxCaLines(report));
  if (report.coldProcess !== null) {
    lines.push(
      '- A cold process spends most of its time starting Node and loading modules (compare',
      '  `--version`); tsx compiles the checkout\'s TypeScript on top of that. Its requests are MSAL\'s',
      '  `openid-configuration` on a new connection, then the clear on the same connection.',
    );
  }
  lines.push('', '## Why a goal is missed, and what closes it', '');

  const missed = report.goals.filter((entry) => !entry.met);
  if (missed.length === 0) {
    lines.push('Every goal was met in this run.', '');
  }
  for (const entry of missed) {
    lines.push(`### ${entry.name}: ${entry.value} (limit ${entry.limit})`, '');
    switch (entry.key) {
      case 'coldClearOverFloor': {
        const contextMs = report.secureContext.rootsPlusOneMs - report.secureContext.defaultMs;
        const worst = report.triggers === null ? null : worstMedian(report.triggers, 'new-connection');
        lines.push(
          `- A TLS context costs ${contextMs.toFixed(1)} ms to build in sandbox mode (see above); the transport`,
          '  builds it once, so a gap here comes from the handshake itself or from load on the machine.',
        );
        if (worst !== null && floor !== null) {
          lines.push(`  Slowest trigger: median ${worst.elapsedMs.median} ms against ${floor.newConnection.median} ms for the floor.`);
        }
        lines.push('');
        break;
      }
      case 'warmClearOverFloor': {
        const suspend = report.triggers?.find((result) => result.trigger === 'suspend' && result.connection === 'warm');
        lines.push(
          '- The tray and shortcut clears wait for the journal write (with fsync) before sending.',
          '  Starting the clear request while that write runs, and awaiting both before recording the',
          '  result, takes the write off the critical path (`clearTarget` in',
          '  `main/core/presence/session.ts`). The journal still closes only after the 2xx. The cost:',
          '  if the process dies in the few milliseconds before the write lands, the next launch may',
          '  re-assert the intent the user just ended.',
        );
        if (suspend !== undefined && floor !== null) {
          lines.push(`  The suspend trigger, which skips the write, shows the effect: ${ratio(suspend.elapsedMs.median, floor.warm.median)} of the floor.`);
        }
        lines.push(
          '- In sandbox mode the transport also pays for the CA array in its pool key on every request',
          '  (see above), which the single TLS context removes too.',
          '',
        );
        break;
      }
      case 'cpuPerClearVsGraphClient':
        lines.push('- Compare the `ours with the sandbox CA` row: the CA array costs the difference (see above).', '');
        break;
      default:
        lines.push(`- ${entry.detail}. No cause is known; rerun on an idle machine first.`, '');
        break;
    }
  }
  return lines.join('\n');
}

function notesSection(report: BenchReport): string {
  const { machine } = report;
  return [
    '## Notes and limits',
    '',
    `- The machine was shared: load average ${machine.loadAverageBefore.join(', ')} at the start and`,
    `  ${machine.loadAverageAfter.join(', ')} at the end (1, 5, 15 minutes) on ${machine.cores} cores. Medians`,
    '  resist that load; p95 and max show it. Compare runs from the same machine only.',
    '- In the app, the Node transport closes a connection after 60 s idle (its default) while the',
    '  keep-alive refreshes every 4 minutes, so a clear at lid close usually starts on a new',
    '  connection: the "new connection" rows are the common case, and nothing calls',
    '  `NodeTransport.prewarm` yet.',
    '- The sandbox and the delay proxy run in the benchmark process, as does the tray app in',
    '  sections 2 and 6. The floor shares those conditions, so the ratios compare like with like.',
    '- The delay proxy forwards each chunk half the RTT after it arrived, in each direction, and',
    '  holds a new connection\'s first bytes one RTT for the TCP handshake. It does not model loss,',
    '  bandwidth or TCP slow start; a presence request fits in one segment each way.',
    '- The cold process pays one `openid-configuration` request to the sandbox that the app does not',
    '  make against Microsoft: MSAL Node ships the endpoint metadata of Microsoft\'s public cloud',
    '  and asks the network only for other authorities.',
    '- Keep-alive requests include one `GET presence` after each refresh (the readback that shows',
    '  whether Teams displays the session). Token refreshes (about one an hour) are not in the',
    '  8-hour figure: MSAL reads real time, not the fake clock, so the static token stays valid.',
    '- `@microsoft/msgraph-sdk` is a preview; its import cost comes from loading the generated',
    '  request builders and models of the whole users package.',
    '',
  ].join('\n');
}

/** Renders the record as the docs/benchmarks.md page. */
export function renderMarkdown(report: BenchReport): string {
  const { machine, settings } = report;
  const header = [
    '# Benchmarks',
    '',
    'How fast Presence Tray clears a presence session, against the physical floor of the network',
    'and against Microsoft\'s Graph clients. Generated by `npm run bench` (`test/bench/run.ts`); the',
    'raw figures are in `benchmarks.json` next to this page. Every request goes to the local',
    `sandbox on 127.0.0.1 through a delay proxy that adds ${settings.rttMs} ms of round-trip time.`,
    '',
    `Run options: \`npm run bench -- --rtt ${settings.rttMs} --count ${settings.count} --warmup ${settings.warmup}\` (the`,
    'defaults). Each case ran its warm-up untimed, then the timed count, unless its section says',
    `otherwise. The run took ${report.durationS} s.`,
    '',
    table(
      ['machine', 'value'],
      [
        ['CPU', machine.cpuModel],
        ['cores', machine.cores],
        ['memory', `${machine.memoryGiB} GiB`],
        ['OS', machine.platform],
        ['Node', machine.node],
        ['date', machine.date],
      ],
    ),
    '',
  ].join('\n');

  return [
    header,
    goalSection(report),
    floorSection(report),
    triggerSection(report),
    coldSection(report),
    peerSection(report),
    roundTripSection(report),
    quitSection(report),
    keepAliveSection(report),
    findingsSection(report),
    notesSection(report),
  ]
    .filter((section) => section !== '')
    .join('\n');
}
