// Capability-aware runs: on a rig without a fault proxy, a feature that needs one (@needs-faults) is skipped with the
// reason, never failed, and `posrig run` exits 0; the scenarios it can run still run and pass.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { posrig } from '../support/cli.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-capabilities-'));

/** An in-process simulated rig with no fault proxy (and so no backup host past it). */
function rigWithoutFaults(): string {
  const rig = path.join(folder, 'no-faults.yaml');
  writeFileSync(
    rig,
    [
      'name: no-faults',
      'terminal:',
      '  id: T0000001',
      '  link: { kind: serial, path: "mock:/dev/ttyNoFaults", baudRate: 115200 }',
      '  simulate: { language: zh-CN }',
      'host:',
      '  simulate: { ledger: ":memory:" }',
      '  faults: false',
      'bank: { probe: simulator }',
      `cards: ${path.resolve('fixtures/cards.yaml')}`,
      '',
    ].join('\n'),
  );
  return rig;
}

/** A feature with one scenario that needs the fault proxy and one that does not. */
function mixedFeature(): string {
  const feature = path.join(folder, 'mixed.feature');
  writeFileSync(
    feature,
    [
      'Feature: Some need a fault proxy',
      '',
      '  @needs-faults',
      '  Scenario: The response is lost: needs the fault proxy',
      "    Given the host's next response is lost",
      '    When the merchant starts a sale of 100.00 CNY',
      '    And the cardholder swipes the card "alice"',
      '    And the cardholder enters PIN "123456"',
      '    Then the terminal shows "交易失败"',
      '',
      '  Scenario: A plain sale: needs nothing special',
      '    When the merchant starts a sale of 10.00 CNY',
      '    And the cardholder swipes the card "alice"',
      '    And the cardholder enters PIN "123456"',
      '    Then the transaction is approved',
      '',
    ].join('\n'),
  );
  return feature;
}

describe('capability-aware runs', () => {
  it('a @needs-faults scenario on a rig without a fault proxy is skipped with the reason; the run exits 0', () => {
    const reports = path.join(folder, 'reports');
    const run = posrig(['run', '--rig', rigWithoutFaults(), '--reports', reports, '--', mixedFeature()], 120_000);
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, /2 scenarios \(1 skipped, 1 passed\)/);
    const reason = 'skipped: rig no-faults has no fault proxy (host.faults) (@needs-faults)';
    assert.match(run.stderr, /"The response is lost: needs the fault proxy" \(\S*mixed\.feature\) skipped: /);
    assert.ok(run.stderr.includes(reason), run.stderr);
    // The reason is in the reports too: logged on the skipped scenario (cucumber.json carries logs base64-encoded).
    const json = readFileSync(path.join(reports, 'cucumber.json'), 'utf8');
    assert.ok(json.includes(Buffer.from(reason).toString('base64')), 'the reason is logged in cucumber.json');
  });

  it('the network feature, all of it needing the fault proxy, is skipped whole on that rig', () => {
    const reports = path.join(folder, 'reports-network');
    const run = posrig(
      ['run', '--rig', rigWithoutFaults(), '--reports', reports, '--', 'features/resilience/network.feature'],
      120_000,
    );
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, /7 scenarios \(7 skipped\)/);
    assert.doesNotMatch(run.stdout, /failed/);
  });
});
