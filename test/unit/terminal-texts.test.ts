import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESPONSE_CODES } from '../../protocols/iso8583/index.ts';
import {
  LANGUAGES,
  PROMPTS,
  prompt,
  RECEIPT_TEXTS,
  RESPONSE_TEXTS,
  responseText,
  VOICE,
  voice,
} from '../../simulators/terminal/index.ts';

describe('terminal texts', () => {
  it('has a zh-CN and an en display text for every response code the acquirer uses', () => {
    const codes = Object.keys(RESPONSE_CODES);
    assert.ok(codes.length >= 12, `RESPONSE_CODES lists ${codes.length} codes`);
    for (const language of LANGUAGES) {
      for (const code of codes) {
        const text = RESPONSE_TEXTS[language][code];
        assert.ok(text && text.trim().length > 0, `${language} has no text for response code ${code}`);
      }
    }
  });

  it('shows the agreed texts for the common response codes', () => {
    const expected: [string, string, string][] = [
      ['00', '交易成功', 'APPROVED'],
      ['05', '交易被拒绝', 'DO NOT HONOUR'],
      ['14', '无效卡', 'INVALID CARD'],
      ['51', '余额不足', 'INSUFFICIENT FUNDS'],
      ['54', '卡已过期', 'EXPIRED CARD'],
      ['55', '密码错误，请重新输入', 'WRONG PIN, TRY AGAIN'],
      ['61', '超出金额限制', 'EXCEEDS AMOUNT LIMIT'],
      ['75', '密码错误次数超限', 'PIN TRIES EXCEEDED'],
      ['91', '发卡行不可用', 'ISSUER UNAVAILABLE'],
      ['96', '系统故障', 'SYSTEM MALFUNCTION'],
    ];
    for (const [code, zh, en] of expected) {
      assert.equal(responseText('zh-CN', code), zh);
      assert.equal(responseText('en', code), en);
    }
  });

  it('falls back to the decline text with the code for an unknown response code', () => {
    assert.equal(responseText('zh-CN', 'Q1'), '交易失败 (Q1)');
    assert.equal(responseText('en', 'Q1'), 'DECLINED (Q1)');
  });

  it('has the same keys, all non-empty, in every language', () => {
    for (const table of [PROMPTS, VOICE, RECEIPT_TEXTS, RESPONSE_TEXTS]) {
      const zhKeys = Object.keys(table['zh-CN']).sort();
      assert.deepEqual(Object.keys(table.en).sort(), zhKeys);
      for (const language of LANGUAGES) {
        for (const [key, text] of Object.entries(table[language]))
          assert.ok(text.length > 0, `${language}.${key} is empty`);
      }
    }
  });

  it('says and shows the four-signal texts', () => {
    assert.equal(prompt('zh-CN', 'approved'), '交易成功');
    assert.equal(prompt('en', 'approved'), 'APPROVED');
    assert.equal(prompt('zh-CN', 'declined'), '交易失败');
    assert.equal(voice('zh-CN', 'approved'), '交易成功');
    assert.equal(voice('zh-CN', 'presentCard'), '请刷卡');
    assert.equal(voice('zh-CN', 'enterPin'), '请输入密码');
    assert.equal(prompt('zh-CN', 'welcome'), '欢迎使用');
    assert.equal(prompt('en', 'welcome'), 'WELCOME');
  });
});
