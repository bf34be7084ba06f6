// `posrig run` scans its reports folder after the run: a card number anywhere in it fails the run (exit 1), and the
// line that says so names the file and the number masked. Depends only on the CLI contract of README.md, not on how
// cli/run.ts drives cucumber.
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

describe('posrig run: the report scan', () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('a passing run whose reports folder holds a card number fails with exit 1, naming the file, number masked', () => {
    const reports = path.join(folder, 'reports');
    mkdirSync(path.join(reports, 'evidence'), { recursive: true });
    const planted = path.join(reports, 'evidence', 'ecr-trace.json');
    const attachment = Buffer.from('receipt: card 6228 4804 0256 4890 018\n').toString('base64');
    writeFileSync(planted, JSON.stringify({ attachment: { body: attachment, contentEncoding: 'BASE64' } }));

    const run = posrig('run', '--reports', reports, '--', 'test/fixtures/features/reversal-lost.feature');
    assert.match(run.output, /1 scenario \(1 passed\)/, 'the scenario itself passes');
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /unmasked card number 622848\*{9}0018 in .*evidence[/\\]ecr-trace\.json/);
    assert.doesNotMatch(run.output, /6228480402564890018|6228 4804 0256 4890 018/);
  });
});
