/**
 * Turns a key press into an Electron accelerator, for the shortcut recorder. Keys are read from
 * `KeyboardEvent.code`, the physical key, because Electron's accelerator names are those of a US
 * layout. Reading `key` would give "ö" or "@" on other layouts.
 */

import type { WindowEnvironment } from '../main/ipc-contract.ts';

/** The fields of a `KeyboardEvent` the recorder reads. */
export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

export type RecordedKeys =
  /** Only modifiers are down so far; keep listening. */
  | { kind: 'modifiers'; modifiers: string[] }
  | { kind: 'accelerator'; accelerator: string }
  /** A key Electron has no name for, such as a media key on some keyboards. */
  | { kind: 'unknown-key'; code: string };

const MODIFIER_CODES = new Set([
  'ControlLeft', 'ControlRight', 'AltLeft', 'AltRight', 'ShiftLeft', 'ShiftRight', 'MetaLeft', 'MetaRight', 'OSLeft', 'OSRight', 'AltGraph',
]);

const NAMED_CODES: Readonly<Record<string, string>> = {
  Space: 'Space',
  Enter: 'Enter',
  NumpadEnter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Escape: 'Escape',
  PrintScreen: 'PrintScreen',
  NumpadAdd: 'numadd',
  NumpadSubtract: 'numsub',
  NumpadMultiply: 'nummult',
  NumpadDivide: 'numdiv',
  NumpadDecimal: 'numdec',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  Backquote: '`',
  MediaPlayPause: 'MediaPlayPause',
  MediaTrackNext: 'MediaNextTrack',
  MediaTrackPrevious: 'MediaPreviousTrack',
  MediaStop: 'MediaStop',
  AudioVolumeUp: 'VolumeUp',
  AudioVolumeDown: 'VolumeDown',
  AudioVolumeMute: 'VolumeMute',
};

/** Returns the Electron key name for a physical key code, or null. */
export function keyNameForCode(code: string): string | null {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter !== null) {
    return letter[1] ?? null;
  }
  const digit = /^Digit([0-9])$/.exec(code);
  if (digit !== null) {
    return digit[1] ?? null;
  }
  const numpad = /^Numpad([0-9])$/.exec(code);
  if (numpad !== null) {
    return `num${numpad[1]}`;
  }
  const functionKey = /^F([1-9]|1[0-9]|2[0-4])$/.exec(code);
  if (functionKey !== null) {
    return code;
  }
  return NAMED_CODES[code] ?? null;
}

/**
 * Returns the modifiers held, in accelerator order. The platform's main modifier (Command on
 * macOS, Control elsewhere) becomes CommandOrControl, so the setting works on every OS.
 */
function modifiersOf(press: KeyPress, platform: WindowEnvironment['platform']): string[] {
  const modifiers: string[] = [];
  const mainModifier = platform === 'darwin' ? press.metaKey : press.ctrlKey;
  if (mainModifier) {
    modifiers.push('CommandOrControl');
  }
  if (platform === 'darwin' && press.ctrlKey) {
    modifiers.push('Control');
  }
  if (press.altKey) {
    modifiers.push('Alt');
  }
  if (press.shiftKey) {
    modifiers.push('Shift');
  }
  if (platform !== 'darwin' && press.metaKey) {
    modifiers.push('Super');
  }
  return modifiers;
}

/** Reads one key press of the recorder. */
export function recordKeyPress(press: KeyPress, platform: WindowEnvironment['platform']): RecordedKeys {
  const modifiers = modifiersOf(press, platform);
  if (MODIFIER_CODES.has(press.code)) {
    return { kind: 'modifiers', modifiers };
  }
  const key = keyNameForCode(press.code);
  if (key === null) {
    return { kind: 'unknown-key', code: press.code };
  }
  return { kind: 'accelerator', accelerator: [...modifiers, key].join('+') };
}

/** Writes an accelerator the way this OS names the keys: "Ctrl+Alt+P", or "⌘⌥P" on macOS. */
export function displayAccelerator(accelerator: string, platform: WindowEnvironment['platform']): string {
  const mac: Record<string, string> = { CommandOrControl: '⌘', Command: '⌘', Control: '⌃', Alt: '⌥', Shift: '⇧', Super: '⌘' };
  const other: Record<string, string> = { CommandOrControl: 'Ctrl', Command: 'Ctrl', Control: 'Ctrl', Super: platform === 'win32' ? 'Win' : 'Super' };
  const parts = accelerator.split('+');
  if (platform === 'darwin') {
    return parts.map((part) => mac[part] ?? part).join('');
  }
  return parts.map((part) => other[part] ?? part).join('+');
}
