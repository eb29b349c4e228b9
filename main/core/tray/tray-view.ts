/**
 * The tray icon as the core sees it. The shell adapter owns Electron's `Tray` for the whole
 * process lifetime (a `Tray` held only by a local variable is garbage-collected and vanishes).
 */

import type { TrayModel } from './tray-model.ts';

export interface TrayView {
  /**
   * Shows a model: icon (`trayIconFile(model.iconKey, platform)`), tooltip, macOS title and
   * menu. The adapter rebuilds the whole menu each time, because on Linux a changed menu item
   * shows only after `setContextMenu` is called again. It attaches the menu as
   * `model.click.menu` says, passes `registerAccelerator: false` for accelerator hints, and
   * escapes `&` in labels where Electron reads it as a mnemonic (Windows and Linux).
   */
  render(model: TrayModel): void;
  /** Opens the current menu under the icon; macOS and Windows only, a no-op on Linux. */
  popUpMenu(): void;
  /** Calls `listener` on Electron's `click`; on Linux the desktop decides if a click sends it. */
  onClick(listener: () => void): () => void;
  /** Calls `listener` with the id of a clicked menu item. */
  onMenuAction(listener: (id: string) => void): () => void;
  destroy(): void;
}
