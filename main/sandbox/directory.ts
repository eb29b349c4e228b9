/**
 * The tenant, app registration and user the sandbox serves. The GUIDs are fixed so that an
 * account cached against the sandbox keeps the same home account ID across sandbox runs.
 */

/** The app registration (public client) the sandbox accepts as `client_id`. */
export const SANDBOX_CLIENT_ID = '6f1c9d2e-4b7a-4e3f-9a85-2d0c7b16e4a9';

/** The work tenant the sandbox user belongs to by default. */
export const SANDBOX_TENANT_ID = '3f9b2a6d-8c41-4e7a-b5d2-1c6e9f0a7b84';

/** Entra's fixed tenant ID for personal Microsoft accounts (the `tid` in their ID tokens). */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface SandboxUserProfile {
  /** Entra object ID, the `oid` claim and the presence ID in Graph URLs. */
  objectId: string;
  /** The `preferred_username` claim (the user principal name). */
  username: string;
  displayName: string;
  tenantId: string;
}

/** The user who signs in unless a test calls `setUser`. */
export const SANDBOX_USER: { objectId: string; username: string; displayName: string } = {
  objectId: 'd2e8f4a1-7c3b-4a96-8e15-b0c9a6d3f572',
  username: 'avery.quinn@sandbox.example',
  displayName: 'Avery Quinn',
};

/** Tenant path segments the identity endpoints accept besides a tenant ID. */
export const TENANT_ALIASES = ['common', 'organizations', 'consumers'] as const;

/** Graph delegated permissions granted for `https://graph.microsoft.com/.default`. */
export const REGISTERED_GRAPH_PERMISSIONS = ['Presence.ReadWrite', 'User.Read'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns true when `text` is a GUID in the 8-4-4-4-12 form of Entra object and tenant IDs. */
export function isGuid(text: string): boolean {
  return GUID.test(text);
}
