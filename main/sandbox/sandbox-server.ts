/**
 * Starts the sandbox: one HTTPS server on 127.0.0.1 that serves the identity endpoints, the
 * Graph presence endpoints and the control API. `request-handler.ts` handles each request.
 */

import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createLogger, formatLogLine } from '../core/log.ts';
import type { Logger } from '../core/ports.ts';
import type { SandboxContext, SessionIdCheck } from './call.ts';
import { createLoopbackCertificate } from './certificate.ts';
import { createSandboxClock, type SandboxClock } from './clock.ts';
import { createSandboxControl, type SandboxControl } from './control.ts';
import { SANDBOX_TENANT_ID } from './directory.ts';
import { FaultBook } from './faults.ts';
import { PresenceBook } from './graph/presence-book.ts';
import { randomOpaque } from './http-io.ts';
import { IdentityState } from './identity/identity-state.ts';
import { createSigningKey } from './identity/jwt.ts';
import { RequestLog } from './request-log.ts';
import { createRequestHandler } from './request-handler.ts';
import { SecretLedger } from './secret-ledger.ts';

/** The port `presence-tray sandbox` listens on by default. */
export const DEFAULT_SANDBOX_PORT = 47443;

export interface SandboxOptions {
  /** 0 picks a free port (tests); the `sandbox` command uses DEFAULT_SANDBOX_PORT. Default 0. */
  port?: number;
  /** Time for presence and tokens; default real time. */
  clock?: SandboxClock;
  /** Secret for the HTTP control API; default a random value per run. */
  controlSecret?: string;
  /** Logs one line per request (method, path, status, action, request IDs) at info level. */
  logRequests?: boolean;
  /**
   * Destination of start, stop, request and error lines. The default writes to stderr: info
   * and above with `logRequests`, otherwise warnings and errors only, so tests stay quiet.
   */
  logger?: Logger;
  /** The `sessionId` check of setPresence and clearPresence; default `app-id`. */
  sessionIdCheck?: SessionIdCheck;
}

export interface RunningSandbox {
  port: number;
  /** `https://127.0.0.1:PORT` */
  origin: string;
  /** `https://127.0.0.1:PORT/<tenant ID>`, for MSAL's `auth.authority`. */
  authority: string;
  /** `https://127.0.0.1:PORT`; Graph requests go to `/v1.0/...` and `/beta/...` below it. */
  graphBaseUrl: string;
  /** The self-signed certificate made at start (SAN IP:127.0.0.1, DNS:localhost). */
  caPem: string;
  controlSecret: string;
  control: SandboxControl;
  /** Closes the server and every open connection, including held ones. */
  close(): Promise<void>;
}


export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = options.clock ?? createSandboxClock();
  const controlSecret = options.controlSecret ?? randomOpaque(32);
  if (controlSecret.length < 16) {
    throw new RangeError('The sandbox control secret is too short: use at least 16 characters, or omit it for a random one.');
  }
  const logger = (options.logger ?? stderrLogger(options.logRequests === true ? 'info' : 'warn')).child('sandbox');

  const [certificate, key] = await Promise.all([createLoopbackCertificate(), createSigningKey()]);
  const ledger = new SecretLedger();
  const context: SandboxContext = {
    clock,
    key,
    ledger,
    identity: new IdentityState(clock, ledger),
    presence: new PresenceBook(clock),
    settings: { sessionIdCheck: options.sessionIdCheck ?? 'app-id' },
  };
  const faults = new FaultBook();
  const log = new RequestLog();
  const control = createSandboxControl(context, faults, log);

  const delays = new Set<NodeJS.Timeout>();
  let closed = false;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
    });

  const handle = createRequestHandler({
    context,
    faults,
    log,
    control,
    controlSecret,
    logger,
    logRequests: options.logRequests === true,
    wait,
    isClosed: () => closed,
  });
  const server = https.createServer({ key: certificate.keyPem, cert: certificate.certPem }, handle);
  server.on('tlsClientError', (error) => {
    logger.debug('TLS handshake failed', { error: error.message });
  });

  const port = await listen(server, options.port ?? 0);
  const origin = `https://127.0.0.1:${port}`;
  logger.info('Sandbox started', { origin, tenantId: SANDBOX_TENANT_ID });

  let closing: Promise<void> | null = null;
  return {
    port,
    origin,
    authority: `${origin}/${SANDBOX_TENANT_ID}`,
    graphBaseUrl: origin,
    caPem: certificate.certPem,
    controlSecret,
    control,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const timer of delays) {
          clearTimeout(timer);
        }
        delays.clear();
        server.close(() => {
          logger.info('Sandbox stopped', { origin });
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: https.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        const inUse: NodeJS.ErrnoException = new Error(
          `Port ${port} on 127.0.0.1 is already in use: stop the program using it (perhaps another sandbox) or choose another port.`,
        );
        inUse.code = 'EADDRINUSE';
        reject(inUse);
        return;
      }
      reject(error);
    };
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stderrLogger(minLevel: 'info' | 'warn'): Logger {
  return createLogger((line) => process.stderr.write(`${formatLogLine(line, new Date().toISOString())}\n`), minLevel, 'presence-tray');
}
