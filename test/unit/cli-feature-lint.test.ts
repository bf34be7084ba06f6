import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearestScore } from '../../cli/closestSteps.ts';
import { featureLanguage, lintFeature } from '../../cli/featureLint.ts';

const patterns = [
  'the card {string} holds {money}',
  '卡{string}余额为{money}',
  'the merchant starts a sale of {money}',
  '商户发起消费{money}',
  'the merchant loads paper',
  'the terminal shows {string}',
  '终端显示{string}',
].map((pattern) => ({ pattern }));
const stepScore = (text: string, language: string) => nearestScore(text, patterns, language);

function lint(text: string): string[] {
  return lintFeature(text, { stepScore }).map((p) => `${p.line}: ${p.message}`);
}

describe('feature lint', () => {
  it('passes well-formed English and Chinese features, descriptions included', () => {
    assert.deepEqual(
      lint(`Feature: Approved purchase
  The payment succeeded only when all four signals agree:
  The display, the receipt, the voice prompt and the bank's balances

  Scenario: Swiped
    The cardholder swipes, the merchant waits
    Given the card "alice" holds 500.00 CNY
    When the merchant starts a sale of 100.00 CNY
    Then the terminal shows "金额: ¥100.00"
    """
    Gven this is a doc string
    """
`),
      [],
    );
    assert.deepEqual(
      lint(`# language: zh-CN
功能: 消费成功
  持卡人在收银台付款。只有四者一致，才算交易成功。
  模拟终端等待主机应答 1500 毫秒。

  场景: 刷卡
    假如卡"alice"余额为500.00元
    当商户发起消费100.00元
`),
      [],
    );
  });

  it('finds a mistyped Chinese step keyword that Gherkin reads as a description (加入 for 假如)', () => {
    assert.deepEqual(
      lint('# language: zh-CN\n功能: x\n  场景: y\n    加入卡"alice"余额为500.00元\n    当商户发起消费1.00元\n'),
      ['4: "加入" looks like a mistyped step keyword "假如": the line is read as a description and never runs'],
    );
  });

  it('finds mistyped English step keywords: Gven, Wen, Thne', () => {
    assert.deepEqual(
      lint(
        'Feature: x\n  Scenario: y\n    Gven the card "alice" holds 5.00 CNY\n    When the merchant loads paper\n    Thne the terminal shows "x"\n    Wen the merchant loads paper\n',
      ),
      [
        '3: "Gven" looks like a mistyped step keyword "Given": the line is read as a description and never runs',
        '5: "Thne" looks like a mistyped step keyword "Then": Gherkin cannot read it',
        '6: "Wen" looks like a mistyped step keyword "When": Gherkin cannot read it',
      ],
    );
  });

  it('finds a step written without any keyword before the first step', () => {
    assert.deepEqual(
      lint(
        'Feature: x\n  Scenario: y\n    the merchant starts a sale of 1.00 CNY\n    When the merchant loads paper\n',
      ),
      [
        '3: "the merchant starts a sale of 1.00 CNY" reads like a step but Gherkin takes it as description: it has no step keyword (Given, When, Then, And, But), so it never runs',
      ],
    );
  });

  it("finds a step of either language with another dialect's keyword or none, where Gherkin sees a description", () => {
    // An English step on a zh-CN scenario's first step line: "Given" is no keyword there.
    assert.deepEqual(
      lint(
        '# language: zh-CN\n功能: x\n  场景: y\n    Given the card "alice" holds 500.00 CNY\n    当商户发起消费100.00元\n',
      ),
      [
        '4: "Given the card "alice" holds 500.00 CNY" reads like a step but Gherkin takes it as description: "Given" is not a step keyword in a # language: zh-CN feature (假如, 假设, 假定, 当, 那么, 而且, 并且, 同时, 但是), so it never runs',
      ],
    );
    // The same without a keyword, and an English step in the feature's own description.
    const noZhKeyword = 'it has no step keyword (假如, 假设, 假定, 当, 那么, 而且, 并且, 同时, 但是), so it never runs';
    assert.deepEqual(
      lint(
        '# language: zh-CN\n功能: x\n  the merchant loads paper\n  场景: y\n    the card "alice" holds 5.00 CNY\n    当商户发起消费1.00元\n',
      ),
      [
        `3: "the merchant loads paper" reads like a step but Gherkin takes it as description: ${noZhKeyword}`,
        `5: "the card "alice" holds 5.00 CNY" reads like a step but Gherkin takes it as description: ${noZhKeyword}`,
      ],
    );
    // A Chinese step in an English file, without a keyword and with an English one.
    assert.deepEqual(
      lint('Feature: x\n  Scenario: y\n    卡"alice"余额为500.00元\n    When the merchant loads paper\n'),
      [
        '3: "卡"alice"余额为500.00元" reads like a step but Gherkin takes it as description: it has no step keyword (Given, When, Then, And, But), so it never runs',
      ],
    );
    assert.deepEqual(
      lint(
        '# language: en\nFeature: x\n  Scenario: y\n    假如卡"alice"余额为500.00元\n    When the merchant loads paper\n',
      ),
      [
        '4: "假如卡"alice"余额为500.00元" reads like a step but Gherkin takes it as description: "假如" is not a step keyword in a # language: en feature (Given, When, Then, And, But), so it never runs',
      ],
    );
  });

  it('leaves prose that only mentions steps alone, in either language', () => {
    assert.deepEqual(
      lint(
        '# language: zh-CN\n功能: x\n  The terminal shows the result and the card is debited.\n  Given a card, the merchant sells\n  场景: y\n    当商户发起消费1.00元\n',
      ),
      [],
    );
  });

  it('names an unknown # language in one line, with the language it probably meant', () => {
    assert.deepEqual(lint('# language: zh-cn\n功能: x\n  场景: y\n    当商户发起消费1.00元\n'), [
      '1: # language: zh-cn is not a Gherkin language (did you mean zh-CN?)',
    ]);
    assert.deepEqual(lint('# posrig\n#language: zh\n功能: x\n'), [
      '2: # language: zh is not a Gherkin language (did you mean zh-CN or zh-TW?)',
    ]);
    assert.deepEqual(lint('# language: qqqq\nFeature: x\n'), [
      "1: # language: qqqq is not a Gherkin language (posrig's features are en or zh-CN)",
    ]);
  });

  it('finds mistyped section keywords (场影:, Scenaro:, scenario:) and a full-width colon (场景：)', () => {
    assert.deepEqual(
      lint('# language: zh-CN\n功能: x\n  场景: y\n    当商户发起消费1.00元\n\n  场影: z\n    当商户发起消费1.00元\n'),
      ['6: "场影:" looks like a mistyped "场景:"'],
    );
    assert.deepEqual(lint('# language: zh-CN\n功能：x\n  场景：y\n    当商户发起消费1.00元\n'), [
      '2: "功能：" has a full-width colon: Gherkin needs "功能:"',
      '3: "场景：" has a full-width colon: Gherkin needs "场景:"',
    ]);
    assert.deepEqual(
      lint(
        'Feature: x\n  Scenaro: y\n    When the merchant loads paper\n  scenario: z\n    When the merchant loads paper\n',
      ),
      ['2: "Scenaro:" looks like a mistyped "Scenario:"', '4: "scenario:" looks like a mistyped "Scenario:"'],
    );
  });

  it('leaves a description that only starts like a section keyword alone when no steps follow', () => {
    assert.deepEqual(lint('# language: zh-CN\n功能: x\n  例如：刷卡以后\n\n  场景: y\n    当商户发起消费1.00元\n'), []);
  });

  it('finds step arguments quoted with full-width quotes, but not full-width quotes inside ASCII ones', () => {
    assert.deepEqual(
      lint('# language: zh-CN\n功能: x\n  场景: y\n    那么终端显示“交易成功”\n    那么终端显示"请“确认”"\n'),
      ['4: step argument quoted with full-width “: write ASCII "…"'],
    );
    assert.deepEqual(lint('Feature: x\n  Scenario: y\n    Then the terminal shows ＂x＂\n'), [
      '3: step argument quoted with full-width ＂: write ASCII "…"',
    ]);
  });

  it('finds Chinese keywords in a file without "# language: zh-CN"', () => {
    assert.deepEqual(lint('功能: 消费\n  场景: 刷卡\n    当商户发起消费1.00元\n'), [
      '1: "功能:" is a zh-CN keyword, but the file does not start with "# language: zh-CN"',
    ]);
    assert.deepEqual(lint('# a comment\nFeature: x\n  Scenario: y\n    当商户发起消费1.00元\n'), [
      '4: "当" is a zh-CN keyword, but the file does not start with "# language: zh-CN"',
    ]);
  });

  it('without defined steps to compare, takes a line one typo from a keyword with arguments for a step', () => {
    const problems = lintFeature(
      'Feature: x\n  The display and the receipt\n  Scenario: y\n    Gven the card "alice" holds 5.00 CNY\n',
    );
    assert.deepEqual(problems, [
      {
        line: 4,
        message: '"Gven" looks like a mistyped step keyword "Given": the line is read as a description and never runs',
      },
    ]);
  });

  it('reads the declared language', () => {
    assert.equal(featureLanguage('# language: zh-CN\n功能: x\n'), 'zh-CN');
    assert.equal(featureLanguage('#language:en\nFeature: x\n'), 'en');
    assert.equal(featureLanguage('Feature: x\n# language: zh-CN\n'), undefined);
  });
});

