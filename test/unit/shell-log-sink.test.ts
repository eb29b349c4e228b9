import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createElectronLogger, logFilePath, type ElectronLogApi } from '../../main/shell/log-sink.ts';

function fakeElectronLog() {
  const written: Array<{ level: string; text: string }> = [];
  const log: ElectronLogApi = {
    debug: (text: string) => written.push({ level: 'debug', text }),
    info: (text: string) => written.push({ level: 'info', text }),
    warn: (text: string) => written.push({ level: 'warn', text }),
    error: (text: string) => written.push({ level: 'error', text }),
    transports: {
      file: { level: 'silly', format: '', maxSize: 0, getFile: () => ({ path: '/home/u/.config/Presence Tray/logs/main.log' }) as never },
      console: { level: 'silly', format: '' },
      ipc: { level: 'silly' },
    },
  };
  return { log, written };
}

describe('shell log sink', () => {
  it('writes at the line level', () => {
    const { log, written } = fakeElectronLog();
    createElectronLogger(log, 'debug', { console: false }).child('power').warn('Power event', { event: 'suspend' });

    assert.equal(written[0]?.level, 'warn');
    assert.match(written[0]?.text ?? '', /WARN \[app\.power\] Power event event="suspend"$/);
  });

  it('redacts tokens', () => {
    const { log, written } = fakeElectronLog();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLW9iamVjdC1pZCJ9.c2lnbmF0dXJlLXBhcnQ';
    createElectronLogger(log, 'info', { console: false }).info(`header Bearer ${jwt}`, { refresh_token: 'abc' });

    assert.ok(!written[0]?.text.includes(jwt));
    assert.ok(!written[0]?.text.includes('"abc"'));
  });

  it('drops lines below the level', () => {
    const { log, written } = fakeElectronLog();
    createElectronLogger(log, 'info', { console: false }).debug('noise');
    assert.equal(written.length, 0);
  });

  it('configures the transports', () => {
    const { log } = fakeElectronLog();
    createElectronLogger(log, 'info', { console: false });

    assert.equal(log.transports.file.level, 'info');
    assert.equal(log.transports.file.format, '{text}');
    assert.equal(log.transports.console.level, false);
    assert.equal(log.transports.ipc?.level, false);
  });

  it('returns the log file path', () => {
    const { log } = fakeElectronLog();
    assert.equal(logFilePath(log), '/home/u/.config/Presence Tray/logs/main.log');
  });
});
