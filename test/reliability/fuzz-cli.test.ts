/**
 * Random command lines: 10,000 argv arrays through the parser, built from the real commands,
 * options and values mixed with random words, then a sample through `main()` end to end. The
 * parser must never throw, and a usage error must name the word it could not use. `main()` must
 * turn a usage error into exit code 2 with the message on stderr and nothing on stdout.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import fc from 'fast-check';

import { EXIT, parseArgs, USAGE } from '../../main/cli/args.ts';
import { main } from '../../main/cli.ts';
import { processFaultMark, processFaultsSince } from './support/process-guard.ts';
import { chooseSeed } from './support/seeded-random.ts';

const RUNS = 10_000;
/** Command lines sent through `main()`; each is a usage error, help or the version. */
const MAIN_RUNS = 1000;

const WORDS = [
  'sign-in',
  'sign-out',
  'status',
  'set',
  'clear',
  'sandbox',
  'help',
  '--device-code',
  '--json',
  '--verbose',
  '--sandbox',
  '--help',
  '--version',
  '--activity',
  '--for',
  '--presence-id',
  '--session-id',
  '--header',
  '--what-if',
  '--port',
  '--cache-file',
  'Available',
  'Busy',
  'Away',
  'DoNotDisturb',
  'Offline',
  'InACall',
  'PT30M',
  'PT4H',
  'P1D',
  '-PT5M',
  '8443',
  '0',
  '99999',
  'd2e8f4a1-7c3b-4a96-8e15-b0c9a6d3f572',
  'X-Custom: 1',
  'Authorization: Bearer x',
  '--',
  '-',
  '',
  '--json=yes',
  '--port=',
  '--for=PT1H',
];

const word = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const argvArb = fc.array(word, { maxLength: 7 });

/**
 * Returns whether a usage error names what was wrong: one of the words given (or an option's
 * name before "="), or, for a missing word, what is missing.
 */
function namesTheProblem(message: string, argv: readonly string[]): boolean {
  if (/^(Missing|Option \S+ needs)/.test(message)) {
    return true;
  }
  return argv.some((item) => {
    if (item.trim() === '') {
      // An empty or blank word can only be named in quotes.
      return message.includes(`"${item}"`);
    }
    const name = item.includes('=') ? item.slice(0, item.indexOf('=')) : item;
    return message.includes(item) || (name.trim() !== '' && message.includes(name));
  });
}

describe('command-line fuzzing', () => {
  let home: string;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'pt-fuzz-cli-'));
  });

  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  test(`${RUNS} random command lines parse or explain`, async (context) => {
    const seed = chooseSeed();
    context.diagnostic(`fast-check seed ${seed} (set RELIABILITY_SEED=${seed} to repeat this run)`);
    const thrown: string[] = [];
    const unexplained: string[] = [];
    const counts = { ok: 0, usage: 0 };

    fc.assert(
      fc.property(argvArb, (argv) => {
        let parsed;
        try {
          parsed = parseArgs(argv);
        } catch (error) {
          thrown.push(`${JSON.stringify(argv)}: ${String(error)}`);
          return;
        }
        if (parsed.ok) {
          counts.ok += 1;
          return;
        }
        counts.usage += 1;
        if (!namesTheProblem(parsed.error, argv)) {
          unexplained.push(`${JSON.stringify(argv)} → ${parsed.error}`);
        }
      }),
      { numRuns: RUNS, seed },
    );
    context.diagnostic(`${counts.ok} parsed, ${counts.usage} usage errors`);

    assert.deepEqual(thrown.slice(0, 10), []);
    assert.deepEqual(unexplained.slice(0, 10), []);
    assert.ok(counts.ok > RUNS / 20, `only ${counts.ok} command lines parsed, so the valid paths were barely tried`);
  });

  test(`${MAIN_RUNS} usage errors through main`, async (context) => {
    const seed = chooseSeed() + 1;
    context.diagnostic(`fast-check seed ${seed}`);
    const mark = processFaultMark();
    const problems: string[] = [];
    let ran = 0;

    // Only command lines that stop before any network or browser: usage errors, help, version.
    const safeArgv = argvArb.filter((argv) => {
      const parsed = parseArgs(argv);
      return !parsed.ok || parsed.command.name === 'help' || parsed.command.name === 'version';
    });
    await fc.assert(
      fc.asyncProperty(safeArgv, async (argv) => {
        ran += 1;
        let stdout = '';
        let stderr = '';
        const io = {
          out: (text: string) => {
            stdout += text;
          },
          err: (text: string) => {
            stderr += text;
          },
        };
        const parsed = parseArgs(argv);
        const code = await main(argv, io, { PRESENCE_TRAY_HOME: home });

        if (!parsed.ok) {
          if (code !== EXIT.usage) {
            problems.push(`${JSON.stringify(argv)} exited ${code}, expected ${EXIT.usage}`);
          }
          if (stderr !== `${parsed.error}\n` || stdout !== '') {
            problems.push(`${JSON.stringify(argv)} printed ${JSON.stringify({ stdout, stderr })}`);
          }
        } else if (code !== EXIT.ok || stdout.trim() === '' || (parsed.command.name === 'help' && stdout !== `${USAGE}\n`)) {
          problems.push(`${JSON.stringify(argv)} (${parsed.command.name}) exited ${code} with ${JSON.stringify(stdout.slice(0, 80))}`);
        }
      }),
      { numRuns: MAIN_RUNS, seed },
    );

    assert.equal(ran >= MAIN_RUNS, true, `main ran ${ran} times`);
    assert.deepEqual(problems.slice(0, 10), []);
    assert.deepEqual(await readdir(home), [], 'a usage error wrote into the data folder');
    assert.deepEqual(processFaultsSince(mark), []);
  });
});
