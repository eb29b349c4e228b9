/**
 * The sandbox: a local stand-in for the Microsoft identity platform and the Graph presence
 * API, served over HTTPS on 127.0.0.1, so real MSAL Node and the app's Graph client can be
 * tested without Microsoft. Start it with `startSandbox()`; steer it with `control`.
 */

export {
  CONSUMER_TENANT_ID,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_USER,
  type SandboxUserProfile,
} from './directory.ts';
export { createSandboxClock, type SandboxClock } from './clock.ts';
export { DEFAULT_SANDBOX_PORT, startSandbox, type RunningSandbox, type SandboxOptions } from './sandbox-server.ts';
export { completeSandboxSignIn, SandboxSignInError } from './sign-in-browser.ts';
export { SandboxControlError, type PreferredPresenceInput, type SandboxControl } from './control.ts';
export {
  connectSandboxControl,
  CONTROL_SECRET_HEADER,
  type RemoteSandboxControl,
  type SandboxConnection,
} from './control-http.ts';
export type { FaultResponse, FaultRule } from './faults.ts';
export type { TokenErrorSpec } from './identity/entra-errors.ts';
export type { RequestLogEntry } from './request-log.ts';
export type { PresenceSnapshot, ReadbackDelay } from './graph/presence-book.ts';
export type { PresencePair } from './graph/presence-rules.ts';
export type { SessionIdCheck } from './call.ts';
export type { SandboxAction } from './routes.ts';
export { sandboxNetworkClient } from './http-client.ts';
export { acquireSandboxTokens, type DirectSignInOptions, type SandboxTokens } from './direct-sign-in.ts';
export {
  readSandboxState,
  removeSandboxState,
  SandboxNotRunningError,
  sandboxStatePath,
  writeSandboxState,
  type SandboxState,
} from './discovery.ts';
