import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnmaskedPans, luhnValid, maskPan, maskPansIn } from '../../protocols/domain/pan.ts';

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
});
