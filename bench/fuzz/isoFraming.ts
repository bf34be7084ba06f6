// Fuzz target 'iso8583.tcp': streams through the TCP length-prefix framing of the host link (TcpDeframer), with and
// without the 5-byte TPDU of the binary packaging, split at random points.
//   runTarget(isoTcpTarget, { inputs: 1000, seed: 1 })
// Inputs: frames of any size (over the maximum too), bare length headers with any value, junk. Properties: frames come
// back whole, in order, with their TPDU and stream offset, however the stream is split, and every frame before a bad
// length header comes back too (in the same chunk as the header or not); the header is an IsoError naming its offset,
// `failure` from the push that meets it, thrown by a push only when that push has no frame to return, and by every
// push after; the deframer holds < 2 + maxLength bytes.

import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { deframerFor, frameBody, IsoError, type Packaging, usesTpdu } from '../../protocols/iso8583/index.ts';
import { chunkSizes, concatBytes, largeBytes, someBytes, splitAt } from './bytes.ts';
import { type FuzzTarget, holds, typedOutcome } from './target.ts';

const packaging: fc.Arbitrary<Packaging> = fc.constantFrom('ascii', 'binary');

export type TcpPiece =
  | { readonly kind: 'frame'; readonly tpdu: Uint8Array; readonly body: Uint8Array }
  | { readonly kind: 'header'; readonly declared: number; readonly bytes: Uint8Array }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

export interface TcpInput {
  readonly packaging: Packaging;
  readonly maxLength: number | undefined;
  readonly pieces: readonly TcpPiece[];
  readonly chunks: readonly number[];
}

const tcpPiece: fc.Arbitrary<TcpPiece> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('frame'),
      tpdu: fc.uint8Array({ minLength: 5, maxLength: 5 }),
      body: fc.oneof(someBytes(40), largeBytes(0, 9000)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('header'),
      declared: fc.integer({ min: 0, max: 0xffff }),
      bytes: someBytes(8),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw'), bytes: someBytes(16) }) },
) as fc.Arbitrary<TcpPiece>;

const tcpInput: fc.Arbitrary<TcpInput> = fc.record({
  packaging,
  maxLength: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  pieces: fc.array(tcpPiece, { maxLength: 6 }),
  chunks: chunkSizes,
});

const DEFAULT_MAX = 8192;

function pieceBytes(piece: TcpPiece, item: TcpInput): Uint8Array {
  if (piece.kind === 'frame') return frameBody(piece.body, item.packaging, { tpdu: piece.tpdu });
  if (piece.kind === 'raw') return piece.bytes;
  return concatBytes([Uint8Array.of(piece.declared >> 8, piece.declared & 0xff), piece.bytes]);
}

/** The frames the deframer must return: all before the first bad length header (all, when the stream is good), and
 * that header's offset. */
function tcpExpectation(item: TcpInput): {
  frames: Array<{ tpdu: string; body: string; offset: number }>;
  badHeaderAt: number | undefined;
} {
  const max = item.maxLength ?? DEFAULT_MAX;
  const tpduLength = usesTpdu(item.packaging) ? 5 : 0;
  const frames: Array<{ tpdu: string; body: string; offset: number }> = [];
  const stream = Buffer.from(concatBytes(item.pieces.map((p) => pieceBytes(p, item))));
  let at = 0;
  while (stream.length - at >= 2) {
    const declared = stream.readUInt16BE(at);
    if (declared > max || declared < tpduLength) return { frames, badHeaderAt: at };
    if (stream.length - at - 2 < declared) break;
    const tpdu = stream.subarray(at + 2, at + 2 + tpduLength).toString('hex');
    frames.push({ tpdu, body: stream.subarray(at + 2 + tpduLength, at + 2 + declared).toString('hex'), offset: at });
    at += 2 + declared;
  }
  return { frames, badHeaderAt: undefined };
}

function checkTcp(item: TcpInput): number {
  const stream = concatBytes(item.pieces.map((p) => pieceBytes(p, item)));
  const deframer = deframerFor(item.packaging, item.maxLength === undefined ? {} : { maxLength: item.maxLength });
  const limit = 2 + (item.maxLength ?? DEFAULT_MAX);
  const got: Array<{ tpdu: string; body: string; offset: number }> = [];
  let maxHeld = 0;
  for (const chunk of splitAt(stream, item.chunks)) {
    const before = deframer.failure;
    const outcome = typedOutcome(() => deframer.pushFrames(chunk), IsoError, 'TcpDeframer.pushFrames');
    const after = deframer.failure;
    holds(before === undefined || after === before, 'the failure changed after a bad length header');
    if (outcome.error) {
      holds(outcome.error === after, () => `a push threw ${outcome.error.message}, but failure is ${after?.message}`);
    } else {
      holds(before === undefined, 'a push after a bad length header did not throw');
      holds(
        after === undefined || outcome.value.length > 0,
        'a push met a bad length header, returned nothing, and did not throw',
      );
      for (const f of outcome.value)
        got.push({ tpdu: f.tpdu.toString('hex'), body: f.body.toString('hex'), offset: f.offset });
    }
    maxHeld = Math.max(maxHeld, deframer.pending);
    holds(deframer.pending < limit, () => `deframer holds ${deframer.pending} bytes, limit ${limit - 1}`);
  }
  const want = tcpExpectation(item);
  // Every frame before a bad header comes back, whichever chunk brought it: none is lost to the push that meets it.
  holds(isDeepStrictEqual(got, want.frames), () => `deframed ${got.length} frames, expected ${want.frames.length}`);
  const failure = deframer.failure;
  holds(failure?.offset === want.badHeaderAt, () =>
    failure
      ? `${failure.message}; expected ${want.badHeaderAt === undefined ? 'a good stream' : `offset ${want.badHeaderAt}`}`
      : `no IsoError for the bad length header at offset ${want.badHeaderAt}`,
  );
  if (failure) holds(failure.message.startsWith(`Length header at offset ${want.badHeaderAt}: `), failure.message);
  return maxHeld;
}

export const isoTcpTarget: FuzzTarget<TcpInput> = {
  name: 'iso8583.tcp',
  what: 'length-prefixed frames (TPDU or not, any size, bad headers, junk) split anyhow → TcpDeframer',
  arbitrary: tcpInput,
  check: checkTcp,
  bufferLimit: 2 + 10_000,
};
