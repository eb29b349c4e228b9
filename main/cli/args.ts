/**
 * Command-line grammar of `presence-tray`: a pure parser from argv to a typed command, so usage
 * errors (exit code 2) are decided before anything touches the network.
 */

import { parseSessionAvailability, type SessionAvailability } from '../core/presence/pairs.ts';

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  signInRequired: 3,
  throttled: 4,
} as const;

export interface GlobalOptions {
  sandbox: boolean;
  verbose: boolean;
  json: boolean;
  /** A token cache file the user accepts to keep readable only by them (mode 0600). */
  cacheFile: string | null;
}

export type Command =
  | { name: 'help'; topic: string | null }
  | { name: 'version' }
  | { name: 'sign-in'; deviceCode: boolean }
  | { name: 'sign-out' }
  | { name: 'status' }
  | { name: 'set'; availability: SessionAvailability; activity: string | null; duration: string | null }
  | {
      name: 'clear';
      presenceId: string | null;
      sessionId: string | null;
      headers: string[];
      whatIf: boolean;
    }
  | { name: 'sandbox'; port: number | null };

export type ParsedArgs =
  | { ok: true; command: Command; options: GlobalOptions }
  | { ok: false; error: string };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const COMMANDS = ['sign-in', 'sign-out', 'status', 'set', 'clear', 'sandbox', 'help'] as const;

/** Options that take a value, per command ('*' = every command). */
const VALUE_OPTIONS: Record<string, readonly string[]> = {
  '*': ['--cache-file'],
  set: ['--activity', '--for'],
  clear: ['--presence-id', '--session-id', '--header'],
  sandbox: ['--port'],
};

const FLAG_OPTIONS: Record<string, readonly string[]> = {
  '*': ['--sandbox', '--verbose', '--json', '--help'],
  'sign-in': ['--device-code'],
  clear: ['--what-if'],
};

export const USAGE = `Usage: presence-tray <command> [options]

Commands:
  sign-in [--device-code]        Sign in with the browser, or with a code shown here
  sign-out                       Forget the signed-in account on this computer
  status [--json]                Show the account, the app's session and what Teams shows
  set <Available|Busy|Away|DoNotDisturb> [--activity A] [--for DURATION]
                                 Set the app's presence session; DURATION is ISO 8601,
                                 for example PT30M or PT1H (Graph accepts PT5M to PT4H a set)
  clear [--presence-id ID] [--session-id ID] [--header "Name: value"]... [--what-if] [--json]
                                 End the app's presence session (clearPresence)
  sandbox [--port N]             Run the local Microsoft sign-in and Graph emulator until stopped

Global options:
  --sandbox                      Talk to the running sandbox instead of Microsoft
  --cache-file PATH              Keep the token cache in PATH (readable only by you, not encrypted)
  --json                         Print one JSON object on stdout
  --verbose                      Log each step on stderr
  --help                         Show this help

Exit codes: 0 success (also "already cleared"), 1 failure, 2 usage error,
3 sign-in required, 4 throttled past the deadline.`;

function takesValue(command: string, option: string): boolean {
  return (VALUE_OPTIONS['*'] ?? []).includes(option) || (VALUE_OPTIONS[command] ?? []).includes(option);
}

function isFlag(command: string, option: string): boolean {
  return (FLAG_OPTIONS['*'] ?? []).includes(option) || (FLAG_OPTIONS[command] ?? []).includes(option);
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`Invalid --port "${text}": use a whole number from 1 to 65535.`);
  }
  return Number(text);
}

