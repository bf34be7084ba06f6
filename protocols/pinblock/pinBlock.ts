// ISO 9564 PIN block format 0 under a 3DES key (Node 'des-ede3', ECB, no padding; single DES is refused by OpenSSL 3).
// Public check: clearPinBlock('1234', '4111111111111111') → 041225EEEEEEEEEE.
// PINs and clear blocks never appear in error messages or logs.

import { createCipheriv, createDecipheriv } from 'node:crypto';

/** Double-length 3DES test key (K1K2), the default for simulators and test firmware. */
export const TEST_PIN_KEY = '0123456789ABCDEFFEDCBA9876543210';

/** A PIN, PAN, key or PIN block that cannot be used; the message never contains the PIN. */
export class PinBlockError extends Error {
  override name = 'PinBlockError';
}

/** The 16-digit PAN field: 0000 + the 12 rightmost PAN digits excluding the check digit. */
function panField(pan: string): Buffer {
  if (!/^\d{13,19}$/.test(pan)) {
    throw new PinBlockError(`PAN must be 13..19 digits for a format 0 PIN block, got ${pan.length} characters`);
  }
  return Buffer.from(`0000${pan.slice(-13, -1)}`, 'hex');
}

/** ISO 9564 format 0 clear PIN block: (0 | PIN length | PIN | F padding) XOR PAN field. PIN 4..12 digits. */
export function clearPinBlock(pin: string, pan: string): Buffer {
  if (!/^\d{4,12}$/.test(pin)) throw new PinBlockError('PIN must be 4..12 digits');
  const pinField = Buffer.from(`0${pin.length.toString(16).toUpperCase()}${pin}`.padEnd(16, 'F'), 'hex');
  return xor(pinField, panField(pan));
}

/** Encrypts a format 0 PIN block under a 3DES key (32 or 48 hex chars); returns 16 uppercase hex chars. */
export function encryptPinBlock(pin: string, pan: string, keyHex: string = TEST_PIN_KEY): string {
  const cipher = createCipheriv('des-ede3', tripleKey(keyHex), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(clearPinBlock(pin, pan)), cipher.final()])
    .toString('hex')
    .toUpperCase();
}

/** Decrypts a format 0 PIN block and returns the PIN; PinBlockError if the block is malformed (wrong key or PAN). */
export function decryptPinBlock(blockHex: string, pan: string, keyHex: string = TEST_PIN_KEY): string {
  if (!/^[0-9A-Fa-f]{16}$/.test(blockHex)) {
    throw new PinBlockError(`PIN block must be 16 hex characters, got ${blockHex.length} characters`);
  }
  const decipher = createDecipheriv('des-ede3', tripleKey(keyHex), null);
  decipher.setAutoPadding(false);
  const clear = Buffer.concat([decipher.update(Buffer.from(blockHex, 'hex')), decipher.final()]);
  const field = xor(clear, panField(pan)).toString('hex').toUpperCase();
  const length = Number.parseInt(field.charAt(1), 16);
  const pin = field.slice(2, 2 + length);
  const valid =
    field.charAt(0) === '0' && length >= 4 && length <= 12 && /^\d+$/.test(pin) && /^F*$/.test(field.slice(2 + length));
  if (!valid)
    throw new PinBlockError('PIN block is not ISO 9564 format 0 under this key and PAN (wrong key, PAN or block)');
  return pin;
}

/** A 24-byte des-ede3 key from 32 hex (K1K2 → K1K2K1) or 48 hex (K1K2K3); single-length keys are refused. */
function tripleKey(keyHex: string): Buffer {
  if (!/^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48})$/.test(keyHex)) {
    throw new PinBlockError(
      `PIN key must be 32 or 48 hex characters (double or triple length 3DES), got ${keyHex.length}`,
    );
  }
  const key = Buffer.from(keyHex, 'hex');
  return key.length === 24 ? key : Buffer.concat([key, key.subarray(0, 8)]);
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
}
