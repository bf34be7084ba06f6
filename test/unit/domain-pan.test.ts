import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CARD_GROUPINGS,
  findUnmaskedPans,
  groupedCardNumbers,
  luhnValid,
  maskPan,
  maskPansIn,
} from '../../protocols/domain/pan.ts';

describe('PAN masking', () => {
  it('keeps the first 6 and last 4 digits', () => {
    assert.equal(maskPan('4111111111111111'), '411111******1111');
    assert.equal(maskPan('6228480402564890018'), '622848*********0018');
  });

  it('checks Luhn', () => {
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('4111111111111112'), false);
  });

  it('masks Luhn-valid card numbers in free text and leaves other numbers alone', () => {
    const text = 'pan=4111111111111111 stan=000123 rrn=112611300001 amount=000000010000';
    assert.equal(maskPansIn(text), 'pan=411111******1111 stan=000123 rrn=112611300001 amount=000000010000');
    assert.deepEqual(findUnmaskedPans(text), ['4111111111111111']);
    assert.deepEqual(findUnmaskedPans(maskPansIn(text)), []);
  });

  it('masks card numbers written in card digit groups, keeping the separators, and finds them unmasked', () => {
    const text = '商户名称: SHOP 4111 1111 1111 1111 / 6228-4804-0256-4890-018 / amex 3782 822463 10005';
    const masked = maskPansIn(text);
    assert.equal(masked, '商户名称: SHOP 4111 11** **** 1111 / 6228-48**-****-***0-018 / amex 3782 82**** *0005');
    assert.deepEqual(findUnmaskedPans(text), ['4111111111111111', '6228480402564890018', '378282246310005']);
    assert.deepEqual(findUnmaskedPans(masked), []);
  });

  it('leaves dates, times, amounts, IDs and Luhn-invalid groups alone', () => {
    const text = '2026-12-02 03:11:08 ¥100.00 SIM-T0000001-47a506-58 4111 1111 1111 1112 9836-792dd93f260f';
    assert.equal(maskPansIn(text), text);
    assert.deepEqual(findUnmaskedPans(text), []);
  });

  it('finds no card number inside a hex id (an md5 test id of an Allure result), but one after a track letter', () => {
    const id = '"testCaseId":"d04fe0585377585187ad1129e631d608"';
    assert.deepEqual(findUnmaskedPans(id), []);
    assert.equal(maskPansIn(id), id);
    assert.deepEqual(findUnmaskedPans('%B4111111111111111^TEST/CARD^3012'), ['4111111111111111']);
  });

  it('every card grouping starts with 4 digits and then 3 or more (the quick test before the grouped search)', () => {
    for (const grouping of CARD_GROUPINGS) {
      const [first, second] = grouping.split('-').map(Number);
      assert.equal(first, 4, grouping);
      assert.ok((second ?? 0) >= 3, grouping);
    }
    // Text without such a start holds none; with one, the search runs: a hex dump, then a card in 4-3-3-3.
    assert.deepEqual(groupedCardNumbers('02 00 41 05 7b 22 74 79 70 65 2026-12-02 4111 11** **** 1111'), []);
    assert.deepEqual(
      groupedCardNumbers('card 4222 222 222 222').map((g) => g.pan),
      ['4222222222222'],
    );
  });
});