/** Parses argv (without `node` and the script path), returning usage errors as values. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  try {
    return parseOrThrow(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      return { ok: false, error: error.message };
    }
    throw error;
  }
}

function parseOrThrow(argv: readonly string[]): ParsedArgs {
  const options: GlobalOptions = { sandbox: false, verbose: false, json: false, cacheFile: null };
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();

  // The command is the first word that is neither an option nor the value of a global option,
  // because global options such as --cache-file PATH may come before it.
  const commandIndex = findCommandIndex(argv);
  const commandWord = commandIndex >= 0 ? argv[commandIndex] : undefined;

  if (argv.includes('--version') && commandWord === undefined) {
    return { ok: true, command: { name: 'version' }, options };
  }
  if (commandWord === undefined) {
    if (argv.includes('--help') || argv.length === 0) {
      return { ok: true, command: { name: 'help', topic: null }, options };
    }
    throw new UsageError(`Missing command. Use one of: ${COMMANDS.join(', ')}. Run "presence-tray --help" for details.`);
  }
  if (!(COMMANDS as readonly string[]).includes(commandWord)) {
    throw new UsageError(`Unknown command "${commandWord}". Use one of: ${COMMANDS.join(', ')}.`);
  }
  const command = commandWord;

  for (let i = 0; i < argv.length; i += 1) {
    if (i === commandIndex) {
      continue;
    }
    const word = argv[i] as string;
    if (!word.startsWith('-')) {
      positionals.push(word);
      continue;
    }

    const equals = word.indexOf('=');
    const name = equals > 0 ? word.slice(0, equals) : word;
    if (takesValue(command, name)) {
      let value: string | undefined;
      if (equals > 0) {
        value = word.slice(equals + 1);
      } else {
        value = argv[i + 1];
        i += 1;
      }
      if (value === undefined || (equals < 0 && value.startsWith('--'))) {
        throw new UsageError(`Option ${name} needs a value.`);
      }
      values.set(name, [...(values.get(name) ?? []), value]);
    } else if (isFlag(command, name) && equals < 0) {
      flags.add(name);
    } else {
      throw new UsageError(`Unknown option "${word}" for "${command}". Run "presence-tray ${command} --help".`);
    }
  }

  options.sandbox = flags.has('--sandbox');
  options.verbose = flags.has('--verbose');
  options.json = flags.has('--json');
  options.cacheFile = single(values, '--cache-file');
  if (options.cacheFile === '') {
    throw new UsageError('Option --cache-file needs a file path.');
  }

  if (flags.has('--help') || command === 'help') {
    return { ok: true, command: { name: 'help', topic: command === 'help' ? (positionals[0] ?? null) : command }, options };
  }

  const expectPositionals = (count: number, what: string): void => {
    if (positionals.length > count) {
      throw new UsageError(`Unexpected argument "${positionals[count]}" for "${command}"${what}.`);
    }
  };

  switch (command) {
    case 'sign-in':
      expectPositionals(0, '');
      return { ok: true, command: { name: 'sign-in', deviceCode: flags.has('--device-code') }, options };
    case 'sign-out':
      expectPositionals(0, '');
      return { ok: true, command: { name: 'sign-out' }, options };
    case 'status':
      expectPositionals(0, '');
      return { ok: true, command: { name: 'status' }, options };
    case 'set': {
      const word = positionals[0];
      if (word === undefined) {
        throw new UsageError('Missing presence for "set": use Available, Busy, Away or DoNotDisturb.');
      }
      expectPositionals(1, ': give one presence');
      const availability = parseSessionAvailability(word);
      if (availability === null) {
        throw new UsageError(
          `Invalid presence "${word}": use Available, Busy, Away or DoNotDisturb ` +
            '(Graph does not let an app session set Offline, BeRightBack or OutOfOffice).',
        );
      }
      return {
        ok: true,
        command: { name: 'set', availability, activity: single(values, '--activity'), duration: single(values, '--for') },
        options,
      };
    }
    case 'clear':
      expectPositionals(0, '');
      return {
        ok: true,
        command: {
          name: 'clear',
          presenceId: single(values, '--presence-id'),
          sessionId: single(values, '--session-id'),
          headers: values.get('--header') ?? [],
          whatIf: flags.has('--what-if'),
        },
        options,
      };
    case 'sandbox': {
      expectPositionals(0, '');
      const port = single(values, '--port');
      return { ok: true, command: { name: 'sandbox', port: port === null ? null : parsePort(port) }, options };
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

function findCommandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] as string;
    if (!word.startsWith('-')) {
      return i;
    }
    if ((VALUE_OPTIONS['*'] ?? []).includes(word)) {
      i += 1;
    }
  }
  return -1;
}

function single(values: Map<string, string[]>, name: string): string | null {
  const list = values.get(name);
  if (list === undefined) {
    return null;
  }
  if (list.length > 1) {
    throw new UsageError(`Option ${name} was given ${list.length} times: give it once.`);
  }
  return list[0] ?? null;
}
