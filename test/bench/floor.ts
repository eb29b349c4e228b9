/**
 * The physical floor: one bare `node:https` POST of the clear request with the same token,
 * through the delay proxy. Warm: on an open keep-alive connection (one round trip). New: on a
 * fresh connection (TCP handshake, TLS 1.3 handshake and the request: three round trips).
 */

import https from 'node:https';

import type { BenchContext } from './context.ts';
import { expectSuccess, postClear, setSession } from './raw-https.ts';
import { summarize, type Summary } from './stats.ts';

export interface FloorResult {
  warm: Summary;
  newConnection: Summary;
  /** Connections the proxy accepted per timed request, as a check of the setup. */
  handshakesPerWarmRequest: number;
  handshakesPerNewRequest: number;
}

export async function measureFloor(context: BenchContext): Promise<FloorResult> {
  const ca = context.sandbox.caPem;
  const setupAgent = new https.Agent({ keepAlive: true, maxSockets: 1, ca });
  const warmAgent = new https.Agent({ keepAlive: true, maxSockets: 1, ca });

  try {
    context.progress('floor: warm keep-alive connection');
    for (let index = 0; index < context.warmup; index += 1) {
      await setSession(setupAgent, context.direct, ca);
      expectSuccess(await postClear(warmAgent, context.delayed, ca), 'warm floor clear');
    }
    const warmSamples: number[] = [];
    const warmConnectionsBefore = context.proxy.connections();
    for (let index = 0; index < context.count; index += 1) {
      await setSession(setupAgent, context.direct, ca);
      const startedAt = performance.now();
      const response = await postClear(warmAgent, context.delayed, ca);
      warmSamples.push(performance.now() - startedAt);
      expectSuccess(response, 'warm floor clear');
    }
    const warmConnections = context.proxy.connections() - warmConnectionsBefore;

    context.progress('floor: new connection per request');
    const newSamples: number[] = [];
    const newConnectionsBefore = context.proxy.connections();
    for (let index = 0; index < context.count; index += 1) {
      await setSession(setupAgent, context.direct, ca);
      const startedAt = performance.now();
      const response = await postClear(false, context.delayed, ca);
      newSamples.push(performance.now() - startedAt);
      expectSuccess(response, 'new-connection floor clear');
    }
    const newConnections = context.proxy.connections() - newConnectionsBefore;

    return {
      warm: summarize(warmSamples),
      newConnection: summarize(newSamples),
      handshakesPerWarmRequest: warmConnections / context.count,
      handshakesPerNewRequest: newConnections / context.count,
    };
  } finally {
    setupAgent.destroy();
    warmAgent.destroy();
  }
}
