// When a selfcheck worker may take the next run in the same process: only after passes and firmware-defect verdicts.
// Anything that may have left the process in a state the next run must not see gets it a fresh process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { soundAfter } from '../../cli/selfcheck.ts';
import type { RunOutcome } from '../../cli/selfcheckReport.ts';
import type { FailedScenario } from '../../cli/selfcheckVerdicts.ts';

function failure(culprit: FailedScenario['culprit']): FailedScenario {
  const message = `${culprit ?? 'Error'}: it went wrong`;
  return { scenario: 'F › S', location: 'features/x.feature:7', culprit, step: 'Then …', message, rules: [] };
}

function run(exitCode: number, failed: FailedScenario[] | undefined, extra: Partial<RunOutcome> = {}): RunOutcome {
  return { defect: 'double-print', exitCode, results: failed && { total: 10, failed }, ...extra };
}

describe('soundAfter', () => {
  it('keeps the process after a green run and after firmware-defect verdicts only', () => {
    assert.equal(soundAfter(run(0, [])), true);
    assert.equal(soundAfter(run(1, [failure('firmware defect'), failure('firmware defect')])), true);
  });

  it('wants a fresh process after a rig fault, a scenario error or a failure naming no culprit', () => {
    assert.equal(soundAfter(run(1, [failure('firmware defect'), failure('rig fault')])), false);
    assert.equal(soundAfter(run(1, [failure('scenario error')])), false);
    assert.equal(soundAfter(run(1, [failure(undefined)])), false);
  });

  it('wants a fresh process when the run had no results, failed with nothing failed, or could not run', () => {
    assert.equal(soundAfter(run(1, undefined, { reportError: 'cucumber.json was not written' })), false);
    assert.equal(soundAfter(run(1, [])), false); // e.g. an after-all hook failed, or a report leaked a card number
    assert.equal(soundAfter(run(2, [])), false);
  });

  it('wants a fresh process when explore could not run in it', () => {
    const explored = { budget: 200, runs: 0, transactions: 0, faults: 0, error: 'exit 2: posrig explore: …' };
    assert.equal(soundAfter(run(0, [], { explored })), false);
    assert.equal(soundAfter(run(0, [], { explored: { budget: 200, runs: 200, transactions: 300, faults: 9 } })), true);
  });
});
