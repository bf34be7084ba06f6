// DE54 written and read by the one module both sides use (protocols/iso8583/additionalAmounts.ts), and the request →
// response MTI the terminal, the host and the bank probe share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  availableBalance,
  availableBalanceAmounts,
  formatAdditionalAmounts,
  parseAdditionalAmounts,
  responseMti,
} from '../../protocols/iso8583/index.ts';

describe('DE54 additional amounts', () => {
  it('writes an available balance as the host answers a balance inquiry, and reads it back', () => {
    assert.equal(availableBalanceAmounts({ minor: 50000, currency: 'CNY' }), '1002156C000000050000');
    assert.equal(availableBalanceAmounts({ minor: -42, currency: 'USD' }), '1002840D000000000042');
    for (const balance of [
      { minor: 50000, currency: 'CNY' },
      { minor: -42, currency: 'USD' },
      { minor: 0, currency: 'JPY' },
    ]) {
      assert.deepEqual(availableBalance(availableBalanceAmounts(balance)), balance);
    }
  });

  it('round-trips several blocks in order', () => {
    const amounts = [
      { accountType: '10', amountType: '01', amount: { minor: 70000, currency: 'CNY' } },
      { accountType: '10', amountType: '02', amount: { minor: 65000, currency: 'CNY' } },
    ];
    assert.deepEqual(parseAdditionalAmounts(formatAdditionalAmounts(amounts)), amounts);
  });
});

describe('responseMti', () => {
  it('adds one to the message function of a request; null for a response or a malformed MTI', () => {
    assert.deepEqual(['0200', '0400', '0800', '0100'].map(responseMti), ['0210', '0410', '0810', '0110']);
    for (const mti of ['0210', '0810', '02a0', '020', '']) assert.equal(responseMti(mti), null);
  });
});
