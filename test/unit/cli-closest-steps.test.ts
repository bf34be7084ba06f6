import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestSteps, punctuationHint, readablePattern } from '../../cli/closestSteps.ts';
import { editDistance } from '../../rigs/verdict/closest.ts';

const definitions = [
  'the card {string} holds {money}',
  '卡{string}余额为{money}',
  'the merchant starts a sale of {money}',
  '商户发起消费{money}',
  /^the cardholder (swipes|inserts|taps) the card "([^"]+)"$/,
  /^持卡人(刷|插|挥)卡"([^"]+)"$/,
  'the terminal shows {string}',
  'the terminal says {string}',
  'the terminal prints a {word} receipt for {money}',
  '终端打印{word}存根，金额{money}',
  "the host's next response is delayed by {int} ms",
  'the merchant loads paper',
].map((pattern) => ({ pattern }));

const texts = (text: string, language: string) => closestSteps(text, definitions, language).map((s) => s.text);

describe('closest steps', () => {
  it('shows patterns readably: parameters as placeholders, regex groups as choices or placeholders', () => {
    assert.equal(readablePattern('the card {string} holds {money}'), 'the card "<text>" holds <amount>');
    assert.equal(
      readablePattern("the host's next response is delayed by {int} ms"),
      "the host's next response is delayed by <number> ms",
    );
    assert.equal(
      readablePattern('the terminal prints a {word} receipt for {money}'),
      'the terminal prints a <word> receipt for <amount>',
    );
    assert.equal(
      readablePattern(/^the cardholder (swipes|inserts|taps) the card "([^"]+)"$/),
      'the cardholder swipes/inserts/taps the card "<text>"',
    );
    assert.equal(readablePattern(/^持卡人(刷|插|挥)卡"([^"]+)"$/), '持卡人刷/插/挥卡"<text>"');
    assert.equal(readablePattern(/^wait (\d+) ms for (?:the )?terminal$/), 'wait <…> ms for (the )terminal');
    assert.equal(readablePattern('{int} card(s) is/are blocked'), '<number> card(s) is/are blocked');
  });

  it('suggests the step one letter away, with its amount as <amount>', () => {
    assert.deepEqual(texts('the merchant start a sale of 100.00 CNY', 'en'), [
      'the merchant starts a sale of <amount>',
    ]);
  });

  it('picks the alternative of a regex step that is meant', () => {
    assert.deepEqual(texts('the cardholder swips the card "alice"', 'en'), ['the cardholder swipes the card "<text>"']);
    assert.deepEqual(texts('持卡人挥卡“alice”', 'zh-CN'), ['持卡人挥卡"<text>"']);
  });

  it('offers up to three near steps, closest first', () => {
    assert.deepEqual(texts('the terminal show "交易成功"', 'en'), [
      'the terminal shows "<text>"',
      'the terminal says "<text>"',
    ]);
  });

  it('suggests only steps in the file language', () => {
    assert.deepEqual(texts('商户发起消费100元整', 'zh-CN'), ['商户发起消费<amount>']);
    for (const text of texts('the merchant loads the paper', 'en')) assert.doesNotMatch(text, /[\u4e00-\u9fff]/);
  });

  it('hints at full-width punctuation a step does not have, and at an ASCII comma where it writes ，', () => {
    assert.match(punctuationHint('the terminal shows “x”', 'the terminal shows "<text>"'), /full-width “ ”/);
    assert.match(punctuationHint('终端显示：x', '终端显示"<text>"'), /full-width colon/);
    assert.match(punctuationHint('终端打印持卡人存根,金额1元', '终端打印<word>存根，金额<amount>'), /ASCII comma/);
    assert.equal(punctuationHint('终端打印持卡人存根，金额1元', '终端打印<word>存根，金额<amount>'), '');
  });

  it('measures edit distance with transpositions', () => {
    assert.equal(editDistance('Thne', 'Then'), 1);
    assert.equal(editDistance('Gven', 'Given'), 1);
    assert.equal(editDistance('加入', '假如'), 2);
  });
});
