/**
 * The Graph presence endpoints: reads, the collection and `getPresencesByUserId`, and the
 * session, preferred presence, status message and work location actions. Each request passes
 * the token check, the permission check, the target user check and the body checks, in the
 * order Graph applies them, before it changes any state.
 */

import type { SandboxCall, SandboxContext } from '../call.ts';
import { isGuid } from '../directory.ts';
import type { SandboxResponse } from '../http-io.ts';
import { authenticate, checkPermission, READ_ANY_PRESENCE, READ_OWN_PRESENCE, WRITE_PRESENCE, type GraphCaller } from './graph-auth.ts';
import { badRequest, parseActionBody, type BodyProblem } from './graph-bodies.ts';
import {
  applySelect,
  graphActionSuccess,
  graphErrorResponse,
  graphJsonSuccess,
  odataContext,
  PRESENCE_PROPERTIES,
  presenceJson,
} from './graph-responses.ts';
import type { GraphRoute, PresenceActionName } from './graph-routes.ts';
import { applyAction } from './presence-actions.ts';

/** getPresencesByUserId accepts at most 650 IDs per request (Graph API reference). */
export const MAX_PRESENCE_IDS = 650;

/** Serves a Graph request: token check first, then the route, method, target and body checks. */
export function handleGraph(context: SandboxContext, call: SandboxCall, route: GraphRoute): SandboxResponse {
  const now = context.clock.now();
  const fail = (status: number, code: string, message: string): SandboxResponse =>
    graphErrorResponse(call, now, status, code, message);

  const caller = authenticate(context, call);
  if ('status' in caller) {
    return caller;
  }

  switch (route.kind) {
    case 'unknown':
      return fail(400, 'BadRequest', `Resource not found for the segment '${route.segment}'.`);
    case 'presences':
      if (call.method !== 'GET') {
        return methodNotAllowed(context, call, 'GET');
      }
      return listPresences(context, call, caller, route.version);
    case 'getPresencesByUserId':
      if (call.method !== 'POST') {
        return methodNotAllowed(context, call, 'POST');
      }
      return getPresencesByUserId(context, call, caller);
    case 'presence':
      break;
  }

  const target = resolveTarget(context, call, caller, route.base, route.targetId);
  if ('status' in target) {
    return target;
  }

  if (route.action === null) {
    if (call.method !== 'GET') {
      // NOTE: Microsoft's OpenAPI lists PATCH and DELETE on presence, but they are generated
      // and undocumented. The sandbox rejects them so that a client never depends on them.
      return methodNotAllowed(context, call, 'GET');
    }
    return getPresence(context, call, caller, target.userId, route);
  }

  if (call.method !== 'POST') {
    return methodNotAllowed(context, call, 'POST');
  }
  return runAction(context, call, caller, target.userId, route.action);
}

function methodNotAllowed(context: SandboxContext, call: SandboxCall, allowed: string): SandboxResponse {
  return graphErrorResponse(
    call,
    context.clock.now(),
    405,
    'MethodNotAllowed',
    `${call.method} is not supported on ${call.path}: use ${allowed}.`,
    { allow: allowed },
  );
}

/** Resolves `/me`, `/users/{id or UPN}` and `/communications/presences/{id}` to an object ID. */
function resolveTarget(
  context: SandboxContext,
  call: SandboxCall,
  caller: GraphCaller,
  base: 'me' | 'users' | 'communications',
  targetId: string | null,
): { userId: string } | SandboxResponse {
  if (base === 'me' || targetId === null) {
    return { userId: caller.objectId };
  }
  if (isGuid(targetId)) {
    return { userId: targetId.toLowerCase() };
  }

  const user = context.identity.user;
  if (base === 'users' && targetId.toLowerCase() === user.username.toLowerCase()) {
    return { userId: user.objectId.toLowerCase() };
  }
  return graphErrorResponse(
    call,
    context.clock.now(),
    404,
    'Request_ResourceNotFound',
    `Resource '${targetId}' does not exist: use the user's object ID${base === 'users' ? ' or user principal name' : ''}.`,
  );
}

