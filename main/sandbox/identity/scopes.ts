/** Scope strings as MSAL sends them and as the sandbox echoes and grants them. */

import { REGISTERED_GRAPH_PERMISSIONS } from '../directory.ts';

/** OpenID Connect scopes MSAL adds to every request; they name no Graph permission. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

const GRAPH_PREFIXES = ['https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000/'];

export function splitScopes(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter((scope) => scope !== '');
}

export function isOidcScope(scope: string): boolean {
  return (OIDC_SCOPES as readonly string[]).includes(scope.toLowerCase());
}

/**
 * Returns the Graph permission a scope names (`Presence.ReadWrite` for both
 * `Presence.ReadWrite` and `https://graph.microsoft.com/Presence.ReadWrite`), the registered
 * permissions for `.default`, or null when the scope belongs to another resource.
 */
export function graphPermissions(scope: string): string[] | null {
  let name = scope;
  const prefix = GRAPH_PREFIXES.find((candidate) => scope.toLowerCase().startsWith(candidate));
  if (prefix !== undefined) {
    name = scope.slice(prefix.length);
  } else if (scope.includes('/') || scope.includes(':')) {
    return null;
  }

  if (name === '.default') {
    return [...REGISTERED_GRAPH_PERMISSIONS];
  }
  return [name];
}

/** Splits requested scopes into OIDC scopes, Graph permissions and scopes for other resources. */
export function classifyScopes(scopes: string[]): { oidc: string[]; graph: string[]; resource: string[]; foreign: string[] } {
  const oidc: string[] = [];
  const graph: string[] = [];
  const resource: string[] = [];
  const foreign: string[] = [];

  for (const scope of scopes) {
    if (isOidcScope(scope)) {
      oidc.push(scope.toLowerCase());
      continue;
    }
    const permissions = graphPermissions(scope);
    if (permissions === null) {
      foreign.push(scope);
      continue;
    }
    resource.push(scope);
    for (const permission of permissions) {
      if (!graph.some((known) => known.toLowerCase() === permission.toLowerCase())) {
        graph.push(permission);
      }
    }
  }
  return { oidc, graph, resource, foreign };
}
