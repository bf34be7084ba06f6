import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clearPinBlock,
  decryptPinBlock,
  encryptPinBlock,
  PinBlockError,
  TEST_PIN_KEY,
} from '../../protocols/pinblock/index.ts';

const PAN = '4111111111111111';

function throwsWithoutPin(fn: () => unknown, pin: string, match: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PinBlockError, String(e));
    assert.match(e.message, match);
    if (pin.length >= 3) assert.ok(!e.message.includes(pin), `message leaks the PIN: ${e.message}`);
    return true;
  });
}

describe('ISO 9564 format 0 PIN block', () => {
  it('matches the public check: PIN 1234, PAN 4111111111111111 → 041225EEEEEEEEEE', () => {
    assert.equal(clearPinBlock('1234', PAN).toString('hex').toUpperCase(), '041225EEEEEEEEEE');
  });

  it('uses the 12 PAN digits left of the check digit', () => {
    // PIN field 06123456FFFFFFFF XOR PAN field 0000401234567890 (the 12 digits before check digit 1)
    assert.equal(clearPinBlock('123456', '4012345678901').toString('hex').toUpperCase(), '06127444CBA9876F');
  });

  it('TEST_PIN_KEY is the double-length test key', () => {
    assert.equal(TEST_PIN_KEY, '0123456789ABCDEFFEDCBA9876543210');
  });

  it('encrypts to 16 uppercase hex chars and decrypts back, for PINs of 4..12 digits', () => {
    for (const pin of ['1234', '00000', '987654', '1234567', '123456789012']) {
      const block = encryptPinBlock(pin, PAN);
      assert.match(block, /^[0-9A-F]{16}$/);
      assert.notEqual(block, clearPinBlock(pin, PAN).toString('hex').toUpperCase());
      assert.equal(decryptPinBlock(block, PAN), pin);
      assert.equal(decryptPinBlock(block.toLowerCase(), PAN), pin);
    }
  });

  it('a double-length key K1K2 is used as K1K2K1', () => {
    const k1k2k1 = TEST_PIN_KEY + TEST_PIN_KEY.slice(0, 16);
    assert.equal(encryptPinBlock('1234', PAN, TEST_PIN_KEY), encryptPinBlock('1234', PAN, k1k2k1));
    assert.notEqual(
      encryptPinBlock('1234', PAN, TEST_PIN_KEY),
      encryptPinBlock('1234', PAN, `${TEST_PIN_KEY}${'1'.repeat(16)}`),
    );
  });

  it('a different PAN or key gives a different PIN or an error, never the PIN', () => {
    const block = encryptPinBlock('1234', PAN);
    for (const [pan, key] of [
      ['4111111111111129', TEST_PIN_KEY],
      ['6228480402564890018', TEST_PIN_KEY],
      [PAN, '11111111111111112222222222222222'],
    ] as const) {
      let pin: string | undefined;
      try {
        pin = decryptPinBlock(block, pan, key);
      } catch (error) {
        assert.ok(error instanceof PinBlockError);
      }
      assert.notEqual(pin, '1234');
    }
  });

  it('rejects bad PINs without echoing them', () => {
    throwsWithoutPin(() => clearPinBlock('123', PAN), '123', /PIN must be 4..12 digits/);
    throwsWithoutPin(() => clearPinBlock('1234567890123', PAN), '1234567890123', /PIN must be 4..12 digits/);
    throwsWithoutPin(() => encryptPinBlock('12a4', PAN), '12a4', /PIN must be 4..12 digits/);
  });

  it('rejects a bad PAN, key or block', () => {
    throwsWithoutPin(() => clearPinBlock('1234', '411111111111'), '1234', /PAN must be 13..19 digits/);
    throwsWithoutPin(() => encryptPinBlock('1234', PAN, '0123456789ABCDEF'), '1234', /32 or 48 hex characters/);
    assert.throws(() => decryptPinBlock('XYZ', PAN), PinBlockError);
    assert.throws(() => decryptPinBlock('0123456789ABCDEG', PAN), /16 hex characters/);
  });
});