describe('feature lint: what a scenario declares with tags', () => {
  it('passes known @req ids, severities and areas, on a feature and a scenario, in English and Chinese', () => {
    assert.deepEqual(
      lint(`@needs-printer @area:receipts @req:signal-receipt @req:copy-once
Feature: x

  @severity:critical @req:reprint-moved-money @slow
  Scenario: y
    Given the card "alice" holds 500.00 CNY
`),
      [],
    );
    assert.deepEqual(
      lint(
        '# language: zh-CN\n@area:pin @req:wrong-pin-not-reversed\n功能: x\n  场景: y\n    假如卡"alice"余额为5.00元\n',
      ),
      [],
    );
  });

  it('refuses an unknown @req id in one line naming its line and the closest id', () => {
    assert.deepEqual(
      lint(
        '@req:cpy-once\nFeature: x\n\n  @needs-pin @req:signal-dispaly\n  Scenario: y\n    Given the card "alice" holds 5.00 CNY\n',
      ),
      [
        '1: @req:cpy-once names no requirement: did you mean @req:copy-once? (npx posrig matrix lists them)',
        '4: @req:signal-dispaly names no requirement: did you mean @req:signal-display? (npx posrig matrix lists them)',
      ],
    );
  });

  it('refuses a conformance check as a scenario requirement: the conformance run verifies it', () => {
    assert.deepEqual(
      lint('@req:conformance/nak-bad-crc\nFeature: x\n  Scenario: y\n    Given the card "alice" holds 5.00 CNY\n'),
      ['1: @req:conformance/nak-bad-crc: conformance checks are verified by `posrig conformance`, not by scenarios'],
    );
  });

  it('refuses a severity Allure does not have and an area posrig does not have', () => {
    assert.deepEqual(
      lint('@severity:high @area:refunds\nFeature: x\n  Scenario: y\n    Given the card "alice" holds 5.00 CNY\n'),
      [
        '1: @severity:high is not a severity (blocker, critical, normal, minor, trivial)',
        '1: @area:refunds is not a feature area (purchase, pin, receipts, power, resilience)',
      ],
    );
  });

  it('checks @req ids against the ids it is given', () => {
    const problems = lintFeature('@req:alpha @req:beta\nFeature: x\n', { requirementIds: ['alpha', 'gamma'] });
    assert.deepEqual(problems, [
      { line: 1, message: '@req:beta names no requirement: did you mean @req:alpha? (npx posrig matrix lists them)' },
    ]);
  });
});
