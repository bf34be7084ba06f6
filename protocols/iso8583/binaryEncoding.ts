// The binary wire encoding of jPOS ISO87BPackager (IFB_* / IF_CHAR): numerics as packed BCD, bitmaps as raw bytes,
// LL/LLL lengths as BCD (1 / 2 bytes), text as ASCII bytes, b as raw bytes, x+n as one ASCII sign byte + BCD digits.
//   MTI '0200' → 02 00;  DE2 '4111111111111111' → 16 41 11 11 11 11 11 11 11;  DE54 'ABCD' → 00 04 41 42 43 44
// Padding, as jPOS: an odd number of digits is left-padded with a 0 nibble in fixed fields (IFB_NUMERIC, IFB_AMOUNT)
// and right-padded in LL fields (IFB_LLNUM). Decoding ignores the pad nibble's value (some terminals write F).
// Track 2 ('z'): the separator '=' (or 'D') is the nibble D, decoded as '=' (jPOS ISOUtil.bcd2str).

import type { FieldSpec, WireEncoding } from './spec.ts';

const BCD_CONTENT = new Set(['n', 'z']);

/** Digits (and '='/'D' for track 2) → BCD bytes; `left` puts the pad nibble first for an odd count. */
function toBcd(digits: string, left: boolean): Buffer {
  const odd = digits.length % 2 === 1;
  const padded = odd ? (left ? `0${digits}` : `${digits}0`) : digits;
  const bytes = Buffer.alloc(padded.length / 2);
  for (let i = 0; i < padded.length; i++) {
    const c = padded.charAt(i);
    const nibble = c === '=' || c === 'D' ? 0xd : c.charCodeAt(0) - 0x30;
    bytes[i >> 1] = (bytes[i >> 1] ?? 0) | ((nibble & 0x0f) << (i % 2 === 0 ? 4 : 0));
  }
  return bytes;
}

/** BCD bytes → `count` characters: 0-9 as digits, D as '=', other nibbles as A-F (which the codec then refuses). */
function fromBcd(bytes: Buffer, count: number, left: boolean): string {
  const skip = count % 2 === 1 && left ? 1 : 0;
  let text = '';
  for (let i = skip; i < count + skip; i++) {
    const nibble = ((bytes[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    text += nibble === 0xd ? '=' : nibble.toString(16).toUpperCase();
  }
  return text;
}

/** The number a BCD length prefix holds, or undefined when a nibble is not 0-9. */
function bcdNumber(bytes: Buffer): number | undefined {
  const text = bytes.toString('hex');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

const digitBytes = (digits: number) => Math.ceil(digits / 2);

/** ISO87B: MTI as 2 BCD bytes, bitmap as 8 raw bytes, LL/LLL as 1/2 BCD bytes counting units, b as raw bytes. */
export const binaryEncoding: WireEncoding = Object.freeze({
  name: 'binary',
  mtiLength: 2,
  bitmapLength: 8,
  encodeMti: (mti: string) => toBcd(mti, true),
  decodeMti: (bytes: Buffer) => fromBcd(bytes, 4, true),
  encodeBitmap: (bits: Buffer) => Buffer.from(bits),
  decodeBitmap: (bytes: Buffer): Buffer | string => Buffer.from(bytes),
  prefixLength: (kind: 'llvar' | 'lllvar') => (kind === 'llvar' ? 1 : 2),
  encodePrefix: (count: number, kind: 'llvar' | 'lllvar') =>
    toBcd(String(count).padStart(kind === 'llvar' ? 2 : 4, '0'), true),
  decodePrefix: (bytes: Buffer): number | undefined => bcdNumber(bytes),
  contentLength(field: FieldSpec, units: number): number {
    if (BCD_CONTENT.has(field.content)) return digitBytes(units);
    if (field.content === 'x+n') return 1 + digitBytes(units - 1);
    return units;
  },
  encodeContent(field: FieldSpec, value: string): Buffer {
    if (BCD_CONTENT.has(field.content)) return toBcd(value, field.kind === 'fixed');
    if (field.content === 'x+n')
      return Buffer.concat([Buffer.from(value.slice(0, 1), 'latin1'), toBcd(value.slice(1), true)]);
    if (field.content === 'b') return Buffer.from(value, 'hex');
    return Buffer.from(value, 'latin1');
  },
  decodeContent(field: FieldSpec, bytes: Buffer, units: number): string {
    if (BCD_CONTENT.has(field.content)) return fromBcd(bytes, units, field.kind === 'fixed');
    if (field.content === 'x+n') return bytes.toString('latin1', 0, 1) + fromBcd(bytes.subarray(1), units - 1, true);
    if (field.content === 'b') return bytes.toString('hex').toUpperCase();
    return bytes.toString('latin1');
  },
  showBytes: (bytes: Buffer) => `0x${bytes.toString('hex').toUpperCase()}`,
});
