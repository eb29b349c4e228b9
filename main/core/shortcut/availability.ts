/**
 * Whether a global shortcut can fire on this desktop, decided from the platform, the session
 * environment and the Electron version. Facts from Electron's globalShortcut docs and release
 * notes:
 * - macOS, Windows and X11 grab keys directly; `register` returning true is authoritative.
 * - Wayland compositors do not let apps grab keys. Electron 36 and later bind through the
 *   `org.freedesktop.portal.GlobalShortcuts` portal (behind `--enable-features` until it was
 *   enabled by default), which prompts the user for consent and needs an app id (`desktopName`)
 *   that matches an installed `.desktop` file. `register` then only means "request sent".
 * - An app running through XWayland on a Wayland session gets its key grabs only while one of
 *   its own X11 windows has focus, which a tray app never has.
 * - Since Electron 38 the Ozone platform follows the session (`XDG_SESSION_TYPE`), so Electron
 *   runs as a native Wayland client on Wayland unless `--ozone-platform=x11` forces XWayland.
 */

/** The command a user can bind in the desktop's own shortcut settings instead. */
export const CLEAR_COMMAND = 'presence-tray clear';

/** Chromium features for the portal; the shell appends them before `ready` when asked to. */
export const PORTAL_FEATURES = ['GlobalShortcutsPortal', 'GlobalShortcutsPortalPreferredTrigger'] as const;

export type ShortcutAvailability =
  | { kind: 'native'; reason: string }
  | { kind: 'portal'; reason: string; enableFeatures: readonly string[]; fallbackCommand: string }
  | { kind: 'unsupported'; reason: string; fallbackCommand: string };

/** The environment variables the decision reads (a subset of `process.env`). */
export interface ShortcutEnvironment {
  XDG_SESSION_TYPE?: string | undefined;
  WAYLAND_DISPLAY?: string | undefined;
  DISPLAY?: string | undefined;
}

export interface ShortcutAvailabilityOptions {
  /** The `--ozone-platform` switch the app passes to Chromium, if any. */
  ozonePlatform?: 'x11' | 'wayland' | null;
  /** The app id Electron reports to the portal (`desktopName` without `.desktop`), if set. */
  desktopName?: string | null;
}

/** First Electron major with the GlobalShortcuts portal, behind a feature flag at first. */
const FIRST_PORTAL_MAJOR = 36;
/** First Electron major whose Ozone platform follows `XDG_SESSION_TYPE` by default. */
const FIRST_WAYLAND_DEFAULT_MAJOR = 38;

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/** Decides whether and how the global shortcut can work here. */
export function shortcutAvailability(
  platform: NodeJS.Platform,
  env: ShortcutEnvironment,
  electronMajor: number,
  options: ShortcutAvailabilityOptions = {},
): ShortcutAvailability {
  if (platform === 'darwin' || platform === 'win32') {
    return { kind: 'native', reason: 'The operating system grabs the keys directly.' };
  }
  if (platform !== 'linux') {
    return {
      kind: 'unsupported',
      reason: `Global shortcuts are not supported on ${platform}.`,
      fallbackCommand: CLEAR_COMMAND,
    };
  }

  const sessionType = (env.XDG_SESSION_TYPE ?? '').toLowerCase();
  const waylandSession = sessionType === 'wayland' || (sessionType === '' && nonEmpty(env.WAYLAND_DISPLAY));
  const x11Session = sessionType === 'x11' || (!waylandSession && nonEmpty(env.DISPLAY));

  if (!waylandSession) {
    if (x11Session) {
      return { kind: 'native', reason: 'The X11 server grabs the keys directly.' };
    }
    return {
      kind: 'unsupported',
      reason: 'No graphical session was found (neither WAYLAND_DISPLAY nor DISPLAY is set).',
      fallbackCommand: CLEAR_COMMAND,
    };
  }

  const ozone = options.ozonePlatform ?? null;
  const nativeWayland = ozone === 'wayland' || (ozone === null && electronMajor >= FIRST_WAYLAND_DEFAULT_MAJOR);
  if (!nativeWayland) {
    return {
      kind: 'unsupported',
      reason:
        'The app runs through XWayland on a Wayland session, where key grabs work only while an app window has focus.',
      fallbackCommand: CLEAR_COMMAND,
    };
  }

  if (electronMajor < FIRST_PORTAL_MAJOR) {
    return {
      kind: 'unsupported',
      reason: `Electron ${electronMajor} cannot use the Wayland global shortcuts portal (it needs ${FIRST_PORTAL_MAJOR} or later).`,
      fallbackCommand: CLEAR_COMMAND,
    };
  }

  const desktopName = options.desktopName ?? null;
  const identity =
    desktopName === null || desktopName === ''
      ? ' No desktopName is set, so the portal may deny the request.'
      : ` The portal identifies the app as ${desktopName.replace(/\.desktop$/, '')}.`;
  return {
    kind: 'portal',
    reason: `On Wayland the desktop's shortcut portal decides and may ask you to approve the shortcut.${identity}`,
    enableFeatures: PORTAL_FEATURES,
    fallbackCommand: CLEAR_COMMAND,
  };
}
