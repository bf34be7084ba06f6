// The evidence never carries a card number, and a terminal that shows or prints one unmasked fails the run: a card
// number planted in the display (a text profile's "present card" text) and in the receipt (the merchant name printed
// on it), written in card digit groups `4111 1111 1111 1111`, fails the scenario at once as a firmware defect
// [pan-masked], and neither the output nor any report (Allure results and pictures' text among them) holds it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { scanForPans } from '../../reporting/panScan.ts';
import { posrig } from '../support/cli.ts';
import { shippedRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-evidence-pan-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const PLANTED = '4111 1111 1111 1111';
const SCENARIO = 'features/purchase/approved.feature';
const NAME = '^Swiped card with PIN is approved$';

/** sim-serial with absolute paths, changed by `edit`. */
function rig(name: string, edit: (text: string) => string): string {
  const file = path.join(folder, `${name}.yaml`);
  const text = shippedRig('rigs/sim-serial.yaml')
    .replace(/^name: .*$/m, `name: ${name}`)
    .replace(/^cards: .*$/m, `cards: ${path.resolve('fixtures/cards.yaml')}`);
  const edited = edit(text);
  assert.notEqual(edited, text, 'the rig was changed');
  writeFileSync(file, edited);
  return file;
}

/** Runs the scenario; afterwards nothing the run wrote holds the planted number (reports, Allure results). */
function run(rigFile: string, evidence: string) {
  const reports = path.join(folder, path.basename(rigFile, '.yaml'));
  after(() => {
    assert.deepEqual(scanForPans(reports), [], 'no report holds the card number');
    assert.ok(existsSync(path.join(reports, 'allure-results')), 'the Allure results were scanned too');
  });
  return posrig(
    ['run', '--rig', rigFile, '--reports', reports, '--evidence', evidence, '--name', NAME, '--', SCENARIO],
    180_000,
  );
}

describe('a card number in the pictures’ text', () => {
  it('shown on the display: the scenario fails as a firmware defect [pan-masked] and the run fails', () => {
    const profile = path.join(folder, 'pan-display.zh-CN.yaml');
    writeFileSync(
      profile,
      `language: zh-CN\ntexts:\n  presentCard: "请刷卡 ${PLANTED}"\n  voice:\n    presentCard: 请刷卡\n`,
    );
    const result = run(
      rig('pan-display', (t) => t.replace(/^(terminal:\n)/m, `$1  texts: ${profile}\n`)),
      'failed',
    );
    assert.equal(result.code, 1, result.output);
    assert.match(
      result.output,
      /firmware defect: \[pan-masked\] .*clear card number \(411111\*{6}1111\) in a "display" event/,
    );
    assert.doesNotMatch(result.output, /4111 1111 1111 1111/, 'the output itself never shows it');
  });

  it('printed on a receipt, with pictures of every scenario: the same, and the run fails', () => {
    const result = run(
      rig('pan-receipt', (t) => t.replace(/name: "POSRIG 测试商户"/, `name: "SHOP ${PLANTED}"`)),
      'all',
    );
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /firmware defect: \[pan-masked\] .*(receipt|"print" event).*411111\*{6}1111/);
    assert.doesNotMatch(result.output, /4111 1111 1111 1111/);
  });
});
