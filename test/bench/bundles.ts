/**
 * esbuild bundles for the child processes, built into the run's scratch folder inside the
 * checkout so their bare imports resolve from `node_modules`. Our code is measured bundled,
 * as `npm run build` ships it, so no TypeScript compile happens in a timed import.
 */

import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// The same shim as scripts/build.mjs: bundled CommonJS helpers (https-proxy-agent) call require().
const REQUIRE_SHIM = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

/** Every value the core imports from MSAL, as empty stand-ins; nothing calls them in the child. */
const MSAL_STUB = [
  'export class AuthError extends Error {}',
  'export class InteractionRequiredAuthError extends AuthError {}',
  'export class ServerError extends AuthError {}',
  'export const LogLevel = { Error: 0, Warning: 1, Info: 2, Verbose: 3, Trace: 4 };',
  'export class PublicClientApplication {}',
].join('\n');

/** Resolves `@azure/msal-node` to `MSAL_STUB`, so the bundle weighs our code without MSAL. */
const msalStub: Plugin = {
  name: 'msal-stub',
  setup(builder) {
    builder.onResolve({ filter: /^@azure\/msal-node$/ }, () => ({ path: 'msal-node-stub', namespace: 'msal-stub' }));
    builder.onLoad({ filter: /.*/, namespace: 'msal-stub' }, () => ({ contents: MSAL_STUB, loader: 'js' }));
  },
};

export interface BenchBundles {
  /** The client child harness. */
  clientChild: string;
  /** The keep-alive child harness. */
  keepAliveChild: string;
  /** File URL of our clear path with MSAL stubbed out. */
  clearPath: string;
  /** File URL of our clear path with the real MSAL (loaded from node_modules). */
  clearPathWithMsal: string;
}

export async function buildBenchBundles(outdir: string): Promise<BenchBundles> {
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    format: 'esm' as const,
    platform: 'node' as const,
    target: 'node20',
    banner: { js: REQUIRE_SHIM },
    logLevel: 'warning' as const,
  };

  const clientChild = join(outdir, 'client-child.js');
  const keepAliveChild = join(outdir, 'keep-alive-child.js');
  const clearPath = join(outdir, 'clear-path.js');
  const clearPathWithMsal = join(outdir, 'clear-path-msal.js');

  await build({ ...common, entryPoints: ['test/bench/child/client-child.ts'], outfile: clientChild, packages: 'external' });
  await build({ ...common, entryPoints: ['test/bench/child/keep-alive-child.ts'], outfile: keepAliveChild, packages: 'external' });
  await build({ ...common, entryPoints: ['test/bench/child/clear-path-entry.ts'], outfile: clearPath, plugins: [msalStub] });
  await build({ ...common, entryPoints: ['test/bench/child/clear-path-entry.ts'], outfile: clearPathWithMsal, external: ['@azure/msal-node'] });

  return {
    clientChild,
    keepAliveChild,
    clearPath: pathToFileURL(clearPath).href,
    clearPathWithMsal: pathToFileURL(clearPathWithMsal).href,
  };
}
