import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

import { createSleepInhibitor } from '../../main/shell/sleep-inhibitor.ts';
import { MemoryLog } from '../fakes/logger.ts';

/** Stands in for `systemd-inhibit ... cat`: runs until its standard input closes. */
const LONG_RUNNING = [process.execPath, '-e', "process.stdin.resume(); process.stdin.on('end', () => process.exit(0))"];

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('shell sleep inhibitor', () => {
  it('starts and ends the lock process', async () => {
    const log = new MemoryLog();
    const inhibitor = createSleepInhibitor({ logger: log.logger, command: LONG_RUNNING });

    inhibitor.acquire();
    await waitFor(() => log.text().includes('Took the sleep delay lock'), 'the lock process to start');
    const pid = Number(/pid=(\d+)/.exec(log.text())?.[1]);
    inhibitor.release();
    await waitFor(() => !isAlive(pid), 'the lock process to end');

    assert.equal(inhibitor.isHeld(), false);
  });

  it('takes the lock once', async () => {
    const log = new MemoryLog();
    const inhibitor = createSleepInhibitor({ logger: log.logger, command: LONG_RUNNING });

    inhibitor.acquire();
    inhibitor.acquire();
    await waitFor(() => log.text().includes('Took the sleep delay lock'), 'the lock process to start');
    inhibitor.release();

    assert.equal(log.lines.filter((line) => line.message === 'Took the sleep delay lock').length, 1);
  });

  it('gives up on a missing command', async () => {
    const log = new MemoryLog();
    const inhibitor = createSleepInhibitor({ logger: log.logger, command: ['presence-tray-no-such-command'] });

    inhibitor.acquire();
    await waitFor(() => log.text().includes('was not found'), 'the spawn error');
    inhibitor.acquire();
    await new Promise((resolve) => setTimeout(resolve, 100));

    assert.equal(inhibitor.isHeld(), false);
    assert.equal(log.lines.filter((line) => line.message.includes('was not found')).length, 1);
  });

  it('logs a lock that ends early', async () => {
    const log = new MemoryLog();
    const inhibitor = createSleepInhibitor({
      logger: log.logger,
      command: [process.execPath, '-e', 'process.stderr.write("Failed to inhibit: Access denied"); process.exit(1)'],
    });

    inhibitor.acquire();
    await waitFor(() => log.text().includes('ended on its own'), 'the early exit');

    assert.equal(inhibitor.isHeld(), false);
    assert.match(log.text(), /Access denied/);
  });

  it('ends the lock when the app dies', async () => {
    // A parent process takes the lock, prints the lock process id, and is then killed hard.
    const moduleUrl = new URL('../../main/shell/sleep-inhibitor.ts', import.meta.url).href;
    const logUrl = new URL('../../main/core/log.ts', import.meta.url).href;
    const script = `
      const { createSleepInhibitor } = await import(${JSON.stringify(moduleUrl)});
      const { createLogger } = await import(${JSON.stringify(logUrl)});
      const logger = createLogger((line) => { if (line.fields.pid) console.log('PID ' + line.fields.pid); });
      createSleepInhibitor({ logger, command: ${JSON.stringify(LONG_RUNNING)} }).acquire();
      setInterval(() => {}, 60000);
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    parent.stdout.setEncoding('utf8');
    parent.stdout.on('data', (chunk: string) => {
      output += chunk;
    });

    await waitFor(() => /PID \d+/.test(output), 'the parent to take the lock');
    const lockPid = Number(/PID (\d+)/.exec(output)?.[1]);
    parent.kill('SIGKILL');
    await once(parent, 'close');
    await waitFor(() => !isAlive(lockPid), 'the lock process to end after its parent died');

    assert.equal(isAlive(lockPid), false);
  });

  it('rejects an empty command', () => {
    assert.throws(() => createSleepInhibitor({ logger: new MemoryLog().logger, command: [] }), /command is empty/);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

