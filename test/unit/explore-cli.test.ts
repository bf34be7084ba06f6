// The words `posrig explore` prints: its summary line (singular and plural, shrinking runs only when something was
// shrunk, a replay's own line), the .feature's file name for a negative seed, the defects it refuses (a link-only
// defect, a typo with "did you mean") and the replay paths it refuses before any rig starts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDefects, count, seedName, summaryLine } from '../../cli/explore.ts';
import { checkPath, PathMismatch } from '../../rigs/explore/explore.ts';

const progress = (runs: number, shrinkingRuns: number, transactions: number, faults: number) => ({
  runs,
  shrinkingRuns,
  transactions,
  faults,
  shrinking: shrinkingRuns > 0,
});

describe('the summary line', () => {
  it('counts in the singular and the plural, and leaves out shrinking when nothing was shrunk', () => {
    const line = summaryLine({ seed: 1, progress: progress(1, 0, 1, 1), failure: undefined }, 1, 'simulated time');
    assert.equal(line, '1 run, 1 transaction, 1 fault injected, 0 failures (seed 1, simulated time)');
    assert.equal(count(2, 'run'), '2 runs');
  });

  it('says the runs and the shrinking runs apart, and the runs of the budget played', () => {
    const failure = { message: 'firmware defect: x' } as never;
    const line = summaryLine({ seed: -7, progress: progress(3, 12, 20, 4), failure }, 30, 'the wall clock');
    assert.equal(
      line,
      '3 runs of 30 + 12 shrinking runs, 20 transactions, 4 faults injected, 1 failure (seed -7, the wall clock)',
    );
  });

  it('says what a replay did in one line', () => {
    const summary = { seed: 1, progress: progress(1, 0, 2, 0), failure: undefined };
    assert.equal(
      summaryLine(summary, 100, 'simulated time', '3:0@A:B'),
      'replayed 1 run (seed 1, path 3:0@A:B): no failure',
    );
  });
});

describe('the written file name', () => {
  it('spells a negative seed without a dash', () => {
    assert.equal(seedName(656492939), 'seed656492939');
    assert.equal(seedName(-656492939), 'seedm656492939');
  });
});

describe('the defects explore switches on', () => {
  it('takes a defect a feature step provokes', () => {
    assert.doesNotThrow(() => checkDefects(['double-print', 'unmarked-reprint']));
  });

  it('sends a link-only defect to posrig conformance, and a typo to the closest defect', () => {
    assert.throws(() => checkDefects(['link-slow-ack']), {
      message: 'defect link-slow-ack: no feature step provokes it; posrig conformance catches it',
    });
    assert.throws(() => checkDefects(['unmarked-reprnt']), {
      message: 'unknown defect unmarked-reprnt: did you mean unmarked-reprint?',
    });
    assert.throws(() => checkDefects(['coffee-spill']), /^Error: unknown defect coffee-spill \(known: /);
  });
});

describe('a replay path', () => {
  it('takes the paths a failure prints', () => {
    assert.doesNotThrow(() => checkPath('1:1:0:0:0:0@CBE:F', 30));
    assert.doesNotThrow(() => checkPath('7', 100));
  });

  it('refuses a malformed path and one whose run is past the runs asked for', () => {
    assert.throws(() => checkPath('garbage', 100), PathMismatch);
    assert.throws(() => checkPath('1:0@', 100), PathMismatch);
    assert.throws(() => checkPath('999:9:9@ZZZ:V', 100), { message: /its run 999 is past the 100 runs asked for/ });
  });
});