function getPresence(
  context: SandboxContext,
  call: SandboxCall,
  caller: GraphCaller,
  userId: string,
  route: Extract<GraphRoute, { kind: 'presence' }>,
): SandboxResponse {
  const own = userId === caller.objectId;
  const denied = checkPermission(context, call, caller, own ? READ_OWN_PRESENCE : READ_ANY_PRESENCE);
  if (denied !== null) {
    return denied;
  }

  const select = parseSelect(call);
  if ('problem' in select) {
    return bodyProblem(context, call, select.problem);
  }

  const fragment = route.base === 'communications' ? 'communications/presences/$entity' : `users('${userId}')/presence/$entity`;
  const presence = applySelect(presenceJson(context.presence.read(userId), own), select.names);
  return graphJsonSuccess(call, context.clock.now(), {
    '@odata.context': odataContext(call.origin, route.version, fragment),
    ...presence,
  });
}

function listPresences(context: SandboxContext, call: SandboxCall, caller: GraphCaller, version: 'v1.0' | 'beta'): SandboxResponse {
  const denied = checkPermission(context, call, caller, READ_ANY_PRESENCE);
  if (denied !== null) {
    return denied;
  }

  const userIds = new Set([caller.objectId, ...context.presence.userIds()]);
  const value = [...userIds].map((userId) => presenceJson(context.presence.read(userId), userId === caller.objectId));
  return graphJsonSuccess(call, context.clock.now(), {
    '@odata.context': odataContext(call.origin, version, 'communications/presences'),
    value,
  });
}

function getPresencesByUserId(context: SandboxContext, call: SandboxCall, caller: GraphCaller): SandboxResponse {
  const denied = checkPermission(context, call, caller, READ_ANY_PRESENCE);
  if (denied !== null) {
    return denied;
  }

  const parsed = parseActionBody(call, 'getPresencesByUserId');
  if ('problem' in parsed) {
    return bodyProblem(context, call, parsed.problem);
  }
  const ids = parsed.body.ids as string[] | undefined;
  if (ids === undefined || ids.length === 0) {
    return bodyProblem(context, call, badRequest("The 'ids' parameter is required: pass 1 to 650 user object IDs."));
  }
  if (ids.length > MAX_PRESENCE_IDS) {
    return bodyProblem(context, call, badRequest(`Too many ids: ${ids.length} were sent, the limit is ${MAX_PRESENCE_IDS} per request.`));
  }
  const invalid = ids.find((id) => !isGuid(id));
  if (invalid !== undefined) {
    return bodyProblem(context, call, badRequest(`Invalid user ID '${invalid}': ids must be Entra object IDs (GUIDs).`));
  }

  const value = ids.map((id) => presenceJson(context.presence.read(id.toLowerCase()), id.toLowerCase() === caller.objectId));
  return graphJsonSuccess(call, context.clock.now(), {
    '@odata.context': `${call.origin}/v1.0/$metadata#Collection(microsoft.graph.presence)`,
    value,
  });
}

function runAction(
  context: SandboxContext,
  call: SandboxCall,
  caller: GraphCaller,
  userId: string,
  action: PresenceActionName,
): SandboxResponse {
  const denied = checkPermission(context, call, caller, WRITE_PRESENCE);
  if (denied !== null) {
    return denied;
  }

  // A delegated token changes only the signed-in user's presence.
  if (userId !== caller.objectId) {
    return graphErrorResponse(
      call,
      context.clock.now(),
      403,
      'Forbidden',
      `Cannot set the presence of another user: presence ID '${userId}' is not the signed-in user '${caller.objectId}'. ` +
        'A delegated token may change only its own user\'s presence.',
    );
  }

  const parsed = parseActionBody(call, action);
  if ('problem' in parsed) {
    return bodyProblem(context, call, parsed.problem);
  }

  const problem = applyAction(context, caller, userId, action, parsed.body);
  if (problem === null) {
    return graphActionSuccess(call, context.clock.now());
  }
  if (problem === 'no-session') {
    return graphErrorResponse(
      call,
      context.clock.now(),
      404,
      'NotFound',
      `No presence session with sessionId '${String(parsed.body.sessionId ?? caller.appId)}' exists for user '${userId}': ` +
        'it expired, was cleared already, or was never set.',
    );
  }
  return bodyProblem(context, call, problem);
}

function parseSelect(call: SandboxCall): { names: string[] | null } | { problem: BodyProblem } {
  const select = call.query.get('$select');
  if (select === null) {
    return { names: null };
  }
  const names = select.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.find((name) => !(PRESENCE_PROPERTIES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    return { problem: badRequest(`Could not find a property named '${unknown}' on type 'microsoft.graph.presence'.`) };
  }
  return { names };
}

function bodyProblem(context: SandboxContext, call: SandboxCall, problem: BodyProblem): SandboxResponse {
  return graphErrorResponse(call, context.clock.now(), problem.status, problem.code, problem.message);
}
