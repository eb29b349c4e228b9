import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandChannelPath, sendToRunningApp, serveCommandChannel } from '../../main/core/node/command-channel.ts';

async function withDataDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pt-channel-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('channel forwards argv and reply', async () => {
  await withDataDir(async (dir) => {
    const path = commandChannelPath(dir);
    const received: string[][] = [];
    const stop = await serveCommandChannel(path, async (argv) => {
      received.push(argv);
      return { exitCode: 0, stdout: 'cleared\n', stderr: '' };
    });
    try {
      const reply = await sendToRunningApp(path, ['clear', '--json'], 5000);
      assert.deepEqual(received, [['clear', '--json']]);
      assert.deepEqual(reply, { exitCode: 0, stdout: 'cleared\n', stderr: '' });
    } finally {
      await stop();
    }
  });
});

test('channel socket readable only by owner', async () => {
  await withDataDir(async (dir) => {
    const path = commandChannelPath(dir);
    const stop = await serveCommandChannel(path, async () => ({ exitCode: 0, stdout: '', stderr: '' }));
    try {
      const mode = (await stat(path)).mode & 0o777;
      assert.equal(mode, 0o600);
    } finally {
      await stop();
    }
  });
});

test('no app running returns null', async () => {
  await withDataDir(async (dir) => {
    assert.equal(await sendToRunningApp(commandChannelPath(dir), ['status'], 2000), null);
  });
});

test('stale socket file returns null', async () => {
  await withDataDir(async (dir) => {
    const path = commandChannelPath(dir);
    await writeFile(path, '');
    assert.equal(await sendToRunningApp(path, ['status'], 2000), null);
  });
});

test('stale socket replaced at serve', async () => {
  await withDataDir(async (dir) => {
    const path = commandChannelPath(dir);
    await writeFile(path, 'left by a crash');
    const stop = await serveCommandChannel(path, async () => ({ exitCode: 0, stdout: 'ok', stderr: '' }));
    try {
      assert.equal((await sendToRunningApp(path, ['status'], 5000))?.stdout, 'ok');
    } finally {
      await stop();
    }
  });
});

test('malformed request gets exit 2', async () => {
  await withDataDir(async (dir) => {
    const path = commandChannelPath(dir);
    let calls = 0;
    const stop = await serveCommandChannel(path, async () => {
      calls += 1;
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(path);
        let text = '';
        socket.setEncoding('utf8');
        socket.on('connect', () => socket.write('{"version":1,"argv":[1,2]}\n'));
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      assert.equal(JSON.parse(answer).exitCode, 2);
      assert.equal(calls, 0);
    } finally {
      await stop();
    }
  });
});

test('handler failure becomes exit 1', async () => {
  await withDataDir(async (dir) => {
    const path = commandChannelPath(dir);
    const stop = await serveCommandChannel(path, async () => {
      throw new Error('session store locked');
    });
    try {
      const reply = await sendToRunningApp(path, ['clear'], 5000);
      assert.equal(reply?.exitCode, 1);
      assert.match(reply?.stderr ?? '', /session store locked/);
    } finally {
      await stop();
    }
  });
});
