/** Response headers and the token error response shared by the identity endpoints. */

import { randomUUID } from 'node:crypto';
import type { SandboxCall, SandboxContext } from '../call.ts';
import { jsonResponse, type SandboxResponse } from '../http-io.ts';
import { renderTokenError, type TokenErrorSpec } from './entra-errors.ts';

/** Returns Entra's no-cache headers, the request ID and the echoed `client-request-id`. */
export function identityHeaders(call: SandboxCall): Record<string, string> {
  const headers: Record<string, string> = {
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-ms-request-id': call.requestId,
  };
  if (call.clientRequestId !== null) {
    headers['client-request-id'] = call.clientRequestId;
  }
  return headers;
}

/** Builds a token error response: status 400 and Entra's JSON error body. */
export function tokenErrorResponse(
  context: SandboxContext,
  call: SandboxCall,
  spec: TokenErrorSpec,
  status = 400,
): SandboxResponse {
  const body = renderTokenError(spec, {
    nowMs: context.clock.now(),
    traceId: call.requestId,
    correlationId: call.clientRequestId ?? randomUUID(),
  });
  return jsonResponse(status, body, identityHeaders(call));
}
