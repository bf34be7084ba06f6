// Valid ISO 8583 messages for either packaging, drawn field by field from the packager's own table (ascii87.ts), and
// what a message looks like after a round trip (hex in upper case; binary track 2 writes 'D' as '=').
//   fc.sample(isoMessage('binary'), 1) → [{ mti: '0210', fields: { 3: '001000', 35: '4111=2512' } }]

import fc from 'fast-check';
import { ASCII87_FIELDS, type FieldSpec, type IsoMessage, type Packaging } from '../../protocols/iso8583/index.ts';
import { filledBytes } from './bytes.ts';

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const ALPHABETS: Readonly<Record<FieldSpec['content'], string>> = {
  n: '0123456789',
  an: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  anp: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ',
  ans: PRINTABLE,
  b: '0123456789ABCDEFabcdef',
  z: '0123456789=D',
  'x+n': '0123456789',
};

/** A string of `length` characters from an alphabet: drawn one by one when short, from a seed when long. */
function textOf(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...alphabet);
  if (max <= 16) return fc.string({ unit, minLength: min, maxLength: max });
  const codes = Uint8Array.from(alphabet, (c) => c.charCodeAt(0));
  const seeded = fc
    .record({ length: fc.integer({ min, max }), seed: fc.integer() })
    .map(({ length, seed }) => Buffer.from(filledBytes(length, seed, codes)).toString('latin1'));
  return fc.oneof(fc.string({ unit, minLength: min, maxLength: Math.min(max, min + 16) }), seeded);
}

/** A valid value of one field: its content, and its fixed length or any length up to the maximum. */
function fieldValue(field: FieldSpec, packaging: Packaging): fc.Arbitrary<string> {
  const min = field.kind === 'fixed' ? field.length : 0;
  const max = field.length;
  if (field.content === 'b') return textOf(ALPHABETS.b, min * 2, max * 2).filter((v) => v.length % 2 === 0);
  if (field.content === 'x+n') {
    const signs = packaging === 'binary' ? 'CD0123456789' : 'CD';
    return fc.tuple(fc.constantFrom(...signs), textOf(ALPHABETS.n, max - 1, max - 1)).map(([s, d]) => s + d);
  }
  return textOf(ALPHABETS[field.content], min, max);
}

const FIELD_NUMBERS = Object.keys(ASCII87_FIELDS).map(Number);

/** The field table with every LL field allowed 99 units and every LLL field 999: values over the real maxima. */
export const LOOSE_FIELDS: Readonly<Record<number, FieldSpec>> = Object.fromEntries(
  Object.entries(ASCII87_FIELDS).map(([n, f]) => {
    const loose = f.kind === 'llvar' ? 99 : f.kind === 'lllvar' ? 999 : f.length;
    return [n, { ...f, length: loose }];
  }),
);

/** A valid message: 4-digit MTI and up to 10 fields of the table (by default the real one) with valid values. */
export function isoMessage(packaging: Packaging, table = ASCII87_FIELDS): fc.Arbitrary<IsoMessage> {
  const fieldArbs = FIELD_NUMBERS.map((n) =>
    fieldValue(table[n] as FieldSpec, packaging).map((v): [number, string] => [n, v]),
  );
  const someField = fc.oneof(...fieldArbs);
  const commonField = fc.oneof(
    ...[2, 3, 4, 7, 11, 12, 13, 35, 37, 38, 39, 41, 42, 49, 52, 54, 55, 64, 90, 128].map(
      (n) => fieldArbs[FIELD_NUMBERS.indexOf(n)] as fc.Arbitrary<[number, string]>,
    ),
  );
  return fc
    .record({
      mti: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 4, maxLength: 4 }),
      fields: fc.array(fc.oneof(someField, commonField), { maxLength: 10 }),
    })
    .map(({ mti, fields }) => ({ mti, fields: Object.fromEntries(fields) }));
}

/** The message as unpacking returns it: hex in upper case; in binary, track 2's 'D' separator as '='. */
export function roundTripped(message: IsoMessage, packaging: Packaging): IsoMessage {
  const fields: Record<number, string> = {};
  for (const [key, value] of Object.entries(message.fields)) {
    if (value === undefined) continue;
    const spec = ASCII87_FIELDS[Number(key)] as FieldSpec;
    if (spec.content === 'b') fields[Number(key)] = value.toUpperCase();
    else if (spec.content === 'z' && packaging === 'binary') fields[Number(key)] = value.replaceAll('D', '=');
    else fields[Number(key)] = value;
  }
  return { mti: message.mti, fields };
}
