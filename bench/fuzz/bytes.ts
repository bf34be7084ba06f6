// Byte-level raw material for the fuzz targets: random and large byte strings, mutations of valid encodings, and the
// chunking of a stream at random points (how a serial port or a socket hands bytes over).
//   fc.tuple(someBytes(32), fc.array(mutation)).map(([b, ms]) => mutate(b, ms))
//   splitAt(stream, [3, 90, 4]) → three or four chunks covering the stream, in order

import fc from 'fast-check';

/** Random bytes up to maxLength, each byte drawn (shrinks well; for small sizes). */
export function someBytes(maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength });
}

/** Deterministic pseudo-random bytes from a seed (xorshift32): large inputs without drawing every byte. */
export function filledBytes(length: number, seed: number, alphabet?: Uint8Array): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 0 || 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = x >>> 0;
    out[i] = alphabet ? (alphabet[r % alphabet.length] as number) : r & 0xff;
  }
  return out;
}

/** Bytes of any length in [min, max], cheap to draw even when large: a length and a seed. */
export function largeBytes(min: number, max: number, alphabet?: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .record({ length: fc.integer({ min, max }), seed: fc.integer() })
    .map(({ length, seed }) => filledBytes(length, seed, alphabet));
}

/** One edit of a byte string; positions are taken modulo the length at the time the edit applies. */
export type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly value: number }
  | { readonly op: 'cut'; readonly at: number }
  | { readonly op: 'drop'; readonly at: number; readonly count: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'repeat'; readonly at: number; readonly count: number };

/** Byte values decoders care about: controls, digits, hex letters, BCD extremes. */
const INTERESTING = [0x00, 0x02, 0x03, 0x06, 0x15, 0x30, 0x31, 0x39, 0x3d, 0x41, 0x43, 0x44, 0x46, 0x60, 0x66, 0x7f];

/** A byte: mostly any, often one a decoder treats specially. */
export const byteValue: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(...INTERESTING, 0x80, 0x99, 0xff),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('flip'), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('set'), at: fc.nat(), value: byteValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cut'), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('drop'), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert'), at: fc.nat(), bytes: someBytes(8) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('repeat'), at: fc.nat(), count: fc.integer({ min: 1, max: 64 }) }),
  },
) as fc.Arbitrary<Mutation>;

/** 1 to 4 mutations. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 4 });

/** Applies the edits in order; never throws, whatever the positions. */
export function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let out: Uint8Array = Uint8Array.from(bytes);
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + (edit.op === 'insert' ? 1 : 0));
    switch (edit.op) {
      case 'flip':
        if (out.length > 0) out[at] = (out[at] as number) ^ (1 << edit.bit);
        break;
      case 'set':
        if (out.length > 0) out[at] = edit.value;
        break;
      case 'cut':
        out = out.slice(0, at);
        break;
      case 'drop':
        out = concatBytes([out.subarray(0, at), out.subarray(at + edit.count)]);
        break;
      case 'insert':
        out = concatBytes([out.subarray(0, at), edit.bytes, out.subarray(at)]);
        break;
      case 'repeat':
        out = concatBytes([out, out.subarray(at, at + edit.count)]);
        break;
    }
  }
  return out;
}

/** The bytes one after another. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Chunk lengths for splitting a stream: each a number of bytes (0 allowed: an empty read). */
export const chunkSizes: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5000 })),
  { maxLength: 12 },
);

/** Splits a stream into chunks of the given sizes (taken in turn); the rest of the stream is the last chunk. */
export function splitAt(stream: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= stream.length) break;
    chunks.push(stream.subarray(at, at + size));
    at += size;
  }
  if (at < stream.length) chunks.push(stream.subarray(at));
  return chunks;
}
