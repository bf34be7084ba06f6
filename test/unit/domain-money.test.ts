import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amountOn, formatMoney, formatMoneySymbol, MoneyError, parseMoney } from '../../protocols/domain/money.ts';

describe('money', () => {
  it('parses the three ways QA writes an amount into integer minor units', () => {
    assert.deepEqual(parseMoney('100.00 CNY'), { minor: 10000, currency: 'CNY' });
    assert.deepEqual(parseMoney('88.8元'), { minor: 8880, currency: 'CNY' });
    assert.deepEqual(parseMoney('¥0.05'), { minor: 5, currency: 'CNY' });
    assert.deepEqual(parseMoney('1500 JPY'), { minor: 1500, currency: 'JPY' });
  });

  it('formats with the currency code and with the symbol', () => {
    assert.equal(formatMoney({ minor: 10000, currency: 'CNY' }), '100.00 CNY');
    assert.equal(formatMoney({ minor: 5, currency: 'USD' }), '0.05 USD');
    assert.equal(formatMoney({ minor: -150, currency: 'CNY' }), '-1.50 CNY');
    assert.equal(formatMoneySymbol({ minor: 2550, currency: 'CNY' }), '¥25.50');
  });

  it('rejects more decimals than the currency has, unknown currencies and non-amounts', () => {
    assert.throws(() => parseMoney('1.005 CNY'), /CNY has 2 decimal places, got 3/);
    assert.throws(() => parseMoney('1.00 XYZ'), /unknown currency "XYZ"/);
    assert.throws(() => parseMoney('a lot'), MoneyError);
  });

  it('finds an amount on a printed line, grouped or not, never inside a longer number', () => {
    const amount = parseMoney('1100.00 CNY');
    assert.equal(amountOn('金额: ¥1,100.00', amount), true);
    assert.equal(amountOn('AMOUNT CNY 1100.00', amount), true);
    assert.equal(amountOn('金额: ¥100.00', amount), false);
    assert.equal(amountOn('金额: ¥21,100.00', amount), false);
    assert.equal(amountOn('金额: ¥1,100.005', amount), false);
  });
});
