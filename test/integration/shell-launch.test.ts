import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { commandChannelPath, sendToRunningApp, type ChannelReply } from '../../main/core/node/command-channel.ts';
import {
  classifyLaunch,
  commandArgs,
  listenForSecondInstances,
  requestPrimaryInstance,
  startCommandChannel,
} from '../../main/shell/launch.ts';
import { FakeApp, FakeInstanceBroker } from '../fakes/electron/app.ts';
import { MemoryLog } from '../fakes/logger.ts';

describe('launch command args', () => {
  const cases: Array<[string[], boolean, string[]]> = [
    [['/opt/presence-tray'], false, []],
    [['/opt/presence-tray', 'clear', '--json'], false, ['clear', '--json']],
    [['electron', '/src/app', 'status'], true, ['status']],
    [['/opt/presence-tray', '--no-sandbox', 'clear'], false, ['clear']],
    [['/Applications/P.app/Contents/MacOS/P', '-psn_0_123456'], false, []],
    [['/opt/presence-tray', '--clear'], false, ['clear']],
    [['/opt/presence-tray', '--original-process-start-time=1337', 'status', '--json'], false, ['status', '--json']],
  ];
  for (const [argv, defaultApp, expected] of cases) {
    it(`reads ${JSON.stringify(argv.slice(1))}`, () => {
      assert.deepEqual(commandArgs(argv, defaultApp), expected);
    });
  }
});

describe('launch classification', () => {
  const cases: Array<[string[], string]> = [
    [[], 'tray'],
    [['--sandbox'], 'tray'],
    [['--sandbox', '--verbose'], 'tray'],
    [['clear'], 'command'],
    [['--sandbox', 'status'], 'command'],
    [['--help'], 'command'],
  ];
  for (const [args, kind] of cases) {
    it(`reads ${JSON.stringify(args)} as ${kind}`, () => {
      assert.equal(classifyLaunch(args).kind, kind);
    });
  }

  it('keeps the sandbox flag', () => {
    assert.deepEqual(classifyLaunch(['--sandbox']), { kind: 'tray', sandbox: true, verbose: false });
  });
});

describe('launch command channel', () => {
  const folders: string[] = [];
  after(async () => {
    for (const folder of folders) {
      await rm(folder, { recursive: true, force: true });
    }
  });

  async function channelPath(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'presence-tray-launch-'));
    folders.push(folder);
    return commandChannelPath(folder);
  }

  it('answers a command', async () => {
    const path = await channelPath();
    const received: string[][] = [];
    const stop = await startCommandChannel(
      path,
      async (argv) => {
        received.push(argv);
        return { exitCode: 0, stdout: '{"result":"cleared"}\n', stderr: '' };
      },
      new MemoryLog().logger,
    );

    let reply: ChannelReply | null;
    try {
      reply = await sendToRunningApp(path, ['clear', '--json'], 10_000);
    } finally {
      await stop();
    }

    assert.equal(reply?.stdout, '{"result":"cleared"}\n');
    assert.deepEqual(received, [['clear', '--json']]);
  });

  it('logs commands without their options', async () => {
    const path = await channelPath();
    const log = new MemoryLog();
    const stop = await startCommandChannel(path, async (): Promise<ChannelReply> => ({ exitCode: 0, stdout: '', stderr: '' }), log.logger);

    try {
      await sendToRunningApp(path, ['clear', '--header', 'X-Secret: hunter2'], 10_000);
    } finally {
      await stop();
    }

    assert.match(log.text(), /Command received .*command="clear"/);
    assert.doesNotMatch(log.text(), /hunter2/);
  });
});

describe('launch single instance', () => {
  it('gives the lock to the first app', () => {
    const broker = new FakeInstanceBroker();
    assert.equal(requestPrimaryInstance(new FakeApp(broker), []), true);
    assert.equal(requestPrimaryInstance(new FakeApp(broker), []), false);
  });

  it('shows the window on a second launch', async () => {
    const broker = new FakeInstanceBroker();
    const primary = new FakeApp(broker);
    let launches = 0;
    requestPrimaryInstance(primary, []);
    listenForSecondInstances({
      app: primary,
      runCommand: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
      onLaunch: () => {
        launches += 1;
      },
      logger: new MemoryLog().logger,
    });

    requestPrimaryInstance(new FakeApp(broker), []);
    await new Promise((resolve) => setImmediate(resolve));

    assert.equal(launches, 1);
  });

  it('runs a command from a second launch', async () => {
    const broker = new FakeInstanceBroker();
    const primary = new FakeApp(broker);
    const commands: string[][] = [];
    requestPrimaryInstance(primary, []);
    listenForSecondInstances({
      app: primary,
      runCommand: async (args) => {
        commands.push(args);
        return { exitCode: 0, stdout: '', stderr: '' };
      },
      onLaunch: () => {},
      logger: new MemoryLog().logger,
    });

    requestPrimaryInstance(new FakeApp(broker), ['clear']);
    await new Promise((resolve) => setImmediate(resolve));

    assert.deepEqual(commands, [['clear']]);
  });
});
