// The shape of a packager: a table of field specs plus the wire encoding that puts them on the wire.
// Both packagings share one field table (ascii87.ts ASCII87_FIELDS): ASCII-87 puts it on the wire with asciiEncoding.ts,
// ISO87B (binary87.ts) with binaryEncoding.ts.

/** What a field carries: n digits, an/anp/ans text, b bytes (hex in the API), z track 2, x+n C/D-signed amount. */
export type FieldContent = 'n' | 'an' | 'ans' | 'b' | 'z' | 'x+n' | 'anp';

/** One data element: fixed or LL/LLL variable; `length` is the fixed or max length in units (characters; bytes for b). */
export interface FieldSpec {
  name: string;
  kind: 'fixed' | 'llvar' | 'lllvar';
  length: number;
  content: FieldContent;
}

/** How one packaging lays MTI, bitmaps, length prefixes and field content out as bytes. */
export interface WireEncoding {
  readonly name: string;
  /** Bytes the 4-digit MTI takes. */
  readonly mtiLength: number;
  /** Bytes one 64-bit bitmap takes. */
  readonly bitmapLength: number;
  /** MTI (already validated as 4 digits) → bytes. */
  encodeMti(mti: string): Buffer;
  /** Bytes → MTI text (validated by the codec). */
  decodeMti(bytes: Buffer): string;
  /** 8 raw bitmap bytes → wire bytes. */
  encodeBitmap(bits: Buffer): Buffer;
  /** Wire bytes → 8 raw bitmap bytes, or a string saying what is wrong. */
  decodeBitmap(bytes: Buffer): Buffer | string;
  /** Bytes the LL or LLL prefix takes. */
  prefixLength(kind: 'llvar' | 'lllvar'): number;
  /** Unit count → prefix bytes. */
  encodePrefix(count: number, kind: 'llvar' | 'lllvar'): Buffer;
  /** Prefix bytes → unit count, or undefined when they are not a valid prefix. */
  decodePrefix(bytes: Buffer): number | undefined;
  /** Wire bytes that `units` content units of this field take. */
  contentLength(field: FieldSpec, units: number): number;
  /** Field value (already validated; b as hex) → wire bytes. */
  encodeContent(field: FieldSpec, value: string): Buffer;
  /** Bytes as an error message quotes them: ASCII as quoted text ("1x"), binary as hex (0x1A). */
  showBytes(bytes: Buffer): string;
  /** Wire bytes holding `units` content units → field value as the API carries it (b as uppercase hex); validated by
   * the codec. */
  decodeContent(field: FieldSpec, bytes: Buffer, units: number): string;
}

/** A packaging: a name, the field table (2..128) and its wire encoding. */
export interface PackagerSpec {
  name: string;
  fields: Readonly<Record<number, FieldSpec>>;
  encoding: WireEncoding;
  /** x+n values may start with a digit instead of 'C'/'D' (jPOS packs the first character as is: its own ISO87B test
   * image carries DE28 '000000100'); default: 'C' or 'D' only. */
  unsignedAmounts?: boolean;
}
