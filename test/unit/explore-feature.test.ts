// The feature writer of `posrig explore` (rigs/explore/featureWriter.ts, stepWords.ts): every step it can write is a
// defined step of the vocabulary in English and in Chinese, both bound to the same function; a written feature
// carries the language line, the keywords, the tags `posrig run` needs and the replay, and passes the feature lint.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { lintFeature } from '../../cli/featureLint.ts';
import { parseMoney } from '../../protocols/domain/money.ts';
import { featureText, needsOf, quoted, stepLines } from '../../rigs/explore/featureWriter.ts';
import { LINK_FAULTS, REVERSAL_FAULTS, SALE_FAULTS, type ScenarioStep } from '../../rigs/explore/scenarioStep.ts';
import { FEATURE_LANGUAGES, stepWords } from '../../rigs/explore/stepWords.ts';

interface StepDefinition {
  readonly pattern: string | RegExp;
  readonly unwrappedCode: unknown;
  readonly expression: { readonly regexp: RegExp };
}

const amount = parseMoney('12.34 CNY');

/** One step of every kind and every variant the writer words. */
const EVERY_STEP: ScenarioStep[] = [
  { kind: 'holds', card: 'alice', amount },
  { kind: 'noPinLimit', amount },
  ...[...SALE_FAULTS, ...REVERSAL_FAULTS, 'refuse-primary' as const, 'cut-power-reversing' as const].map(
    (fault) => ({ kind: 'fault', fault }) as const,
  ),
  ...LINK_FAULTS.map((fault) => ({ kind: 'linkFault', fault }) as const),
  { kind: 'paperOut', after: 'now' },
  { kind: 'paperOut', after: 'first-copy' },
  { kind: 'startSale', amount },
  { kind: 'present', method: 'swipe', card: 'alice' },
  { kind: 'present', method: 'chip', card: 'bob' },
  { kind: 'present', method: 'tap', card: 'visa' },
  { kind: 'pin', pin: '123456' },
  { kind: 'cancel' },
  { kind: 'abort' },
  { kind: 'loadPaper' },
  { kind: 'reprint' },
  { kind: 'powerBack' },
  { kind: 'recovers' },
  { kind: 'shows', text: '交易成功' },
  { kind: 'doesNotShow', text: '交易成功' },
  { kind: 'says', text: '交易成功' },
  { kind: 'outcome', outcome: 'approved' },
  { kind: 'outcome', outcome: 'declined', code: '51' },
  { kind: 'outcome', outcome: 'failed' },
  { kind: 'outcome', outcome: 'timeout' },
  { kind: 'outcome', outcome: 'cancelled' },
  { kind: 'completes' },
  { kind: 'noReceipt' },
  { kind: 'receipt', copy: 'merchant', amount },
  { kind: 'receipt', copy: 'cardholder', amount },
  { kind: 'markedReceipt', copy: 'cardholder', amount },
  { kind: 'balance', card: 'alice', amount },
  { kind: 'reverses' },
  { kind: 'reverses', reason: '98' },
  { kind: 'noRequest' },
];

const SALE: ScenarioStep[] = [
  { kind: 'holds', card: 'alice', amount: parseMoney('500.00 CNY') },
  { kind: 'fault', fault: 'lose-response' },
  { kind: 'startSale', amount },
  { kind: 'present', method: 'swipe', card: 'alice' },
  { kind: 'pin', pin: '123456' },
  { kind: 'outcome', outcome: 'timeout' },
  { kind: 'noReceipt' },
  { kind: 'reverses', reason: '98' },
];

const FAILURE = 'firmware defect: behaviour monitor: a rule of docs/protocol.md broken\n  - [timeout-outcome] …';

describe('the steps explore writes', () => {
  let definitions: StepDefinition[] = [];
  before(async () => {
    const { runConfiguration } = await loadConfiguration({ provided: { paths: [] } });
    const library = await loadSupport(runConfiguration);
    definitions = (library as unknown as { stepDefinitions: StepDefinition[] }).stepDefinitions;
  });

  const definitionOf = (text: string) => definitions.filter((d) => d.expression.regexp.test(text));

  for (const language of FEATURE_LANGUAGES) {
    it(`are each exactly one defined step in ${language}`, () => {
      const undefinedOrAmbiguous = EVERY_STEP.map((s) => stepWords(s, language)).filter(
        (text) => definitionOf(text).length !== 1,
      );
      assert.deepEqual(undefinedOrAmbiguous, []);
    });
  }

  it('say the same in English and in Chinese (one function for both)', () => {
    const different = EVERY_STEP.filter(
      (s) =>
        definitionOf(stepWords(s, 'en'))[0]?.unwrappedCode !== definitionOf(stepWords(s, 'zh-CN'))[0]?.unwrappedCode,
    );
    assert.deepEqual(different, []);
  });
});

