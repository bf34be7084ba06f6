// `posrig run` scans exactly the files it wrote after the run — cucumber.html, junit.xml and cucumber.json in the
// reports folder, and every `--format name:file`, wherever that is: a card number in one fails the run (exit 1), and
// the line that says so names the file and the number masked. A file someone else left in the reports folder is not
// the run's. Depends only on the CLI contract of README.md, not on how cli/run.ts drives cucumber.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { posrig as runPosrig } from '../support/cli.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-report-scan-'));

function posrig(...args: string[]) {
  return runPosrig(args, 120_000);
}

/** A passing approved sale; `comment` goes into the feature's header (and so into every report of its source). */
function feature(name: string, comment = ''): string {
  const file = path.join(folder, name);
  writeFileSync(
    file,
    `${comment}
Feature: Approved
  Scenario: Swiped card with PIN is approved
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    And the cardholder swipes the card "alice"
    And the cardholder enters PIN "123456"
    Then the terminal shows "交易成功"
`,
  );
  return file;
}

describe('posrig run: the report scan', () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('a file someone else left in the reports folder does not fail a clean run', () => {
    const reports = path.join(folder, 'stale');
    mkdirSync(path.join(reports, 'evidence'), { recursive: true });
    writeFileSync(path.join(reports, 'notes.txt'), 'test card 4111 1111 1111 1111\n');
    const attachment = Buffer.from('receipt: card 6228 4804 0256 4890 018\n').toString('base64');
    writeFileSync(path.join(reports, 'evidence', 'ecr-trace.json'), JSON.stringify({ body: attachment }));

    const run = posrig('run', '--reports', reports, '--', feature('clean.feature'));
    assert.match(run.output, /1 scenario \(1 passed\)/);
    assert.equal(run.code, 0, run.output);
    assert.doesNotMatch(run.output, /unmasked card number/);
  });

  it('a --format output outside the reports folder is scanned: a card number in it fails the run, masked', () => {
    const reports = path.join(folder, 'reports');
    const ndjson = path.join(folder, 'elsewhere', 'run.ndjson');
    const leaky = feature('leaky.feature', '# ticket: test card 4111 1111 1111 1111');
    const run = posrig('run', '--reports', reports, '--format', `message:${ndjson}`, '--', leaky);
    assert.match(run.output, /1 scenario \(1 passed\)/, 'the scenario itself passes');
    assert.equal(run.code, 1, run.output);
    assert.ok(run.lines.includes(`posrig run: unmasked card number 411111******1111 in ${ndjson}`), run.stderr);
    assert.doesNotMatch(run.output, /4111111111111111|4111 1111 1111 1111/);
  });
});
