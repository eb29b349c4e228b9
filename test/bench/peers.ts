/**
 * Ours against Microsoft's Graph clients, each in fresh child processes: module import time,
 * heap after import, per-call time through the delay proxy, and per-call time and CPU on
 * loopback. The same sandbox, token and request for every library.
 */

import { spawn } from 'node:child_process';

import type { BenchBundles } from './bundles.ts';
import type { ChildConfig, ChildResult, LibraryName } from './child/client-child.ts';
import type { BenchContext } from './context.ts';
import { round, summarize, type Summary } from './stats.ts';

export interface LibraryFigures {
  library: LibraryName;
  /** What the child imports, for the report. */
  modules: string[];
  /** Absent for a variant that imports the same modules as another. */
  importMs?: Summary;
  /** Heap used after import minus before, after full collections, MiB. */
  heapAfterImportMiB?: Summary;
  delayedCallMs?: Summary;
  loopbackCallMs?: Summary;
  loopbackCpuMs?: Summary;
}

/** Fresh processes per library for the import figures. */
const IMPORT_RUNS = 7;
const CHILD_LIMIT_MS = 180_000;

interface LibrarySpec {
  library: LibraryName;
  modules: string[];
  /** Whether fresh processes weigh the import. */
  imports: boolean;
  /** Whether the child also times clears. */
  calls: boolean;
}

export function librarySpecs(bundles: BenchBundles): LibrarySpec[] {
  return [
    { library: 'node-https', modules: ['node:https'], imports: true, calls: true },
    { library: 'ours', modules: [bundles.clearPath], imports: true, calls: true },
    { library: 'ours-sandbox-ca', modules: [bundles.clearPath], imports: false, calls: true },
    { library: 'ours-with-msal', modules: [bundles.clearPathWithMsal], imports: true, calls: false },
    { library: 'graph-client', modules: ['@microsoft/microsoft-graph-client'], imports: true, calls: true },
    {
      library: 'kiota',
      modules: ['@microsoft/msgraph-sdk', '@microsoft/msgraph-sdk-users', '@microsoft/kiota-abstractions'],
      imports: true,
      calls: true,
    },
  ];
}

export async function measurePeers(context: BenchContext, bundles: BenchBundles): Promise<LibraryFigures[]> {
  const specs = librarySpecs(bundles);
  const imports = new Map<LibraryName, ChildResult[]>();

  // Rounds go through every library in turn, so a burst of load on the machine hits all alike.
  for (let runIndex = 0; runIndex < IMPORT_RUNS; runIndex += 1) {
    context.progress(`peers: import round ${runIndex + 1} of ${IMPORT_RUNS}`);
    for (const spec of specs.filter((candidate) => candidate.imports)) {
      const result = await runChild(context, bundles, spec, 'import');
      imports.set(spec.library, [...(imports.get(spec.library) ?? []), result]);
    }
  }

  const figures: LibraryFigures[] = [];
  for (const spec of specs) {
    const runs = imports.get(spec.library) ?? [];
    const entry: LibraryFigures = {
      library: spec.library,
      modules: spec.modules.map((module) => (module.startsWith('file:') ? module.slice(module.lastIndexOf('/') + 1) : module)),
    };
    if (runs.length > 0) {
      entry.importMs = summarize(runs.map((run) => run.importMs));
      entry.heapAfterImportMiB = summarize(runs.map((run) => mebibytes(run.heapAfterImportBytes - run.heapBeforeImportBytes)));
    }
    if (spec.calls) {
      context.progress(`peers: ${spec.library} clears`);
      const calls = await runChild(context, bundles, spec, 'calls');
      entry.delayedCallMs = summarize(calls.delayedCallMs ?? []);
      entry.loopbackCallMs = summarize(calls.loopbackCallMs ?? []);
      entry.loopbackCpuMs = summarize(calls.loopbackCpuMs ?? []);
    }
    figures.push(entry);
  }
  return figures;
}

function mebibytes(bytes: number): number {
  return round(bytes / 1024 ** 2);
}

/** Runs the client child once and returns its result line. */
function runChild(context: BenchContext, bundles: BenchBundles, spec: LibrarySpec, mode: ChildConfig['mode']): Promise<ChildResult> {
  const config: ChildConfig = {
    library: spec.library,
    mode,
    modules: spec.modules,
    delayed: context.delayed,
    direct: context.direct,
    caPem: context.sandbox.caPem,
    warmup: context.warmup,
    count: context.count,
  };
  return runJsonChild<ChildResult>(bundles.clientChild, config, context.caFile, `${spec.library} ${mode}`);
}

/**
 * Starts `node --expose-gc script`, writes `input` as JSON to its stdin and parses the last
 * stdout line. The sandbox CA reaches fetch-based clients through NODE_EXTRA_CA_CERTS.
 */
export function runJsonChild<T>(script: string, input: unknown, caFile: string, description: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));

    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The ${description} child did not finish within ${CHILD_LIMIT_MS / 1000} s and was killed. Its stderr: ${stderr.slice(-2000)}`));
    }, CHILD_LIMIT_MS);

    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') {
        reject(new Error(`The ${description} child exited with code ${String(code)}. Its stderr: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as T);
    });

    child.stdin.end(JSON.stringify(input));
  });
}
