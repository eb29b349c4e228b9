/**
 * Request body checks for Graph actions: Content-Type, JSON syntax, unknown parameters and
 * parameter types, as the OData action definitions in Graph's metadata declare them. The
 * rules the schema cannot express (pairs, duration range) live with each action.
 */

import type { SandboxCall } from '../call.ts';
import { firstHeader } from '../call.ts';
import { mediaType } from '../http-io.ts';

type ParameterType = 'string' | 'nullable-string' | 'nullable-object' | 'string-array';

/** Parameters of each action; all are optional in the metadata, and the actions check presence. */
const ACTION_PARAMETERS: Record<string, Record<string, ParameterType>> = {
  setPresence: { sessionId: 'nullable-string', availability: 'string', activity: 'string', expirationDuration: 'nullable-string' },
  clearPresence: { sessionId: 'nullable-string' },
  setUserPreferredPresence: { availability: 'string', activity: 'string', expirationDuration: 'nullable-string' },
  clearUserPreferredPresence: {},
  setStatusMessage: { statusMessage: 'nullable-object' },
  setAutomaticLocation: { workLocationType: 'string', placeId: 'nullable-string' },
  setManualLocation: { workLocationType: 'string', placeId: 'nullable-string' },
  clearAutomaticLocation: {},
  clearLocation: {},
  getPresencesByUserId: { ids: 'string-array' },
};

export type ActionBody = Record<string, unknown>;

/** A 4xx the caller turns into a Graph error. */
export interface BodyProblem {
  status: 400 | 415;
  code: string;
  message: string;
}

/** Parses and type-checks the body of `action`; an empty body is an empty object. */
export function parseActionBody(call: SandboxCall, action: string): { body: ActionBody } | { problem: BodyProblem } {
  const parameters = ACTION_PARAMETERS[action] ?? {};
  if (call.bodyText.trim() === '') {
    return { body: {} };
  }

  const type = mediaType(firstHeader(call, 'content-type'));
  if (type !== 'application/json') {
    return {
      problem: {
        status: 415,
        code: 'UnsupportedMediaType',
        message: `Content-Type '${type}' is not supported for ${action}: send the body as application/json.`,
      },
    };
  }

  let value: unknown;
  try {
    value = JSON.parse(call.bodyText);
  } catch {
    return {
      problem: {
        status: 400,
        code: 'BadRequest',
        message: 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: badRequest(`The ${action} request body must be a JSON object.`) };
  }

  const body = value as ActionBody;
  for (const [name, parameterValue] of Object.entries(body)) {
    const parameterType = parameters[name];
    if (parameterType === undefined) {
      return {
        problem: badRequest(`The parameter '${name}' in the request payload is not a valid parameter for the operation '${action}'.`),
      };
    }
    const typeProblem = checkType(name, parameterValue, parameterType);
    if (typeProblem !== null) {
      return { problem: badRequest(typeProblem) };
    }
  }
  return { body };
}

function checkType(name: string, value: unknown, type: ParameterType): string | null {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? null : `Invalid value for parameter '${name}': expected a string, received ${describe(value)}.`;
    case 'nullable-string':
      return value === null || typeof value === 'string'
        ? null
        : `Invalid value for parameter '${name}': expected a string or null, received ${describe(value)}.`;
    case 'nullable-object':
      return value === null || (typeof value === 'object' && !Array.isArray(value))
        ? null
        : `Invalid value for parameter '${name}': expected an object or null, received ${describe(value)}.`;
    case 'string-array':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? null
        : `Invalid value for parameter '${name}': expected an array of strings.`;
  }
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export function badRequest(message: string): BodyProblem {
  return { status: 400, code: 'BadRequest', message };
}
