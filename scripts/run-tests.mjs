// Runs the test files under the given folders (default: test/) with node:test and tsx.
// Node 20's test runner takes paths, not globs, so the files are listed here.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const DEFAULT_FOLDERS = ['test/unit', 'test/integration', 'test/renderer', 'test/reliability', 'test/bench'];
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_FOLDERS;

function collectTests(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (stat.isFile()) {
    return path.endsWith('.test.ts') ? [path] : [];
  }
  return readdirSync(path)
    .sort()
    .flatMap((name) => collectTests(join(path, name)));
}

const files = roots.flatMap(collectTests);
if (files.length === 0) {
  console.error(`No *.test.ts files found under: ${roots.join(', ')}`);
  process.exit(1);
}

const concurrency = process.env.TEST_CONCURRENCY ?? '2';

// A TAP copy of the run goes to a temporary file, so the last line printed can be the plain
// "N passed, N failed" summary. Without it, the run would end with the spec reporter's details
// of todo tests, which read like failures.
const tapDir = mkdtempSync(join(tmpdir(), 'presence-tray-tests-'));
const tapFile = join(tapDir, 'run.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit' },
);

const summary = summarizeTap(tapFile);
rmSync(tapDir, { recursive: true, force: true });
if (summary !== null) {
  const gaps = summary.todo === 1 ? 'known gap' : 'known gaps';
  const todo = summary.todo > 0 ? ` (${summary.todo} ${gaps} marked todo)` : '';
  console.log(`\nTests finished${todo}.`);
  console.log(`${summary.pass} passed, ${summary.fail} failed`);
}
process.exit(result.status ?? 1);

/** Reads the closing counts of a TAP report, or null when the file is missing or incomplete. */
function summarizeTap(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const count = (name) => {
    const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text);
    return match === null ? null : Number(match[1]);
  };
  const pass = count('pass');
  const fail = count('fail');
  if (pass === null || fail === null) {
    return null;
  }
  return { pass, fail, todo: count('todo') ?? 0 };
}
