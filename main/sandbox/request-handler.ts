/**
 * The path of one request through the sandbox: loopback Host check, body read, control API,
 * fault injection, the identity or Graph handler, the request log and the response.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/ports.ts';
import type { SandboxCall, SandboxContext } from './call.ts';
import { CONTROL_SECRET_HEADER, handleControlRequest } from './control-http.ts';
import type { SandboxControl } from './control.ts';
import { isDelayOnly, type FaultBook, type FaultResponse } from './faults.ts';
import { handleGraph } from './graph/graph-endpoints.ts';
import { graphErrorResponse, graphHeaders } from './graph/graph-responses.ts';
import { BodyTooLargeError, headerValue, jsonResponse, mediaType, parseForm, readRequestBody, type SandboxResponse } from './http-io.ts';
import { handleIdentity } from './identity/identity-endpoints.ts';
import { tokenErrorResponse } from './identity/identity-responses.ts';
import { redactBody, redactHeaders, redactQuery, type RequestLog, type RequestLogEntry } from './request-log.ts';
import { classifyRequest, type ClassifiedRequest } from './routes.ts';

export interface RequestHandlerDependencies {
  context: SandboxContext;
  faults: FaultBook;
  log: RequestLog;
  control: SandboxControl;
  controlSecret: string;
  logger: Logger;
  logRequests: boolean;
  /** Waits in real time; the sandbox cancels pending waits when it closes. */
  wait: (ms: number) => Promise<void>;
  isClosed: () => boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Creates the server's request listener. */
export function createRequestHandler(deps: RequestHandlerDependencies): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    serve(deps, request, response).catch((error: unknown) => {
      deps.logger.error('Request handling failed', { path: new URL(request.url ?? '/', 'https://sandbox.invalid').pathname, error: String(error) });
      if (!response.headersSent) {
        writeResponse(response, jsonResponse(500, { error: 'The sandbox failed to handle the request; see its log.' }));
      } else {
        response.destroy();
      }
    });
  };
}

async function serve(deps: RequestHandlerDependencies, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  const url = new URL(request.url ?? '/', 'https://sandbox.invalid');
  const host = headerValue(request, 'host') ?? '';

  // Only loopback names are served, so a web page cannot reach the sandbox by DNS rebinding.
  if (!LOOPBACK_HOSTS.has(hostName(host))) {
    writeResponse(response, jsonResponse(421, { error: `Host '${host}' is not served: use 127.0.0.1 or localhost.` }));
    return;
  }

  let bodyText: string;
  try {
    bodyText = await readRequestBody(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      deps.logger.warn('Request body too large, rejected with 413', { method, path: url.pathname, limitBytes: error.limitBytes });
      writeResponse(response, jsonResponse(413, { error: error.message }, { connection: 'close' }));
      return;
    }
    throw error;
  }

  const classified = classifyRequest(method, url.pathname);
  if (classified.area === 'control') {
    serveControl(deps, request, response, classified.operation, url, bodyText);
    return;
  }

  const call: SandboxCall = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    bodyText,
    origin: `https://${host}`,
    requestId: randomUUID(),
    clientRequestId: headerValue(request, 'client-request-id') ?? url.searchParams.get('client-request-id'),
  };
  await serveWithFaults(deps, request, response, call, classified);
}

function serveControl(
  deps: RequestHandlerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  operation: string,
  url: URL,
  bodyText: string,
): void {
  const answer = handleControlRequest(deps.control, deps.controlSecret, {
    method: (request.method ?? 'GET').toUpperCase(),
    operation,
    query: url.searchParams,
    secretHeader: headerValue(request, CONTROL_SECRET_HEADER),
    bodyText,
  });

  if (answer.status === 403) {
    deps.logger.warn('Control request rejected: missing or wrong secret', { operation });
  } else if (deps.logRequests) {
    deps.logger.info('Control request', { operation, status: answer.status });
  }
  writeResponse(response, answer);
}

