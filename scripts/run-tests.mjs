// Runs the test files under the given folders (default: test/) with node:test and tsx.
// Node 20's test runner takes paths, not globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
