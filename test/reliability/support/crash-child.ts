/**
 * The process the crash test kills. It builds the app as the command line does (Node ports, the
 * settings file, the journal, the running sandbox found through `PRESENCE_TRAY_HOME`) and then
 * sets and clears presence in a loop. It writes each step to stdout before and after it, so
 * the test can kill it at a chosen point: inside a set, between a set and a clear, inside a clear.
 */

import { createHeadlessContext } from '../../../main/cli/headless.ts';

function announce(step: string): void {
  // Writes to a pipe are synchronous on Linux, so the line is out before the step begins.
  process.stdout.write(`${step}\n`);
}

const io = {
  out: (text: string): void => void process.stderr.write(text),
  err: (text: string): void => void process.stderr.write(text),
};

const context = await createHeadlessContext({ sandbox: true, verbose: false, json: false, cacheFile: null }, io, process.env);
await context.app.start({ replayJournal: false });
announce('ready');

for (;;) {
  announce('set');
  await context.app.setPresence({ availability: 'Busy', durationMs: null });
  announce('set-done');
  announce('clear');
  const record = await context.app.clearPresence('command-line', 30_000);
  announce(`clear-done ${record.result}`);
}
