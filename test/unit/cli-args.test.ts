import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../main/cli/args.ts';

function parsedCommand(argv: string[]) {
  const result = parseArgs(argv);
  if (!result.ok) {
    assert.fail(`expected ${argv.join(' ')} to parse, got: ${result.error}`);
  }
  return result;
}

function usageError(argv: string[]): string {
  const result = parseArgs(argv);
  if (result.ok) {
    assert.fail(`expected a usage error for ${argv.join(' ')}`);
  }
  return result.error;
}

test('set with duration and sandbox', () => {
  const { command, options } = parsedCommand(['--sandbox', 'set', 'Busy', '--for', 'PT1H']);
  assert.deepEqual(command, { name: 'set', availability: 'Busy', activity: null, duration: 'PT1H' });
  assert.equal(options.sandbox, true);
});

test('set availability in any case', () => {
  const { command } = parsedCommand(['set', 'donotdisturb']);
  assert.equal(command.name === 'set' && command.availability, 'DoNotDisturb');
});

test('set rejects Offline naming the value', () => {
  assert.match(usageError(['set', 'Offline']), /"Offline".*Available, Busy, Away or DoNotDisturb/);
});

test('set without presence', () => {
  assert.match(usageError(['set']), /Missing presence/);
});

test('clear takes repeated headers', () => {
  const { command } = parsedCommand(['clear', '--header', 'X-A: 1', '--header=X-B: 2', '--what-if', '--json']);
  assert.deepEqual(command, { name: 'clear', presenceId: null, sessionId: null, headers: ['X-A: 1', 'X-B: 2'], whatIf: true });
});

test('clear ids given', () => {
  const { command } = parsedCommand(['clear', '--presence-id', 'p', '--session-id', 's']);
  assert.equal(command.name === 'clear' && command.presenceId, 'p');
  assert.equal(command.name === 'clear' && command.sessionId, 's');
});

test('unknown command named', () => {
  assert.match(usageError(['wipe']), /Unknown command "wipe"/);
});

test('unknown option named', () => {
  assert.match(usageError(['status', '--colour']), /Unknown option "--colour" for "status"/);
});

test('option of another command rejected', () => {
  assert.match(usageError(['status', '--what-if']), /Unknown option "--what-if"/);
});

test('missing option value', () => {
  assert.match(usageError(['set', 'Busy', '--for']), /--for needs a value/);
});

test('option given twice rejected', () => {
  assert.match(usageError(['clear', '--session-id', 'a', '--session-id', 'b']), /given 2 times/);
});

test('sandbox port out of range', () => {
  assert.match(usageError(['sandbox', '--port', '70000']), /Invalid --port "70000"/);
});

test('sandbox port parsed', () => {
  const { command } = parsedCommand(['sandbox', '--port', '47443']);
  assert.deepEqual(command, { name: 'sandbox', port: 47443 });
});

test('no arguments shows help', () => {
  assert.equal(parsedCommand([]).command.name, 'help');
});

test('sign-in device code flag', () => {
  assert.deepEqual(parsedCommand(['sign-in', '--device-code']).command, { name: 'sign-in', deviceCode: true });
});

test('extra positional rejected', () => {
  assert.match(usageError(['status', 'now']), /Unexpected argument "now"/);
});

test('global value option before command', () => {
  const { command, options } = parsedCommand(['--cache-file', '/tmp/cache.bin', 'status']);
  assert.equal(command.name, 'status');
  assert.equal(options.cacheFile, '/tmp/cache.bin');
});
