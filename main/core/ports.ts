/**
 * Ports: what core services need from the outside world. Each port has one adapter in
 * `main/shell/` (Electron) or `main/core/node/` (plain Node), and one in-memory fake in
 * `test/fakes/`. Core code receives ports by constructor and never imports Electron values.
 */

/** Handle returned by `Clock.setTimeout`, opaque to callers. */
export interface TimerHandle {
  readonly id: number;
}

/**
 * Time source. `monotonicMs` never jumps, and sleep does not count in it on every OS, so callers
 * compare it with `wallMs` to notice a suspend or a clock change. `wallMs` is Unix epoch ms.
 */
export interface Clock {
  wallMs(): number;
  monotonicMs(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields attached to a log line; values must never be a token, code or secret. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Operator log with a component prefix. Implementations drop fields that look like secrets. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(component: string): Logger;
}

/** The OS-backed protection the secret box uses; `none` means secrets would be plaintext. */
export type SecretBoxBackend = 'os' | 'none';

/** Encrypts small secrets (the MSAL token cache) with an OS-backed key. */
export interface SecretBox {
  backend(): Promise<SecretBoxBackend>;
  encrypt(plaintext: string): Promise<Uint8Array>;
  decrypt(ciphertext: Uint8Array): Promise<string>;
}

/** A small file written atomically (write to a temporary file, fsync, rename). */
export interface BlobFile {
  /** Returns the file's bytes, or null when it does not exist. */
  read(): Promise<Uint8Array | null>;
  write(data: Uint8Array): Promise<void>;
  remove(): Promise<void>;
  /** Moves a damaged file aside and returns the new path, so nothing the user had is lost. */
  quarantine(reason: string): Promise<string | null>;
  readonly path: string;
}

/** An HTTP request as the core sends it; bodies are strings (JSON or form data). */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the request; the transport rejects with an error whose `name` is `AbortError`. */
  signal?: AbortSignal;
  /** Per-attempt limit; the transport rejects with `HttpTimeoutError` when it passes. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends HTTP requests with the app's trust store and proxy. In Electron it is `net.fetch`
 * (system proxy and certificates); under Node it is `node:https` with keep-alive, an optional
 * extra CA (the sandbox's), and `HTTPS_PROXY` honoured. MSAL's network client uses it too.
 */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** The proxy in use, for the settings window and logs, or null for a direct connection. */
  describeProxy(): string | null;
}

/** Opens a URL in the user's browser (sign-in, admin consent). */
export interface BrowserOpener {
  open(url: string): Promise<void>;
}

/** Shows a desktop notification for failures that need the user. */
export interface Notifier {
  notify(notification: { title: string; body: string; id: string }): void;
}

/** Power and session events from the OS. Each `on*` returns a function that unsubscribes. */
export interface PowerEvents {
  onSuspend(listener: () => void): () => void;
  onResume(listener: () => void): () => void;
  onLockScreen(listener: () => void): () => void;
  onUnlockScreen(listener: () => void): () => void;
  onUserDidResignActive(listener: () => void): () => void;
  onUserDidBecomeActive(listener: () => void): () => void;
  onShutdown(listener: () => void): () => void;
  /**
   * Delays suspend while `work` runs, where the OS allows it (a logind delay lock on Linux).
   * Resolves when the delay is released.
   */
  holdSuspend(reason: string, work: () => Promise<void>): Promise<void>;
}

/** Work that must finish (or time out) before the app exits, joined by the quit coordinator. */
export interface QuitHooks {
  /** Registers the handler that runs when the app is about to quit. */
  onBeforeQuit(handler: (reason: QuitReason) => Promise<void>): void;
  /** Exits the process now, without running the handlers again. */
  exit(code: number): void;
}

export type QuitReason = 'user-quit' | 'shutdown' | 'session-end' | 'signal' | 'update';

/** Registers global keyboard shortcuts. */
export interface ShortcutRegistry {
  /** Returns false when another application owns the accelerator. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
  /** Whether global shortcuts can fire on this desktop (false on Wayland without the portal). */
  isSupported(): boolean;
}
