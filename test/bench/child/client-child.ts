/**
 * One benchmark child process: imports one Graph client library, weighs it, and optionally times
 * clears through it. It reads its configuration as JSON from stdin (the token must not appear in
 * argv) and writes one JSON result line to stdout. Run bundled, with `--expose-gc`.
 */

import https from 'node:https';

import type * as GraphClient from '@microsoft/microsoft-graph-client';
import type * as KiotaAbstractions from '@microsoft/kiota-abstractions';
import type * as KiotaGraph from '@microsoft/msgraph-sdk';
// Brings in the users package's augmentation of GraphServiceClient (its `users` property).
import type {} from '@microsoft/msgraph-sdk-users';
import type * as OurClearPath from './clear-path-entry.ts';
import { expectSuccess, postClear, setSession, type PresenceTarget } from '../raw-https.ts';

/**
 * `ours` trusts the sandbox CA through NODE_EXTRA_CA_CERTS, as every peer does, so its transport
 * has no extra CA, as against Microsoft. `ours-sandbox-ca` passes the CA as `extraCaPem`, as
 * the app does in sandbox mode.
 */
export type LibraryName = 'node-https' | 'ours' | 'ours-sandbox-ca' | 'ours-with-msal' | 'graph-client' | 'kiota';

export interface ChildConfig {
  library: LibraryName;
  /** `import` weighs the modules only; `calls` also times clears. */
  mode: 'import' | 'calls';
  /** Specifiers or file URLs to import, in order. */
  modules: string[];
  delayed: PresenceTarget;
  direct: PresenceTarget;
  caPem: string;
  warmup: number;
  count: number;
}

export interface ChildResult {
  library: LibraryName;
  importMs: number;
  /** Milliseconds from process start to the end of the import. */
  readyMs: number;
  heapBeforeImportBytes: number;
  heapAfterImportBytes: number;
  /** Per-call wall time through the delay proxy, ms. */
  delayedCallMs?: number[];
  /** Per-call wall time straight to the sandbox, ms. */
  loopbackCallMs?: number[];
  /** Per-call CPU time (user + system) straight to the sandbox, ms. */
  loopbackCpuMs?: number[];
}

type ClearFunction = () => Promise<void>;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    throw new Error('Run the benchmark child with --expose-gc, so heap figures are taken after a full collection.');
  }
  gc();
  gc();
}

async function readConfig(): Promise<ChildConfig> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChildConfig;
}

/** Builds the clear call of `library` for `target`, from the modules the child imported. */
function createClear(library: LibraryName, loaded: unknown[], target: PresenceTarget, caPem: string): { clear: ClearFunction; close: () => void } {
  const path = `/users/${target.presenceId}/presence/clearPresence`;

  switch (library) {
    case 'node-https': {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: caPem });
      return {
        clear: async () => expectSuccess(await postClear(agent, target, caPem), 'node:https clear'),
        close: () => agent.destroy(),
      };
    }
    case 'ours':
    case 'ours-sandbox-ca':
    case 'ours-with-msal': {
      const ours = loaded[0] as typeof OurClearPath;
      const transport = ours.createNodeTransport(library === 'ours-sandbox-ca' ? { extraCaPem: caPem } : {});
      // Info level, as the app logs; the sink drops the lines so only their formatting costs.
      const logger = ours.createLogger(() => {}, 'info', 'bench');
      const client = new ours.PresenceClient({
        transport,
        graphBaseUrl: target.origin,
        tokens: { getAccessToken: async () => target.token },
        clock: ours.systemClock,
        logger,
        apiVersion: 'v1.0',
      });
      return {
        clear: async () => {
          const result = await client.clearPresence(target.presenceId, { sessionId: target.sessionId }, { deadlineMs: ours.systemClock.monotonicMs() + 30_000 });
          if (result.outcome !== 'cleared') {
            throw new Error(`Our clear returned ${result.outcome} (status ${result.status}), expected cleared.`);
          }
        },
        close: () => transport.close(),
      };
    }
    case 'graph-client': {
      const graph = loaded[0] as typeof GraphClient;
      const client = graph.Client.init({
        authProvider: (done) => done(null, target.token),
        baseUrl: `${target.origin}/`,
        defaultVersion: 'v1.0',
        // Without this the client sends no Authorization header to a host other than Graph's.
        customHosts: new Set([new URL(target.origin).hostname]),
      });
      return {
        clear: async () => {
          await client.api(path).post({ sessionId: target.sessionId });
        },
        close: () => {},
      };
    }
    case 'kiota': {
      const kiota = loaded[0] as typeof KiotaGraph;
      const abstractions = loaded[2] as typeof KiotaAbstractions;
      const tokenProvider: KiotaAbstractions.AccessTokenProvider = {
        getAuthorizationToken: async () => target.token,
        getAllowedHostsValidator: () => new abstractions.AllowedHostsValidator(new Set([new URL(target.origin).host])),
      };
      const adapter = new kiota.GraphRequestAdapter(new abstractions.BaseBearerTokenAuthenticationProvider(tokenProvider));
      adapter.baseUrl = `${target.origin}/v1.0`;
      const client = kiota.createGraphServiceClient(adapter);
      return {
        clear: async () => {
          await client.users.byUserId(target.presenceId).presence.clearPresence.post({ sessionId: target.sessionId });
        },
        close: () => {},
      };
    }
  }
}

/** Times `count` clears after `warmup` untimed ones; each clear ends a session set just before. */
async function timeClears(
  clear: ClearFunction,
  config: ChildConfig,
  setupAgent: https.Agent,
  withCpu: boolean,
): Promise<{ wallMs: number[]; cpuMs: number[] }> {
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let index = 0; index < config.warmup + config.count; index += 1) {
    await setSession(setupAgent, config.direct, config.caPem);
    const cpuBefore = withCpu ? process.cpuUsage() : null;
    const startedAt = performance.now();
    await clear();
    const elapsed = performance.now() - startedAt;
    const cpu = cpuBefore === null ? null : process.cpuUsage(cpuBefore);
    if (index >= config.warmup) {
      wallMs.push(elapsed);
      if (cpu !== null) {
        cpuMs.push((cpu.user + cpu.system) / 1000);
      }
    }
  }
  return { wallMs, cpuMs };
}

async function run(): Promise<ChildResult> {
  const config = await readConfig();

  collectGarbage();
  const heapBeforeImportBytes = process.memoryUsage().heapUsed;
  const importStartedAt = performance.now();
  const loaded: unknown[] = [];
  for (const specifier of config.modules) {
    loaded.push(await import(specifier));
  }
  const importEndedAt = performance.now();
  collectGarbage();
  const heapAfterImportBytes = process.memoryUsage().heapUsed;

  const result: ChildResult = {
    library: config.library,
    importMs: importEndedAt - importStartedAt,
    readyMs: importEndedAt,
    heapBeforeImportBytes,
    heapAfterImportBytes,
  };
  if (config.mode === 'import') {
    return result;
  }

  const setupAgent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: config.caPem });
  const delayed = createClear(config.library, loaded, config.delayed, config.caPem);
  const loopback = createClear(config.library, loaded, config.direct, config.caPem);
  try {
    result.delayedCallMs = (await timeClears(delayed.clear, config, setupAgent, false)).wallMs;
    const timed = await timeClears(loopback.clear, config, setupAgent, true);
    result.loopbackCallMs = timed.wallMs;
    result.loopbackCpuMs = timed.cpuMs;
  } finally {
    delayed.close();
    loopback.close();
    setupAgent.destroy();
  }
  return result;
}

try {
  const result = await run();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`Benchmark child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
