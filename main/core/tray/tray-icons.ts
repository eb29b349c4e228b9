/**
 * Tray icon keys and the files that draw them. `scripts/make-icons.ts` writes the files under
 * `assets/`; the shell passes `trayIconFile(...)` to Electron, which picks the `@2x` file beside
 * it on HiDPI screens.
 */

/** One icon per state the tray can show; each has its own shape, so colour is never needed. */
export const TRAY_ICON_KEYS = [
  'signed-out',
  'no-session',
  'available',
  'busy',
  'away',
  'dnd',
  'pending',
  'paused',
  'clear-pending',
  'error',
  'sandbox',
] as const;

export type TrayIconKey = (typeof TRAY_ICON_KEYS)[number];

export type TrayPlatform = 'darwin' | 'win32' | 'linux';

/**
 * Pixel sizes per platform. macOS: 16 px Template images plus 32 px `@2x` (Electron's Tray and
 * nativeImage docs). Linux: 22 px plus 44 px `@2x`, the panel size of KDE and the GNOME
 * AppIndicator extension. Windows: one ICO with 16-32 px (small icon at 100-200 % scaling)
 * and 40-64 px, as Electron's nativeImage docs advise.
 */
export const TRAY_ICON_SIZES = {
  darwin: { base: 16, double: 32 },
  linux: { base: 22, double: 44 },
  win32: { icoSizes: [16, 20, 24, 32, 40, 48, 64] },
} as const;

/** Folder of the tray icons inside `assets/`. */
export const TRAY_ICON_DIR = 'tray';

/** Returns the icon file for a key, relative to `assets/`, with `/` separators. */
export function trayIconFile(key: TrayIconKey, platform: TrayPlatform): string {
  switch (platform) {
    case 'darwin':
      // macOS recolours an image for light and dark menu bars only when its name ends in Template.
      return `${TRAY_ICON_DIR}/${key}Template.png`;
    case 'win32':
      return `${TRAY_ICON_DIR}/${key}.ico`;
    case 'linux':
      return `${TRAY_ICON_DIR}/${key}.png`;
  }
}

/** Returns the `@2x` file Electron loads beside a PNG base file, or null for an ICO. */
export function trayIconFile2x(key: TrayIconKey, platform: TrayPlatform): string | null {
  const base = trayIconFile(key, platform);
  return base.endsWith('.png') ? base.replace(/\.png$/, '@2x.png') : null;
}
