import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { before, describe, test } from 'node:test';

import { build } from 'esbuild';

import { BRIDGE_INVOKE_METHODS, BRIDGE_PUSH_METHODS } from '../../main/ipc-contract.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The preload compiled the way the build script compiles it. */
let preloadCode = '';

before(async () => {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['preload/index.cts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  preloadCode = result.outputFiles[0]?.text ?? '';
});

interface Sandbox {
  exposed: Map<string, Record<string, (...args: unknown[]) => unknown>>;
  required: string[];
  invokes: unknown[][];
  listeners: Map<string, Set<(...args: unknown[]) => void>>;
}

/** Runs the preload as a sandboxed renderer would: its `require` serves only `electron`. */
function runPreload(): Sandbox {
  const sandbox: Sandbox = { exposed: new Map(), required: [], invokes: [], listeners: new Map() };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (name: string, api: Record<string, (...args: unknown[]) => unknown>) => sandbox.exposed.set(name, api),
    },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        sandbox.invokes.push(args);
        return { ok: true, value: null };
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => {
        const set = sandbox.listeners.get(channel) ?? new Set();
        set.add(listener);
        sandbox.listeners.set(channel, set);
      },
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
        sandbox.listeners.get(channel)?.delete(listener);
      },
    },
  };
  const requireElectronOnly = (name: string): unknown => {
    sandbox.required.push(name);
    if (name !== 'electron') {
      throw new Error(`Cannot find module '${name}'`);
    }
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(preloadCode, { require: requireElectronOnly, module, exports: module.exports, Object, TypeError });
  return sandbox;
}

function bridgeOf(sandbox: Sandbox): Record<string, (...args: unknown[]) => unknown> {
  const bridge = sandbox.exposed.get('presenceTray');
  assert.ok(bridge !== undefined, 'presenceTray was not exposed');
  return bridge;
}

describe('preload', () => {
  test('requires only electron', () => {
    assert.deepEqual(runPreload().required, ['electron']);
  });

  test('exposes one API', () => {
    assert.deepEqual([...runPreload().exposed.keys()], ['presenceTray']);
  });

  test('methods match contract', () => {
    const expected = [...Object.keys(BRIDGE_INVOKE_METHODS), ...Object.keys(BRIDGE_PUSH_METHODS)].sort();
    assert.deepEqual(Object.keys(bridgeOf(runPreload())).sort(), expected);
  });

  test('bridge is frozen', () => {
    assert.equal(Object.isFrozen(bridgeOf(runPreload())), true);
  });

  for (const [method, channel] of Object.entries(BRIDGE_INVOKE_METHODS)) {
    test(`${method} invokes ${channel}`, async () => {
      const sandbox = runPreload();
      await bridgeOf(sandbox)[method]?.({ a: 1 }, 'smuggled');
      assert.deepEqual(sandbox.invokes, [[channel, { a: 1 }]]);
    });
  }

  for (const [method, channel] of Object.entries(BRIDGE_PUSH_METHODS)) {
    test(`${method} forwards payload only`, () => {
      const sandbox = runPreload();
      const received: unknown[][] = [];
      bridgeOf(sandbox)[method]?.((...args: unknown[]) => received.push(args));
      for (const listener of sandbox.listeners.get(channel) ?? []) {
        listener({ sender: 'ipc event' }, { kind: 'payload' });
      }
      assert.deepEqual(received, [[{ kind: 'payload' }]]);
    });

    test(`${method} unsubscribes`, () => {
      const sandbox = runPreload();
      const stop = bridgeOf(sandbox)[method]?.(() => {}) as () => void;
      stop();
      assert.equal(sandbox.listeners.get(channel)?.size, 0);
    });

    test(`${method} rejects non-function`, () => {
      const sandbox = runPreload();
      assert.throws(() => bridgeOf(sandbox)[method]?.('not a function'), /needs a listener function/);
    });
  }
});
