// Runs the reliability suite (test/reliability) with node:test and prints, per group, how many
// tests passed and failed, then a last line "N passed, N failed". Failures are printed with
// their error, and each test's diagnostics (seeds, counts) are kept, so a run can be repeated.
//
// Usage: node scripts/reliability-report.mjs [test files...]   (default: every *.test.ts under
// test/reliability). TEST_CONCURRENCY sets how many files run at once (default 2).
//
// The same file is also the node:test reporter that the run uses: node loads it with
// --test-reporter, and then only its default export runs.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

/**
 * Group of each test, by the name of the file that declares it. The matrix tests are declared in
 * support/matrix-suite.ts. A file not listed forms a group of its own.
 */
const GROUPS = [
  { label: 'fault matrix', pattern: /^(fault-matrix|matrix-suite)/ },
  { label: 'crash recovery', pattern: /^crash-recovery/ },
  { label: 'endurance', pattern: /^endurance/ },
  { label: 'bad files', pattern: /^bad-files/ },
  { label: 'IPC and command-line fuzzing', pattern: /^fuzz-/ },
  { label: 'secrets', pattern: /^secrets/ },
  { label: 'sign-in lost in the keep-alive', pattern: /^sign-in-lost/ },
  { label: 'Retry-After across triggers', pattern: /^retry-after/ },
];

function groupOf(file) {
  const name = basename(file ?? 'unknown');
  return GROUPS.find((group) => group.pattern.test(name))?.label ?? name.replace(/\.test\.ts$/, '');
}

function formatSeconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Collects the results of the run and yields the report text (the node:test reporter). */
export default async function* reliabilityReporter(source) {
  const startedAt = Date.now();
  const groups = new Map();
  const group = (file) => {
    const label = groupOf(file);
    if (!groups.has(label)) {
      groups.set(label, { passed: 0, failed: 0, todo: 0, durationMs: 0 });
    }
    return groups.get(label);
  };

  for await (const event of source) {
    const data = event.data ?? {};
    const where = data.file === undefined ? '' : relative(process.cwd(), data.file);

    if (event.type === 'test:diagnostic' && data.file !== undefined) {
      yield `  ${where}: ${data.message}\n`;
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') {
      continue;
    }

    const counts = group(data.file);
    if (data.nesting === 0) {
      counts.durationMs += data.details?.duration_ms ?? 0;
    }
    const error = data.details?.error;
    // A suite's own result only matters when a hook failed; its tests are counted one by one.
    if (data.details?.type === 'suite' && (event.type === 'test:pass' || error?.failureType === 'subtestsFailed')) {
      continue;
    }
    if (data.skip !== undefined) {
      continue;
    }
    if (data.todo !== undefined) {
      counts.todo += 1;
      if (event.type === 'test:fail') {
        yield `  known gap (todo) in ${where}: ${data.name}: ${data.todo}\n`;
      }
      continue;
    }
    if (event.type === 'test:pass') {
      counts.passed += 1;
      continue;
    }
    counts.failed += 1;
    const message = String(error?.cause?.message ?? error?.message ?? error ?? 'failed').split('\n').slice(0, 12).join('\n    ');
    yield `✖ ${where}: ${data.name}\n    ${message}\n`;
  }

  let passed = 0;
  let failed = 0;
  yield '\n';
  for (const [label, counts] of groups) {
    passed += counts.passed;
    failed += counts.failed;
    const todo = counts.todo === 0 ? '' : `, ${counts.todo} known gap${counts.todo === 1 ? '' : 's'} (todo)`;
    yield `${label}: ${counts.passed} passed, ${counts.failed} failed${todo} (${formatSeconds(counts.durationMs)} of test time)\n`;
  }
  yield `Wall time ${formatSeconds(Date.now() - startedAt)} on Node ${process.version}.\n`;
  yield `${passed} passed, ${failed} failed\n`;
}

function collectTests(folder) {
  return readdirSync(folder, { withFileTypes: true })
    .sort((left, right) => left.name.localeCompare(right.name))
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        return collectTests(path);
      }
      return entry.name.endsWith('.test.ts') ? [path] : [];
    });
}

function runSuite() {
  const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : collectTests('test/reliability');
  if (files.length === 0) {
    console.error('No *.test.ts files found under test/reliability: run this from the repository root.');
    process.exit(1);
  }
  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-reporter=${pathToFileURL(SELF).href}`, '--test-reporter-destination=stdout', ...files],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}

if (process.argv[1] !== undefined && fileURLToPath(pathToFileURL(process.argv[1])) === SELF) {
  runSuite();
}
