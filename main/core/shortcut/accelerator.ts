/**
 * Parses Electron accelerator strings ("CommandOrControl+Alt+P") for the global shortcut. The
 * names follow Electron's accelerator parser (`accelerator_util.cc` and `keyboard_util.cc`,
 * Electron 45): tokens joined by "+", case-insensitive, ASCII only. This parser is stricter
 * than Electron, which takes the last of several keys and ignores empty tokens: a global
 * shortcut here needs exactly one key and at least one modifier.
 */

export type AcceleratorResult = { ok: true; normalized: string } | { ok: false; error: string };

/** Modifier names in the order the normalized form lists them. */
const MODIFIER_ORDER = ['CommandOrControl', 'Command', 'Control', 'Alt', 'AltGr', 'Shift', 'Super'] as const;
type Modifier = (typeof MODIFIER_ORDER)[number];

/**
 * Modifier spellings Electron accepts, lower case, to the normalized spelling. This and the
 * tables below are Maps, so a token such as "constructor" finds nothing inherited.
 */
const MODIFIERS: ReadonlyMap<string, Modifier> = new Map<string, Modifier>([
  ['commandorcontrol', 'CommandOrControl'],
  ['cmdorctrl', 'CommandOrControl'],
  ['command', 'Command'],
  ['cmd', 'Command'],
  ['control', 'Control'],
  ['ctrl', 'Control'],
  ['alt', 'Alt'],
  // Electron maps Option to the same key code as Alt.
  ['option', 'Alt'],
  ['altgr', 'AltGr'],
  ['shift', 'Shift'],
  ['super', 'Super'],
  // Electron maps Meta to the same key code as Super.
  ['meta', 'Super'],
]);

/** Named keys Electron accepts, lower case, to the normalized spelling. */
const NAMED_KEYS: ReadonlyMap<string, string> = (() => {
  const names = [
    'Backspace', 'Capslock', 'Delete', 'Down', 'End', 'Enter', 'Escape', 'Home', 'Insert', 'Left',
    'MediaNextTrack', 'MediaPlayPause', 'MediaPreviousTrack', 'MediaStop', 'Numlock', 'PageDown',
    'PageUp', 'Plus', 'PrintScreen', 'Right', 'Scrolllock', 'Space', 'Tab', 'Up', 'VolumeDown',
    'VolumeMute', 'VolumeUp', 'numadd', 'numdec', 'numdiv', 'nummult', 'numsub',
  ];
  const table = new Map<string, string>(names.map((name) => [name.toLowerCase(), name]));
  for (let digit = 0; digit <= 9; digit++) {
    table.set(`num${digit}`, `num${digit}`);
  }
  for (let number = 1; number <= 24; number++) {
    table.set(`f${number}`, `F${number}`);
  }
  table.set('return', 'Enter');
  table.set('esc', 'Escape');
  return table;
})();

/** Single characters Electron maps to a key (letters and digits are added in `keyName`). */
const PUNCTUATION = new Set('!"#$%&()*,-./:;<=>?@[\'\\]^_`{|}~');

/** Common names that are not Electron key names, to the name to write instead. */
const NAME_HINTS: ReadonlyMap<string, string> = new Map<string, string>([
  ['win', 'Super'],
  ['windows', 'Super'],
  ['opt', 'Alt'],
  ['del', 'Delete'],
  ['ins', 'Insert'],
  ['pgup', 'PageUp'],
  ['pgdn', 'PageDown'],
  ['pgdown', 'PageDown'],
  ['caps', 'Capslock'],
  ['ret', 'Enter'],
  ['bksp', 'Backspace'],
  ['prtsc', 'PrintScreen'],
]);

const EXAMPLE = 'CommandOrControl+Alt+P';

/** Returns the normalized key name for a token, or null when Electron has no such key. */
function keyName(token: string): string | null {
  if (token.length === 1) {
    if (/[a-z]/i.test(token)) {
      return token.toUpperCase();
    }
    if (/[0-9]/.test(token) || PUNCTUATION.has(token)) {
      return token;
    }
    return null;
  }
  return NAMED_KEYS.get(token.toLowerCase()) ?? null;
}

/** Returns true when a key types a character, so Shift or AltGr alone would take it from every app. */
function typesCharacter(key: string): boolean {
  return key.length === 1 || key === 'Space';
}

function invalid(text: string, reason: string): AcceleratorResult {
  return { ok: false, error: `Invalid shortcut "${text}": ${reason}` };
}

/** Parses and normalizes an accelerator for a global shortcut. */
export function parseAccelerator(text: string): AcceleratorResult {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, error: `Shortcut is empty: enter modifiers and one key, for example ${EXAMPLE}.` };
  }

  const nonAscii = [...trimmed].find((char) => char.charCodeAt(0) > 0x7f);
  if (nonAscii !== undefined) {
    return invalid(trimmed, `"${nonAscii}" is not ASCII. Use Electron key names such as Plus, Space or a letter A-Z.`);
  }

  const tokens = trimmed.split('+').map((token) => token.trim());
  if (tokens.some((token) => token === '')) {
    return invalid(trimmed, 'a key name is missing between "+" signs. Write Plus for the + key, for example Control+Alt+Plus.');
  }

  const modifiers = new Set<Modifier>();
  let key: string | null = null;
  for (const token of tokens) {
    const modifier = MODIFIERS.get(token.toLowerCase());
    if (modifier !== undefined) {
      if (modifiers.has(modifier)) {
        return invalid(trimmed, `modifier ${modifier} appears twice. Keep it once.`);
      }
      modifiers.add(modifier);
      continue;
    }

    const name = keyName(token);
    if (name === null) {
      const hint = NAME_HINTS.get(token.toLowerCase());
      const fix = hint === undefined ? 'Use a letter, a digit, F1-F24 or a key name such as Space, Enter, Up or PageDown.' : `Write ${hint} instead.`;
      return invalid(trimmed, `"${token}" is not a key or modifier name. ${fix}`);
    }
    if (key !== null) {
      return invalid(trimmed, `it has two keys, ${key} and ${name}. Keep one key and put the modifiers before it.`);
    }
    key = name;
  }

  const ordered = MODIFIER_ORDER.filter((modifier) => modifiers.has(modifier));
  if (key === null) {
    return invalid(trimmed, `it has no key. Add one key after the modifiers, for example ${ordered.join('+')}+P.`);
  }
  if (ordered.length === 0) {
    return invalid(trimmed, `a global shortcut needs at least one modifier (CommandOrControl, Alt, Shift or Super), for example CommandOrControl+Alt+${key}.`);
  }

  const onlyTypingModifiers = ordered.every((modifier) => modifier === 'Shift' || modifier === 'AltGr');
  if (onlyTypingModifiers && typesCharacter(key)) {
    return invalid(
      trimmed,
      `${ordered.join('+')}+${key} types a character, so it would stop that character from working in every app. Add CommandOrControl, Alt or Super.`,
    );
  }

  return { ok: true, normalized: [...ordered, key].join('+') };
}