describe('a written feature', () => {
  const found = {
    steps: SALE,
    rig: 'sim-serial',
    seed: 1,
    replay: 'npx posrig explore --seed 1 --path "3:0@A"',
    failure: FAILURE,
  };

  it('reads in English, with Given / When / Then / And', () => {
    const text = featureText({ ...found, language: 'en' });
    assert.match(text, /^# Written by posrig explore on rig sim-serial/);
    assert.match(text, /npx posrig explore --seed 1 --path "3:0@A"/);
    assert.match(text, /\nFeature: Found by posrig explore on sim-serial \(seed 1\)\n/);
    assert.deepEqual(stepLines(SALE, 'en').slice(0, 3), [
      'Given the card "alice" holds 500.00 CNY',
      "And the host's next response is lost",
      'When the merchant starts a sale of 12.34 CNY',
    ]);
    assert.ok(text.includes('    Then the transaction times out\n'));
  });

  it('reads in Chinese, with its language line and 假如 / 当 / 那么 / 而且', () => {
    const text = featureText({ ...found, language: 'zh-CN' });
    assert.match(text, /^# language: zh-CN\n/);
    assert.match(text, /\n功能: /);
    assert.match(text, /\n {2}场景: /);
    assert.ok(text.includes('    假如卡"alice"余额为500.00元\n'));
    assert.ok(text.includes('    而且主机的下一笔应答丢失\n'));
    assert.ok(text.includes('    当商户发起消费12.34元\n'));
    assert.ok(text.includes('    那么交易超时\n'));
    assert.ok(text.includes('    而且终端冲正该交易，原因码"98"\n'));
  });

  it('tags what the rig needs, the area, the severity and the rule the failure broke', () => {
    const text = featureText({ ...found, language: 'en' });
    const tags = text.split('\n').find((line) => line.startsWith('@')) ?? '';
    for (const tag of ['@needs-bank-control', '@needs-faults', '@needs-pin', '@needs-swipe', '@area:resilience'])
      assert.ok(tags.includes(tag), `${tag} in ${tags}`);
    assert.ok(tags.includes('@severity:critical'));
    assert.ok(tags.includes('@req:timeout-outcome'));
    assert.deepEqual(needsOf([{ kind: 'fault', fault: 'cut-power-online' }, { kind: 'powerBack' }]), [
      '@needs-bank-control',
      '@needs-faults',
      '@needs-power',
    ]);
  });

  it('tags a serial-link fault @needs-serial-link and files it under resilience, in both languages', () => {
    const steps: ScenarioStep[] = [{ kind: 'linkFault', fault: 'corrupt' }, ...SALE.slice(2)];
    assert.deepEqual(needsOf(steps.slice(0, 1)), ['@needs-bank-control', '@needs-serial-link']);
    const text = featureText({ ...found, steps, language: 'en' });
    assert.match(text, /@needs-serial-link .*@area:resilience/);
    assert.ok(text.includes('    Given the next command reaches the terminal damaged\n    When the merchant starts'));
    const zh = featureText({ ...found, steps, language: 'zh-CN' });
    assert.ok(zh.includes('    假如下一条指令损坏后到达终端\n'));
  });

  it('names the requirement of the failed step when the failure names no rule', () => {
    const text = featureText({
      ...found,
      language: 'en',
      failure: 'firmware defect: expected one cardholder copy',
      failedAt: { kind: 'receipt', copy: 'cardholder', amount },
    });
    assert.match(text, /@req:signal-receipt/);
    assert.match(text, /# It failed at "the terminal prints a cardholder receipt for 12.34 CNY" with:/);
    assert.match(text, /\n {2}Scenario: the terminal prints a cardholder receipt for 12.34 CNY — shortest sequence\n/);
  });

  it('names the scenario by the rule broken after the last step, and quotes the failure without a dangling colon', () => {
    const text = featureText({
      ...found,
      language: 'en',
      failure: 'firmware defect: [timeout-outcome] no result in time; the terminal did this:\n    12:00:00.000 → sale',
    });
    assert.match(text, /\n# {3}firmware defect: \[timeout-outcome\] no result in time\n/);
    assert.doesNotMatch(text, /did this/);
    assert.match(text, /\n {2}Scenario: timeout-outcome — shortest sequence\n/);
    assert.deepEqual(quoted('rig fault: the link closed:'), ['rig fault: the link closed']);
    const unnamed = featureText({ ...found, language: 'en', failure: 'rig fault: the link closed' });
    assert.match(unnamed, /\n {2}Scenario: rig fault: the link closed — shortest sequence\n/);
  });

  for (const language of FEATURE_LANGUAGES) {
    it(`passes the feature lint of posrig run (${language})`, () => {
      assert.deepEqual(lintFeature(featureText({ ...found, language, steps: EVERY_STEP })), []);
    });
  }
});