/** Applies the next matching fault, if any, around the normal handling, and logs the request. */
async function serveWithFaults(
  deps: RequestHandlerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  call: SandboxCall,
  classified: ClassifiedRequest,
): Promise<void> {
  const { context, logger } = deps;
  const contentType = headerValue(request, 'content-type');
  const grantType =
    classified.action === 'token' && mediaType(contentType) === 'application/x-www-form-urlencoded'
      ? (parseForm(call.bodyText).grant_type ?? null)
      : null;

  const arrivedAt = context.clock.now();
  const record = (status: number | null, fault: RequestLogEntry['fault']): void => {
    const entry = deps.log.add({
      at: arrivedAt,
      method: call.method,
      path: call.path,
      query: redactQuery(call.query),
      headers: redactHeaders(call.headers),
      body: redactBody(call.bodyText, contentType),
      status,
      action: classified.action,
      requestId: call.requestId,
      fault,
    });
    if (deps.logRequests) {
      logger.info('Request', {
        id: entry.id,
        method: call.method,
        path: call.path,
        action: classified.action,
        status,
        fault,
        requestId: call.requestId,
        clientRequestId: call.clientRequestId,
      });
    }
  };

  const fault = deps.faults.take({ method: call.method, path: call.path, action: classified.action, grantType });
  if (fault?.delayMs !== undefined && fault.delayMs > 0) {
    await deps.wait(fault.delayMs);
    if (deps.isClosed()) {
      return;
    }
  }

  if (fault === null || fault.passThrough === true || isDelayOnly(fault)) {
    const answer = dispatch(context, call, classified, logger);
    record(answer.status, fault === null || fault.passThrough === true ? null : 'delay');
    writeResponse(response, answer);
    return;
  }

  if (fault.afterHandling === true) {
    dispatch(context, call, classified, logger);
  }
  if (fault.reset === true) {
    record(null, 'reset');
    request.socket.destroy();
    return;
  }
  if (fault.noAnswer === true) {
    // The response stays open until the client gives up or the sandbox closes.
    record(null, 'no-answer');
    return;
  }

  const answer = renderFault(context, call, classified, fault);
  record(answer.status, 'response');
  writeResponse(response, answer);
}

function dispatch(context: SandboxContext, call: SandboxCall, classified: ClassifiedRequest, logger: Logger): SandboxResponse {
  switch (classified.area) {
    case 'identity':
      return handleIdentity(context, call, classified.action, classified.tenant);
    case 'graph':
      return handleGraph(context, call, classified.route);
    case 'control':
    case 'unknown':
      logger.debug('Request for an unknown path', { method: call.method, path: call.path });
      return jsonResponse(404, {
        error: `Not found: ${call.method} ${call.path}. The sandbox serves /{tenant}/oauth2/v2.0/..., /v1.0/... and /beta/....`,
      });
  }
}

/** Builds an injected fault's response in the shape of the area it imitates. */
function renderFault(context: SandboxContext, call: SandboxCall, classified: ClassifiedRequest, fault: FaultResponse): SandboxResponse {
  const now = context.clock.now();

  let answer: SandboxResponse;
  if (fault.tokenError !== undefined) {
    answer = tokenErrorResponse(context, call, fault.tokenError, fault.status ?? 400);
  } else if (fault.graphError !== undefined) {
    answer = graphErrorResponse(call, now, fault.status ?? 500, fault.graphError.code, fault.graphError.message);
  } else {
    const base = classified.area === 'graph' ? graphHeaders(call, now) : {};
    answer = { status: fault.status ?? 500, headers: base, body: fault.body ?? '' };
    if (fault.body !== undefined) {
      answer.headers['content-type'] = looksLikeJson(fault.body) ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    }
  }

  if (fault.body !== undefined) {
    answer.body = fault.body;
  }
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    answer.headers[name.toLowerCase()] = value;
  }
  return answer;
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function writeResponse(response: ServerResponse, answer: SandboxResponse): void {
  if (response.destroyed || response.writableEnded) {
    return;
  }
  const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) };
  response.writeHead(answer.status, headers);
  response.end(answer.body);
}

/** Returns the host name of a Host header value, brackets kept for IPv6. */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    return host.slice(0, host.indexOf(']') + 1);
  }
  return host.split(':')[0]?.toLowerCase() ?? '';
}
