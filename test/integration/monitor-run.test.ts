// The behaviour monitor as a lab meets it in `posrig run`: a scenario whose every step passes still fails, as a
// firmware defect naming the rule and its clause, when the terminal broke a rule no step looked at; the clean
// terminal passes the same scenario; `--no-monitor` switches the rules off (and only them: the payment-truth
// invariant still holds).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { posrig } from '../support/cli.ts';
import { rigText, SIMULATED, writeRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-monitor-'));

/** Every step of it passes on a terminal that prints the cardholder copy first: only the monitor can tell. */
const scenario = path.join(folder, 'approved.feature');
writeFileSync(
  scenario,
  `Feature: Approved purchase
  Scenario: Swiped card with PIN is approved
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
    And the terminal prints a merchant receipt for 100.00 CNY
    And the terminal prints a cardholder receipt for 100.00 CNY
    And the transaction is approved
    And the card "alice" is debited 100.00 CNY
`,
);

function rigWith(defects: string): string {
  const terminal = SIMULATED.terminal.replace('simulate: {}', `simulate: { defects: [${defects}] }`);
  return writeRig(rigText({ terminal, host: 'host: { simulate: {}, faults: true }' }));
}

function run(rig: string, ...options: string[]) {
  const reports = mkdtempSync(path.join(folder, 'reports-'));
  const result = posrig(['run', '--rig', rig, '--reports', reports, ...options, scenario]);
  const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  return { ...result, junit };
}

describe('the behaviour monitor in posrig run', () => {
  it('fails a scenario whose steps all pass when the terminal breaks a rule: firmware defect, rule, clause, timeline', () => {
    const result = run(rigWith('cardholder-copy-first'));
    assert.equal(result.code, 1, result.output);
    assert.match(
      result.junit,
      /firmware defect: behaviour monitor: a rule of docs\/protocol.md broken, first \[merchant-copy-first\] \(§10.3\)/,
    );
    assert.match(
      result.junit,
      /the cardholder copy of sale \S+ \(STAN 000001\) was printed at [\d:.]+, before the merchant copy/,
    );
    assert.match(result.junit, /timeline around [\d:.]+:/);
    assert.match(result.junit, /▶ +[\d:.]+ ← print +cardholder copy/);
  });

  it('passes the same scenario on the clean terminal', () => {
    const result = run(rigWith(''));
    assert.equal(result.code, 0, result.output);
  });

  it('--no-monitor: the rules are not judged, so the scenario passes', () => {
    const result = run(rigWith('cardholder-copy-first'), '--no-monitor');
    assert.equal(result.code, 0, result.output);
    assert.doesNotMatch(result.junit, /behaviour monitor/);
  });
});
