// Verdicts as a QA engineer meets them: a correct scenario passes wherever it ends; a wrong word is a scenario
// error without a stack trace; a refused command fails its own step; a transaction left open (power off, a reversal
// still owed) is judged in its own scenario and never leaks into the next.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { posrig } from '../support/cli.ts';
import { rigText, writeRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-verdicts-'));

function feature(name: string, scenarios: string): string {
  const file = path.join(folder, name);
  writeFileSync(file, `Feature: ${name}\n${scenarios}`);
  return file;
}

/** Scenario name → the first line of its JUnit failure (null when it passed). */
function verdicts(reports: string): Map<string, string | null> {
  const junit = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  const cases = [...junit.matchAll(/<testcase[^>]*name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)];
  const firstLine = (body: string) => /<failure[^>]*message="([^"]*)"/.exec(body)?.[1]?.split('&#xA;')[0] ?? null;
  return new Map(cases.map((m) => [m[1] ?? '', firstLine(m[2] ?? '')?.replaceAll('&quot;', '"') ?? null]));
}

interface JsonScenario {
  readonly name: string;
  readonly steps: Array<{ embeddings?: Array<{ data: string }> }>;
}

/** The text attachments of each scenario in cucumber.json (they are stored base64). */
function attachments(reports: string): Map<string, string> {
  const [feature] = JSON.parse(readFileSync(path.join(reports, 'cucumber.json'), 'utf8')) as Array<{
    elements: JsonScenario[];
  }>;
  return new Map(
    (feature?.elements ?? []).map((scenario) => [
      scenario.name,
      scenario.steps
        .flatMap((step) => step.embeddings ?? [])
        .map((e) => Buffer.from(e.data, 'base64').toString())
        .join('\n'),
    ]),
  );
}

const PURCHASE = `
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"`;

describe('verdicts', () => {
  it('a correct scenario passes whichever step it ends on, and a transaction left open is judged in its own scenario', () => {
    const file = feature(
      'ends.feature',
      `
  Scenario: the README example without its receipt lines${PURCHASE}
    Then the terminal shows "交易成功"
    And the terminal says "交易成功"
    And the card "alice" is debited 100.00 CNY
    And the merchant is credited 100.00 CNY

  Scenario: ends right after the PIN${PURCHASE}

  Scenario: ends on a balance check${PURCHASE}
    Then the card "alice" is debited 100.00 CNY

  Scenario: ends with the power still off
    Given the card "alice" holds 500.00 CNY
    And the power will be cut while the terminal waits for the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"

  Scenario: the next one sees nothing of it${PURCHASE}
    Then the transaction is approved

  Scenario: aborted online, the balance read at once
    Given the card "alice" holds 500.00 CNY
    And the merchant will abort the transaction while the terminal waits for the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the transaction is cancelled
    And the card "alice" is not charged

  Scenario: three wrong PINs typed one after the other: each waits for the terminal to ask again
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "000000"
    And the cardholder enters PIN "000001"
    And the cardholder enters PIN "000002"
    Then the transaction is declined with response code "75"

  Scenario: a power cut ends the transaction without a result
    Given the card "alice" holds 500.00 CNY
    And the power will be cut while the terminal waits for the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    And the power comes back
    Then the transaction completes
    And the terminal does not show "交易成功"
    And no receipt is printed
    And the card "alice" is not charged
`,
    );
    const reports = path.join(folder, 'ends');
    const run = posrig(['run', '--reports', reports, '--', file]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /8 scenarios \(8 passed\)/);
    const evidence = attachments(reports);
    const powerOff = evidence.get('ends with the power still off') ?? '';
    assert.match(powerOff, /posrig switched it on to judge the transaction/, 'the scenario says what posrig did');
    assert.match(powerOff, /← reversal +\{"stan":"\d{6}","status":"confirmed"/, 'its reversal delivered in it');
    const next = evidence.get('the next one sees nothing of it') ?? '';
    assert.match(next, /→ sale/);
    assert.doesNotMatch(next, /reversal/, "no reversal of the power-cut sale reaches the next scenario's history");
  });

  it('a wrong word, a command the terminal refuses, or a result the scenario never lets come is a scenario error', () => {
    const file = feature(
      'words.feature',
      `
  Scenario: a sale of nothing
    When the merchant starts a sale of 0.00 CNY

  Scenario: an amount with three decimals
    When the merchant starts a sale of 100.001 CNY

  Scenario: a response code that is no decline
    Given the bank declines the next purchase with response code "5"

  Scenario: a PIN before any card
    When the merchant starts a sale of 100.00 CNY
    And the cardholder enters PIN "123456"

  Scenario: a sale in another currency
    When the merchant starts a sale of 100.00 USD

  Scenario: waits for the end while the terminal asks for the PIN again
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "000000"
    Then the transaction completes

  Scenario: a balance read while the power is off
    Given the card "alice" holds 500.00 CNY
    And the power will be cut while the terminal waits for the host
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the card "alice" is not charged

  Scenario: the power comes back though nothing cut it
    When the power comes back
`,
    );
    const reports = path.join(folder, 'words');
    const run = posrig(['run', '--reports', reports, '--', file]);
    assert.equal(run.code, 1, run.stdout);
    const found = verdicts(reports);
    const expected: Array<[string, RegExp]> = [
      ['a sale of nothing', /^scenario error: a sale is for more than 0\.00 CNY/],
      ['an amount with three decimals', /^scenario error: amount "100\.001 CNY": /],
      ['a response code that is no decline', /^scenario error: response code "5": a decline is two characters/],
      ['a PIN before any card', /^scenario error: the terminal refused "input\.keys": wrong-state: /],
      ['a sale in another currency', /^scenario error: the terminal refused "sale": currency: /],
      ['waits for the end while the terminal asks for the PIN again', /^scenario error: a prompt for the cardholder/],
      ['a balance read while the power is off', /^scenario error: the terminal's power is off: /],
      ['the power comes back though nothing cut it', /^scenario error: the power is on: nothing cut it/],
    ];
    for (const [name, line] of expected) assert.match(found.get(name) ?? 'passed', line, name);
    assert.doesNotMatch(run.stdout, /^\s+at /m, 'no stack trace for a scenario error');
  });

  it("a failover scenario on a rig with no backup host is a rig fault, not the firmware's", () => {
    const rig = writeRig(rigText({ host: 'host: { simulate: {}, faults: true }' }));
    const file = feature(
      'failover.feature',
      `
  Scenario: the primary is down${PURCHASE.replace('\n    When', '\n    And the primary host refuses connections\n    When')}
    Then the transaction is approved
`,
    );
    const reports = path.join(folder, 'no-backup');
    const run = posrig(['run', '--rig', rig, '--reports', reports, '--', file]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      verdicts(reports).get('the primary is down') ?? 'passed',
      /^rig fault: rig t has no backup host \(host\.backup in .*\): with the primary refusing, the terminal has nowhere to fail over to/,
    );
  });
});
