// The same feature certifies a terminal that words its outcomes its own way: approved.feature quotes "交易成功", the
// rig's simulated terminal speaks a text profile saying 已支付, and the run passes; a rig expecting other words than
// its terminal says fails, naming the quoted and the expected text.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseMoney } from '../../protocols/domain/money.ts';
import { startRig } from '../../rigs/rig.ts';
import { finishes, shows } from '../../rigs/terminal/expectations.ts';
import { textProfile } from '../../rigs/text/textProfile.ts';
import { posrig } from '../support/cli.ts';
import { shippedRig } from '../support/rigText.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'posrig-text-run-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const FEATURE = 'features/purchase/approved.feature';

/** A copy of sim-serial whose terminal words its texts by the profile (absolute paths: it lives in a temp folder). */
function rigWithProfile(name: string, profile: string): string {
  const rig = path.join(folder, `${name}.yaml`);
  const text = shippedRig('rigs/sim-serial.yaml')
    .replace(/^name: .*$/m, `name: ${name}`)
    .replace(/^cards: .*$/m, `cards: ${path.resolve('fixtures/cards.yaml')}`)
    .replace(/^(terminal:\n)/m, `$1  texts: ${path.resolve(profile)}\n`);
  assert.match(text, /^ {2}texts: /m, 'the profile is in the rig');
  writeFileSync(rig, text);
  return rig;
}

/** Every text attachment of the run's cucumber.json (the terminal's history of each scenario among them). */
function attachments(reports: string): string {
  const features = JSON.parse(readFileSync(path.join(reports, 'cucumber.json'), 'utf8')) as Array<{
    elements?: Array<{ steps?: Array<{ embeddings?: Array<{ data: string; mime_type: string }> }> }>;
  }>;
  const embedded = features.flatMap((f) =>
    (f.elements ?? []).flatMap((e) => (e.steps ?? []).flatMap((s) => s.embeddings ?? [])),
  );
  return embedded
    .filter((e) => e.mime_type.startsWith('text/plain'))
    .map((e) => Buffer.from(e.data, 'base64').toString('utf8'))
    .join('\n');
}

function run(rig: string, reports: string) {
  return posrig(['run', '--rig', rig, '--reports', reports, '--', FEATURE], 180_000);
}

describe('a text profile on a simulated terminal', () => {
  it('approved.feature passes on a terminal that says 已支付, which it really showed and said', () => {
    const reports = path.join(folder, 'yizhifu');
    const result = run(rigWithProfile('sim-yizhifu', 'fixtures/texts/yizhifu.zh-CN.yaml'), reports);
    assert.equal(result.code, 0, result.output);
    assert.match(result.stdout, /3 scenarios \(3 passed\)/);
    const history = attachments(reports);
    assert.match(history, /← display +已支付 \| 金额: ¥100\.00/, 'the simulated terminal showed its own text');
    assert.match(history, /← voice +"支付成功"/, 'and said its own voice text');
    assert.doesNotMatch(history, /交易成功/, 'and never the reference text');
  });

  it('fails naming the quoted and the expected text when the rig expects another text than the terminal says', async () => {
    // One rig key words both sides, so a mismatch needs a terminal the rig does not configure: here the rig's own
    // simulated terminal says 已支付 while the words the step goes by say 付款完成.
    const rig = await startRig(rigWithProfile('sim-mismatch', 'fixtures/texts/yizhifu.zh-CN.yaml'));
    try {
      const history = rig.terminal.history;
      const from = history.mark();
      await rig.terminal.startSale(parseMoney('1.00 CNY'));
      await history.waitFor('the card prompt', (r) => r.message.type === 'state' && r.message.state === 'card', {
        from,
        timeoutMs: 5000,
      });
      const alice = rig.cards.get('alice');
      await rig.terminal.presentCard({ method: 'tap', pan: alice.pan, expiry: alice.expiry });
      const window = { from, timeoutMs: 5000 };
      const result = await finishes(rig.terminal, window);
      assert.equal(result?.outcome, 'approved');
      const shown = await shows(rig.terminal, '交易成功', window, rig.texts);
      assert.ok(shown.message.type === 'display' && shown.message.lines.includes('已支付'), "the rig's words: passes");
      const other = textProfile(undefined, 'zh-CN', { approved: '付款完成' });
      await assert.rejects(shows(rig.terminal, '交易成功', { from, timeoutMs: 500 }, other), (error: Error) => {
        assert.match(error.message, /the display to show "交易成功" \(approved; this terminal says "付款完成"\)/);
        assert.match(error.message, /← display +已支付/, 'the quote shows what the terminal did show');
        return true;
      });
    } finally {
      await rig.stop();
    }
  });
});
