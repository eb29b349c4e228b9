/**
 * A local socket through which `presence-tray <command>` reaches the running tray app, so a
 * desktop shortcut bound to `presence-tray clear` reuses the app's session and prints the app's
 * result. Electron's `second-instance` event carries argv but has no way back to the second
 * process, hence this channel. The socket lives in the user's data folder (mode 0600) on macOS
 * and Linux and is a per-user named pipe on Windows.
 */

import { createHash } from 'node:crypto';
import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** Request and reply are one JSON line each. */
export interface ChannelRequest {
  version: 1;
  argv: string[];
}

export interface ChannelReply {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type ChannelHandler = (argv: string[]) => Promise<ChannelReply>;

/** Largest request line accepted; argv of a command is a few hundred bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** Returns the socket path for this user and data folder. */
export function commandChannelPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const owner = createHash('sha256').update(`${userInfo().username}\n${dataDir}`).digest('hex').slice(0, 16);
    return `\\\\.\\pipe\\presence-tray-${owner}`;
  }
  return join(dataDir, 'command.sock');
}

/** Starts the channel server; returns a function that stops it and removes the socket. */
export async function serveCommandChannel(path: string, handler: ChannelHandler): Promise<() => Promise<void>> {
  if (!path.startsWith('\\\\.\\pipe\\')) {
    // A socket file left by a crashed app would make listen fail with EADDRINUSE.
    await unlink(path).catch(() => undefined);
  }

  const server: Server = createServer((socket) => handleConnection(socket, handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (!path.startsWith('\\\\.\\pipe\\')) {
    await chmod(path, 0o600);
  }

  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!path.startsWith('\\\\.\\pipe\\')) {
      await unlink(path).catch(() => undefined);
    }
  };
}

function handleConnection(socket: Socket, handler: ChannelHandler): void {
  let buffered = '';
  let handled = false;

  const reply = (answer: ChannelReply): void => {
    socket.end(`${JSON.stringify(answer)}\n`);
  };

  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    if (handled) {
      return;
    }
    buffered += chunk;
    if (buffered.length > MAX_REQUEST_BYTES) {
      handled = true;
      reply({ exitCode: 2, stdout: '', stderr: `Command request larger than ${MAX_REQUEST_BYTES} bytes was rejected.\n` });
      return;
    }
    const newline = buffered.indexOf('\n');
    if (newline < 0) {
      return;
    }
    handled = true;

    const request = parseRequest(buffered.slice(0, newline));
    if (request === null) {
      reply({ exitCode: 2, stdout: '', stderr: 'Malformed command request: expected {"version":1,"argv":[...]}.\n' });
      return;
    }
    handler(request.argv).then(reply, (error: unknown) => {
      reply({ exitCode: 1, stdout: '', stderr: `The running app failed the command: ${String(error)}\n` });
    });
  });
}

function parseRequest(line: string): ChannelRequest | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const { version, argv } = value as { version?: unknown; argv?: unknown };
  if (version !== 1 || !Array.isArray(argv) || argv.length > 64 || !argv.every((word) => typeof word === 'string')) {
    return null;
  }
  return { version: 1, argv: argv as string[] };
}

/**
 * Sends argv to the running app. Returns null when no app listens (no socket, or a stale one),
 * so the caller runs the command itself.
 */
export async function sendToRunningApp(path: string, argv: string[], timeoutMs: number): Promise<ChannelReply | null> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let answer = '';
    let connected = false;

    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`The running Presence Tray app did not answer within ${timeoutMs} ms on ${path}.`));
    }, timeoutMs);

    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      const request: ChannelRequest = { version: 1, argv };
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) {
        resolve(null);
      } else {
        reject(new Error(`Could not reach the running Presence Tray app on ${path}: ${error.message}`));
      }
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        const reply = JSON.parse(answer.trim()) as ChannelReply;
        resolve(reply);
      } catch {
        reject(new Error(`The running Presence Tray app sent an unreadable reply on ${path}.`));
      }
    });
  });
}
