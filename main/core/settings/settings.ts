/**
 * The user's settings: their shape and defaults. The JSON schema, migrations and the file store
 * that keeps a damaged file aside live beside this file.
 */

export type GraphApiVersion = 'v1.0' | 'beta';
export type TrayClickAction = 'open-menu' | 'clear' | 'open-settings' | 'toggle-pause';

export interface Settings {
  /** Schema version of this object, for migrations. */
  version: 1;
  account: {
    /** Application (client) ID of the Entra app registration (GUID), or null before first run. */
    clientId: string | null;
    /** Tenant ID (GUID), verified domain, or `organizations`. */
    tenant: string;
    /** MSAL home account ID of the chosen account, or null. */
    homeAccountId: string | null;
  };
  presence: {
    /** Upper bound of each set's `expirationDuration`, in minutes (Graph accepts 5..240). */
    selfExpiryMinutes: number;
    graphApiVersion: GraphApiVersion;
    /** Overrides the session ID (default: the client ID), like the cmdlet's -SessionId. */
    sessionIdOverride: string | null;
  };
  clearOn: {
    quit: boolean;
    suspend: boolean;
    lockScreen: boolean;
    shutdown: boolean;
  };
  budgetsMs: {
    quit: number;
    suspend: number;
    lockScreen: number;
    shutdown: number;
  };
  shortcut: {
    enabled: boolean;
    accelerator: string;
  };
  tray: {
    clickAction: TrayClickAction;
  };
  startAtLogin: boolean;
  /** The user accepted a token cache file readable only by them where no OS secret store exists. */
  allowPlaintextTokenCache: boolean;
}

/** Defaults; the budgets are the trigger table of the design (Windows gives ~2 s on suspend). */
export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  account: { clientId: null, tenant: 'organizations', homeAccountId: null },
  presence: { selfExpiryMinutes: 10, graphApiVersion: 'v1.0', sessionIdOverride: null },
  clearOn: { quit: true, suspend: true, lockScreen: true, shutdown: true },
  budgetsMs: { quit: 3000, suspend: 1500, lockScreen: 1500, shutdown: 2000 },
  shortcut: { enabled: true, accelerator: 'CommandOrControl+Alt+Shift+P' },
  tray: { clickAction: 'open-menu' },
  startAtLogin: false,
  allowPlaintextTokenCache: false,
};
