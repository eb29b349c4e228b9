/**
 * Declares the fault matrix tests for some of the triggers: one test per fault and trigger, and
 * a last test that scans everything the scenarios produced for issued secrets. Each matrix file
 * takes a share of the triggers, so the test runner can run the shares side by side.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { FAULTS, TRIGGERS } from './matrix-cases.ts';
import { BUDGET_SLACK_MS, Scenario } from './matrix-scenario.ts';
import { MatrixWorld } from './matrix-world.ts';
import { processFaultsSince } from './process-guard.ts';

export function describeMatrix(triggerIds: readonly string[]): void {
  const triggers = TRIGGERS.filter((trigger) => triggerIds.includes(trigger.id));
  if (triggers.length !== triggerIds.length) {
    throw new Error(`Unknown trigger in ${triggerIds.join(', ')}; known: ${TRIGGERS.map((trigger) => trigger.id).join(', ')}.`);
  }

  describe(`fault matrix: ${triggerIds.join(', ')}`, () => {
    const world = new MatrixWorld();
    const earlyReads: string[] = [];
    /** Per trigger: scenarios finished, and the slowest one's time on the app's clock. */
    const timings = new Map<string, { runs: number; slowestMs: number; slowestFault: string }>();

    before(async () => {
      await world.open();
    });

    after(async () => {
      await world.close();
    });

    for (const trigger of triggers) {
      for (const fault of FAULTS) {
        test(`${fault.title} × ${trigger.title}`, async (context) => {
          const report = await new Scenario(world, fault, trigger).run();
          earlyReads.push(...report.earlyReads.map((line) => `${fault.id} × ${trigger.id}: ${line}`));
          const timing = timings.get(trigger.id) ?? { runs: 0, slowestMs: -1, slowestFault: '' };
          timing.runs += 1;
          if (report.triggerMs > timing.slowestMs) {
            timing.slowestMs = report.triggerMs;
            timing.slowestFault = fault.id;
          }
          timings.set(trigger.id, timing);
          if (process.env.RELIABILITY_TRACE === '1') {
            context.diagnostic(report.timeline.join('\n'));
          }

          assert.ok(
            report.triggerMs <= report.budgetMs + BUDGET_SLACK_MS,
            `the ${trigger.title} took ${Math.round(report.triggerMs)} ms on the app's clock; budget ${report.budgetMs} ms`,
          );
          assert.deepEqual(report.processFaults, []);
          assert.deepEqual(report.journalMismatches, []);
          assert.deepEqual(report.trayLies, []);
          assert.deepEqual(report.unbounded, []);
          assert.deepEqual(report.earlyRequests, []);
          assert.equal(report.firstWriteAfterRelaunch ?? 'clearPresence', 'clearPresence', 'the first Graph write after the relaunch');
          assert.equal(report.liveAtEnd, false, 'a session is still live at the sandbox at the end');
          assert.equal(report.journalOpenAtEnd, false, 'the journal is still open at the end');
          assert.equal(report.stateAtEnd, 'signed-in/none');
        });
      }
    }

    test('every scenario ran', (context) => {
      for (const trigger of triggers) {
        const timing = timings.get(trigger.id);
        const budget = Number.isFinite(trigger.budgetMs) ? `${trigger.budgetMs} ms` : 'none';
        context.diagnostic(
          `${trigger.id}: ${timing?.runs ?? 0} scenarios, slowest ${Math.round(timing?.slowestMs ?? 0)} ms on the app's clock ` +
            `(${timing?.slowestFault ?? 'none'}), budget ${budget}`,
        );
      }

      for (const trigger of triggers) {
        assert.equal(timings.get(trigger.id)?.runs, FAULTS.length, `scenarios finished for ${trigger.id}`);
      }
      assert.deepEqual(processFaultsSince({ rejections: 0, exceptions: 0 }), [], 'the process had faults outside the scenarios');
    });

    test('reads wait out Retry-After', {
      todo: 'the client waits out the latest Retry-After, but a read already in flight when it arrives is not held back',
    }, () => {
      assert.deepEqual(earlyReads, []);
    });

    test('matrix output holds no secret', async () => {
      const secrets = world.sandbox.control.issuedSecrets();
      const hits = await world.outputs.findSecrets(secrets);

      assert.ok(secrets.length > 0, 'the sandbox issued no secrets to look for');
      assert.ok(world.outputs.size() > 0, 'no output was collected');
      assert.deepEqual(hits, []);
    });
  });
}
