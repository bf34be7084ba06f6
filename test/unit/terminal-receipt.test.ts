import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnmaskedPans } from '../../protocols/domain/pan.ts';
import { type ReceiptData, receiptLines } from '../../simulators/terminal/index.ts';

const DATA: ReceiptData = {
  merchantName: '测试商户',
  mid: '898310048160001',
  tid: 'T0000001',
  pan: '6228480402564890018',
  method: 'chip',
  kind: 'sale',
  amount: { minor: 10000, currency: 'CNY' },
  at: new Date(2025, 5, 7, 8, 9, 10),
  stan: '000042',
  rrn: '502003000042',
  authCode: 'A12345',
};

describe('terminal receipts', () => {
  it('prints every field of the merchant copy in zh-CN, with the PAN masked', () => {
    assert.deepEqual(receiptLines(DATA, 'merchant', 'zh-CN'), [
      'POS签购单',
      '商户名称: 测试商户',
      '商户编号: 898310048160001',
      '终端编号: T0000001',
      '卡号: 622848*********0018',
      '刷卡方式: 插卡',
      '交易类型: 消费/SALE',
      '金额: ¥100.00',
      '日期时间: 2025-06-07 08:09:10',
      '凭证号(STAN): 000042',
      '参考号(RRN): 502003000042',
      '授权码: A12345',
      '商户存根',
    ]);
  });

  it('ends the cardholder copy with 持卡人存根 / CARDHOLDER COPY', () => {
    assert.equal(receiptLines(DATA, 'cardholder', 'zh-CN').at(-1), '持卡人存根');
    assert.equal(receiptLines(DATA, 'cardholder', 'en').at(-1), 'CARDHOLDER COPY');
    assert.equal(receiptLines(DATA, 'merchant', 'en').at(-1), 'MERCHANT COPY');
  });

  it('marks a reprint 重打印凭证 / DUPLICATE and an original not at all', () => {
    const zh = receiptLines(DATA, 'cardholder', 'zh-CN', true);
    assert.equal(zh[1], '重打印凭证');
    assert.ok(zh.filter((l) => l === '重打印凭证').length >= 1);
    assert.ok(receiptLines(DATA, 'cardholder', 'en', true).includes('DUPLICATE'));
    assert.ok(!receiptLines(DATA, 'cardholder', 'zh-CN').includes('重打印凭证'));
    assert.ok(!receiptLines(DATA, 'cardholder', 'en').includes('DUPLICATE'));
  });

  it('never prints a clear card number, whatever it is given', () => {
    for (const pan of ['4111111111111111', '6258076543210005', '6228480402564890018']) {
      const text = receiptLines({ ...DATA, pan }, 'merchant', 'en').join('\n');
      assert.deepEqual(findUnmaskedPans(text), []);
      assert.ok(text.includes(`${pan.slice(0, 6)}`) && text.includes(pan.slice(-4)));
    }
  });

  it('prints English labels, the refund type and the amount with its symbol', () => {
    const lines = receiptLines(
      { ...DATA, kind: 'refund', method: 'tap', amount: { minor: 5, currency: 'USD' } },
      'merchant',
      'en',
    );
    assert.ok(lines.includes('TYPE: REFUND'));
    assert.ok(lines.includes('ENTRY: CONTACTLESS'));
    assert.ok(lines.includes('AMOUNT: $0.05'));
    assert.ok(lines.includes('TID: T0000001'));
    assert.ok(lines.includes('MID: 898310048160001'));
  });
});
