/**
 * Content of the XDG autostart entry that starts the app at login on Linux, where Electron's
 * `app.setLoginItemSettings` does nothing. The format is the freedesktop.org Desktop Entry
 * Specification 1.5 (key file syntax, `Exec` quoting, `%` field codes).
 */

export interface AutostartEntry {
  /** Shown by the desktop's startup settings, for example "Presence Tray". */
  name: string;
  comment: string;
  /** Program and arguments, for example `[process.execPath]` or `[process.env.APPIMAGE]`. */
  exec: readonly string[];
  /** Icon name from the icon theme or an absolute path; omitted when null. */
  icon: string | null;
}

/** Characters that force an `Exec` argument into double quotes (Desktop Entry Spec, "The Exec key"). */
const RESERVED_IN_EXEC = /[\s"'\\><~|&;$*?#()`]/;

/** Characters that must be backslash-escaped inside a quoted `Exec` argument. */
const ESCAPED_IN_QUOTES = /["`$\\]/g;

/** Escapes a value for the key file format, where `\s`, `\n`, `\t`, `\r` and `\\` are the escapes. */
function escapeKeyFileValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

function quoteExecArgument(argument: string): string {
  if (argument === '') {
    return '""';
  }
  if (!RESERVED_IN_EXEC.test(argument)) {
    return argument;
  }
  return `"${argument.replace(ESCAPED_IN_QUOTES, (character) => `\\${character}`)}"`;
}

/**
 * Builds the `Exec` value: each argument quoted where the spec requires it and every `%` doubled,
 * because a single `%` starts a field code such as `%u`.
 */
export function formatExecLine(argv: readonly string[]): string {
  if (argv.length === 0 || argv[0] === '') {
    throw new Error('The autostart entry needs a program to run, but the command line is empty. Pass the app executable path.');
  }
  if (argv.some((argument) => argument.includes('\n') || argument.includes('\0'))) {
    throw new Error('An autostart argument contains a line break or NUL, which a desktop entry cannot hold. Remove it.');
  }

  return argv.map(quoteExecArgument).join(' ').replace(/%/g, '%%');
}

/** Builds the whole `.desktop` file, ending with a newline. */
export function buildAutostartDesktopEntry(entry: AutostartEntry): string {
  const lines = [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    `Name=${escapeKeyFileValue(entry.name)}`,
    `Comment=${escapeKeyFileValue(entry.comment)}`,
    `Exec=${escapeKeyFileValue(formatExecLine(entry.exec))}`,
  ];
  if (entry.icon !== null) {
    lines.push(`Icon=${escapeKeyFileValue(entry.icon)}`);
  }
  lines.push('Terminal=false', 'X-GNOME-Autostart-enabled=true');

  return `${lines.join('\n')}\n`;
}

/**
 * Tells whether an existing entry starts the app: the user may have switched it off in the
 * desktop's startup settings, which writes `Hidden=true` or `X-GNOME-Autostart-enabled=false`
 * instead of deleting the file.
 */
export function isAutostartEntryEnabled(content: string): boolean {
  let inMainGroup = false;
  for (const rawLine of content.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith('[')) {
      inMainGroup = line === '[Desktop Entry]';
      continue;
    }
    if (!inMainGroup) {
      continue;
    }

    const separator = line.indexOf('=');
    if (separator < 0) {
      continue;
    }
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 1).trim().toLowerCase();
    if (key === 'Hidden' && value === 'true') {
      return false;
    }
    if (key === 'X-GNOME-Autostart-enabled' && value === 'false') {
      return false;
    }
  }
  return true;
}
