// The ASCII wire encoding (jPOS IFA_* / IF_CHAR): every element is ASCII text; binary content and bitmaps are hex characters.

import type { FieldSpec, WireEncoding } from './spec.ts';

const HEX = /^[0-9A-Fa-f]*$/;

/** ASCII: MTI as 4 chars, bitmap as 16 hex chars, LL/LLL as 2/3 decimal digits counting units, b as 2 hex chars per byte. */
export const asciiEncoding: WireEncoding = Object.freeze({
  name: 'ascii',
  mtiLength: 4,
  bitmapLength: 16,
  encodeMti: (mti: string) => Buffer.from(mti, 'latin1'),
  decodeMti: (bytes: Buffer) => bytes.toString('latin1'),
  encodeBitmap: (bits: Buffer) => Buffer.from(bits.toString('hex').toUpperCase(), 'latin1'),
  decodeBitmap(bytes: Buffer): Buffer | string {
    const text = bytes.toString('latin1');
    const bad = [...text].findIndex((c) => !HEX.test(c));
    if (bad >= 0)
      return `"${printable(text)}" is not 16 hex characters (character ${bad + 1} is ${quoteChar(text, bad)})`;
    return Buffer.from(text, 'hex');
  },
  prefixLength: (kind: 'llvar' | 'lllvar') => (kind === 'llvar' ? 2 : 3),
  encodePrefix: (count: number, kind: 'llvar' | 'lllvar') =>
    Buffer.from(String(count).padStart(kind === 'llvar' ? 2 : 3, '0'), 'latin1'),
  decodePrefix(bytes: Buffer): number | undefined {
    const text = bytes.toString('latin1');
    return /^\d+$/.test(text) ? Number(text) : undefined;
  },
  contentLength: (field: FieldSpec, units: number) => (field.content === 'b' ? units * 2 : units),
  encodeContent: (field: FieldSpec, value: string) =>
    Buffer.from(field.content === 'b' ? value.toUpperCase() : value, 'latin1'),
  showBytes: (bytes: Buffer) => `"${printable(bytes.toString('latin1'))}"`,
  decodeContent(field: FieldSpec, bytes: Buffer): string {
    const text = bytes.toString('latin1');
    return field.content === 'b' ? text.toUpperCase() : text;
  },
});

/** Text safe to put in an error message: non-printable bytes as \xNN. */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function quoteChar(text: string, index: number): string {
  return `"${printable(text.charAt(index))}"`;
}
