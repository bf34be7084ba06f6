// packIso / unpackIso: spec-driven ISO 8583 codec. The PackagerSpec supplies the field table and the wire encoding;
// this file only walks MTI, bitmap(s) and the fields in ascending order, validating as it goes.

import { ASCII87 } from './ascii87.ts';
import { contentProblem, lengthProblem, valueUnits } from './content.ts';
import { IsoError } from './errors.ts';
import type { FieldSpec, PackagerSpec } from './spec.ts';

export type IsoFields = Partial<Record<number, string>>;
export interface IsoMessage {
  mti: string;
  fields: IsoFields;
}

/** The field's name in the packager, e.g. fieldName(2) → 'Primary account number'; unknown fields say so. */
export function fieldName(field: number, spec: PackagerSpec = ASCII87): string {
  return spec.fields[field]?.name ?? 'unknown field';
}

/** 'DE035 Track 2 data': how errors and descriptions name a field. */
export function fieldLabel(field: number, spec: PackagerSpec = ASCII87): string {
  return `DE${String(field).padStart(3, '0')} ${fieldName(field, spec)}`;
}

function fail(detail: string, offset: number, field?: number, spec?: PackagerSpec, where?: string): never {
  const label = field !== undefined ? fieldLabel(field, spec) : (where ?? 'Message');
  throw new IsoError(`${label} at offset ${offset}: ${detail}`, offset, field);
}

/** Packs a message into bytes; validates MTI, every field's content and length; IsoError names field and offset. */
export function packIso(message: IsoMessage, spec: PackagerSpec = ASCII87): Buffer {
  const enc = spec.encoding;
  if (typeof message?.mti !== 'string' || !/^\d{4}$/.test(message.mti)) {
    fail(`must be 4 digits, got ${JSON.stringify(message?.mti)}`, 0, undefined, spec, 'MTI');
  }
  const entries = presentFields(message.fields ?? {}, spec);
  const secondary = entries.some(([n]) => n > 64);
  const bitmap = Buffer.alloc(secondary ? 16 : 8);
  if (secondary) setBit(bitmap, 1);
  for (const [n] of entries) setBit(bitmap, n);

  const parts: Buffer[] = [enc.encodeMti(message.mti), enc.encodeBitmap(bitmap.subarray(0, 8))];
  if (secondary) parts.push(enc.encodeBitmap(bitmap.subarray(8, 16)));
  let offset = parts.reduce((sum, p) => sum + p.length, 0);
  for (const [n, value] of entries) {
    const bytes = packField(n, value, offset, spec);
    parts.push(bytes);
    offset += bytes.length;
  }
  return Buffer.concat(parts);
}

function presentFields(fields: IsoFields, spec: PackagerSpec): Array<[number, string]> {
  const entries: Array<[number, string]> = [];
  for (const key of Object.keys(fields)) {
    const n = Number(key);
    const value = (fields as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!/^\d+$/.test(key) || n < 1 || n > 128)
      fail(`"${key}" is not a field number 2..128`, 0, undefined, spec, 'Fields');
    if (n === 1) fail('the bitmap is computed by packIso; leave DE001 out', 0, 1, spec);
    if (!spec.fields[n]) fail(`packager ${spec.name} defines no field ${n}`, 0, n, spec);
    if (typeof value !== 'string') fail(`value must be a string, got ${typeof value}`, 0, n, spec);
    entries.push([n, value]);
  }
  return entries.sort((a, b) => a[0] - b[0]);
}

function packField(n: number, value: string, offset: number, spec: PackagerSpec): Buffer {
  const field = spec.fields[n] as FieldSpec;
  const enc = spec.encoding;
  const problem = contentProblem(field, value, spec.unsignedAmounts) ?? lengthProblem(field, valueUnits(field, value));
  if (problem) fail(problem, offset, n, spec);
  const units = valueUnits(field, value);
  const content = enc.encodeContent(field, value);
  return field.kind === 'fixed' ? content : Buffer.concat([enc.encodePrefix(units, field.kind), content]);
}

/** Unpacks bytes into a message; IsoError on truncation, bad bitmap, unknown field, bad prefix or trailing bytes. */
export function unpackIso(bytes: Uint8Array, spec: PackagerSpec = ASCII87): IsoMessage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const enc = spec.encoding;
  const take = (offset: number, length: number, field: number | undefined, where?: string): Buffer => {
    if (offset + length > buf.length) {
      const left = buf.length - offset;
      fail(`needs ${length} bytes, only ${left} left (message truncated)`, offset, field, spec, where);
    }
    return buf.subarray(offset, offset + length);
  };
  const readBitmap = (offset: number, where: string): Buffer => {
    const bits = enc.decodeBitmap(take(offset, enc.bitmapLength, undefined, where));
    if (typeof bits === 'string') fail(bits, offset, undefined, spec, where);
    return bits;
  };

  const mtiBytes = take(0, enc.mtiLength, undefined, 'MTI');
  const mti = enc.decodeMti(mtiBytes);
  if (!/^\d{4}$/.test(mti)) fail(`must be 4 digits, got ${enc.showBytes(mtiBytes)}`, 0, undefined, spec, 'MTI');
  const secondaryOffset = enc.mtiLength + enc.bitmapLength;
  const primary = readBitmap(enc.mtiLength, 'Primary bitmap');
  const secondary = getBit(primary, 1) ? readBitmap(secondaryOffset, 'Secondary bitmap') : undefined;
  const bitmap = Buffer.concat([primary, secondary ?? Buffer.alloc(8)]);
  let offset = secondary ? secondaryOffset + enc.bitmapLength : secondaryOffset;

  const present: number[] = [];
  for (let n = 2; n <= 128; n++) if (getBit(bitmap, n)) present.push(n);
  for (const n of present) {
    const where = n > 64 ? secondaryOffset : enc.mtiLength;
    if (!spec.fields[n]) fail(`bit set in bitmap but packager ${spec.name} defines no field ${n}`, where, n, spec);
  }

  const fields: IsoFields = {};
  for (const n of present) {
    const field = spec.fields[n] as FieldSpec;
    const start = offset;
    let units = field.length;
    if (field.kind !== 'fixed') {
      const prefixBytes = take(offset, enc.prefixLength(field.kind), n);
      const declared = enc.decodePrefix(prefixBytes);
      if (declared === undefined) {
        fail(`length prefix ${enc.showBytes(prefixBytes)} is not numeric`, start, n, spec);
      }
      const tooLong = lengthProblem(field, declared);
      if (tooLong) fail(tooLong, start, n, spec);
      units = declared;
      offset += prefixBytes.length;
    }
    const raw = take(offset, enc.contentLength(field, units), n);
    const value = enc.decodeContent(field, raw, units);
    const problem = contentProblem(field, value, spec.unsignedAmounts);
    if (problem) fail(problem, start, n, spec);
    fields[n] = value;
    offset += raw.length;
  }
  if (offset !== buf.length) {
    const last = present.at(-1);
    const after = last === undefined ? 'the bitmap' : `the last field (DE${String(last).padStart(3, '0')})`;
    fail(`${buf.length - offset} trailing bytes after ${after}`, offset, undefined, spec);
  }
  return { mti, fields };
}

function setBit(bitmap: Buffer, n: number): void {
  const i = (n - 1) >> 3;
  bitmap[i] = (bitmap[i] ?? 0) | (0x80 >> ((n - 1) & 7));
}

function getBit(bitmap: Buffer, n: number): boolean {
  return ((bitmap[(n - 1) >> 3] ?? 0) & (0x80 >> ((n - 1) & 7))) !== 0;
}
