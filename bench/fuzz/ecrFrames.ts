// Fuzz target 'ecr.frame': byte streams through the incremental FrameDecoder of the ECR serial link, split at random
// points (or fed one byte at a time), then flushed or not.
//   runTarget(ecrFrameTarget, { inputs: 1000, seed: 1 })
// Streams are made of segments. Three classes, each with the properties it can promise:
//   clean       frames, ACK/NAK, noise without control bytes → exactly those units back, one 'noise' fault per run of
//               noise, at its stream offset, whatever the split;
//   recoverable + cut frames, frames with a bad CRC, ETX or payload byte → every intact frame still comes back, in
//               order (unless a CRC collision made a frame of garbage), and at least one fault says so;
//   hostile     + frames with an oversize LEN, mutated frames, any bytes → the same units however the stream is split
//               (as in one push), and the safety properties below.
// Safety (all classes): push/flush never throw; a fault is a FrameError with a known code, at increasing offsets; a
// frame has SEQ 0..255 and at most MAX_PAYLOAD bytes; the decoder holds < MAX_PAYLOAD + 7 bytes after every push and
// none after flush.

import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  ACK,
  encodeAck,
  encodeFrame,
  encodeNak,
  FrameDecoder,
  FrameError,
  type LinkUnit,
  MAX_PAYLOAD,
  NAK,
  STX,
} from '../../protocols/ecr/index.ts';
import { chunkSizes, concatBytes, largeBytes, type Mutation, mutate, mutations, someBytes, splitAt } from './bytes.ts';
import { ecrMessage } from './ecrMessageValues.ts';
import { type FuzzTarget, holds, PropertyFailure } from './target.ts';

export type Segment =
  | { readonly kind: 'frame'; readonly seq: number; readonly payload: Uint8Array }
  | { readonly kind: 'ack' | 'nak'; readonly seq: number }
  | { readonly kind: 'noise'; readonly bytes: Uint8Array }
  | { readonly kind: 'cut'; readonly seq: number; readonly payload: Uint8Array; readonly keep: number }
  | {
      readonly kind: 'corrupt';
      readonly seq: number;
      readonly payload: Uint8Array;
      readonly where: 'crc' | 'etx' | 'payload';
      readonly at: number;
      readonly xor: number;
    }
  | { readonly kind: 'oversize'; readonly seq: number; readonly len: number; readonly tail: Uint8Array }
  | { readonly kind: 'mutated'; readonly seq: number; readonly payload: Uint8Array; readonly edits: Mutation[] }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

export type StreamClass = 'clean' | 'recoverable' | 'hostile';

export interface FrameInput {
  readonly kind: StreamClass;
  readonly segments: readonly Segment[];
  /** Chunk sizes, or 'bytes' for one byte per push. */
  readonly delivery: readonly number[] | 'bytes';
  readonly flush: boolean;
}

const FRAME_LIMIT = MAX_PAYLOAD + 7;
const CODES = new Set(['noise', 'bad-crc', 'bad-etx', 'oversize', 'truncated']);
const NOT_CONTROL = Uint8Array.from({ length: 256 }, (_, b) => b).filter((b) => b !== STX && b !== ACK && b !== NAK);

const seq = fc.integer({ min: 0, max: 255 });
/** A frame payload: a message's JSON, a few random bytes, or a large one up to MAX_PAYLOAD. */
const payload: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: ecrMessage.map((m) => Buffer.from(JSON.stringify(m), 'utf8') as Uint8Array) },
  { weight: 2, arbitrary: someBytes(24) },
  { weight: 1, arbitrary: largeBytes(0, MAX_PAYLOAD) },
  { weight: 1, arbitrary: largeBytes(MAX_PAYLOAD - 2, MAX_PAYLOAD) },
);
const cleanNoise = fc.oneof(
  fc
    .uint8Array({ minLength: 1, maxLength: 12 })
    .map((b) => b.map((x) => NOT_CONTROL[x % NOT_CONTROL.length] as number)),
  largeBytes(1, 2000, NOT_CONTROL),
);

/** ACK/NAK SEQ values that are no control byte themselves. */
const plainSeq = fc.constantFrom(...NOT_CONTROL);

/** Frames, ACK/NAK and noise; `ackSeq` the SEQ values of ACK/NAK units. */
const clean = (ackSeq: fc.Arbitrary<number>): fc.Arbitrary<Segment> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('frame'), seq, payload }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('ack', 'nak'), seq: ackSeq }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('noise'), bytes: cleanNoise }) },
  ) as fc.Arbitrary<Segment>;

const damaged: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut'), seq, payload, keep: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('corrupt'),
      seq,
      payload,
      where: fc.constantFrom('crc', 'etx', 'payload'),
      at: fc.nat(),
      xor: fc.integer({ min: 1, max: 255 }),
    }),
  },
) as fc.Arbitrary<Segment>;

const hostile: fc.Arbitrary<Segment> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('oversize'),
      seq,
      len: fc.integer({ min: MAX_PAYLOAD + 1, max: 0xffff }),
      tail: someBytes(16),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('mutated'), seq, payload, edits: mutations }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('raw'), bytes: fc.oneof(someBytes(32), largeBytes(0, 6000)) }),
  },
) as fc.Arbitrary<Segment>;

const delivery: fc.Arbitrary<readonly number[] | 'bytes'> = fc.oneof(
  { weight: 30, arbitrary: chunkSizes },
  { weight: 1, arbitrary: fc.constant('bytes' as const) }, // costly: each push copies what the decoder holds
);

function stream(kind: StreamClass, segment: fc.Arbitrary<Segment>): fc.Arbitrary<FrameInput> {
  return fc.record({
    kind: fc.constant(kind),
    segments: fc.array(segment, { maxLength: 8 }),
    delivery,
    flush: kind === 'hostile' ? fc.boolean() : fc.constant(true),
  });
}

// Recoverable streams keep ACK/NAK SEQ values off the control bytes: an ACK/NAK straddling the end of a bad frame's
// claimed span leaves its SEQ byte outside it, where a SEQ of 0x02/0x06/0x15 reads as STX/ACK/NAK and may take the
// next frame's STX as its own SEQ. That frame is lost to the decoder (the link's NAK/timeout and retransmission
// recover it): inherent to 2-byte ACK/NAK units outside frames, not a decoder fault.
const input: fc.Arbitrary<FrameInput> = fc.oneof(
  stream('clean', clean(seq)),
  stream('recoverable', fc.oneof({ weight: 2, arbitrary: clean(plainSeq) }, { weight: 1, arbitrary: damaged })),
  stream('hostile', fc.oneof(clean(seq), damaged, hostile)),
);

/** The bytes of one segment on the wire. */
export function segmentBytes(segment: Segment): Uint8Array {
  switch (segment.kind) {
    case 'frame':
      return encodeFrame(segment.seq, segment.payload);
    case 'ack':
      return encodeAck(segment.seq);
    case 'nak':
      return encodeNak(segment.seq);
    case 'noise':
    case 'raw':
      return segment.bytes;
    case 'cut': {
      const frame = encodeFrame(segment.seq, segment.payload);
      return frame.subarray(0, 1 + (segment.keep % (frame.length - 1)));
    }
    case 'corrupt': {
      const frame = Buffer.from(encodeFrame(segment.seq, segment.payload));
      const etxAt = frame.length - 3;
      const payloadLength = segment.payload.length;
      const at =
        segment.where === 'crc'
          ? etxAt + 1 + (segment.at % 2)
          : segment.where === 'etx' || payloadLength === 0
            ? etxAt
            : 4 + (segment.at % payloadLength);
      frame[at] = (frame[at] as number) ^ segment.xor;
      return frame;
    }
    case 'oversize': {
      const header = Buffer.from([STX, segment.len >> 8, segment.len & 0xff, segment.seq]);
      return concatBytes([header, segment.tail]);
    }
    case 'mutated':
      return mutate(encodeFrame(segment.seq, segment.payload), segment.edits);
  }
}

/** Units as comparable text: 'frame:3:<hex>', 'ack:3', 'fault:noise@12'. */
function summary(unit: LinkUnit): string {
  if (unit.kind === 'frame') return `frame:${unit.seq}:${Buffer.from(unit.payload).toString('hex')}`;
  if (unit.kind === 'fault') return `fault:${unit.error.code}@${unit.error.offset}`;
  return `${unit.kind}:${unit.seq}`;
}

/** What a clean stream must decode to: every unit, and one noise fault per run of noise, at its offset. */
function cleanExpectation(segments: readonly Segment[]): string[] {
  const out: string[] = [];
  let offset = 0;
  let inNoise = false;
  for (const segment of segments) {
    const bytes = segmentBytes(segment);
    if (segment.kind === 'noise') {
      if (!inNoise) out.push(`fault:noise@${offset}`);
      inNoise = true;
    } else {
      if (segment.kind === 'frame') out.push(`frame:${segment.seq}:${Buffer.from(segment.payload).toString('hex')}`);
      else if (segment.kind === 'ack' || segment.kind === 'nak') out.push(`${segment.kind}:${segment.seq}`);
      inNoise = false;
    }
    offset += bytes.length;
  }
  return out;
}

/** Feeds the stream; checks the safety properties on the way; returns the units and the most bytes held. */
export function decodeStream(item: FrameInput, bytes: Uint8Array): { units: LinkUnit[]; maxHeld: number } {
  const decoder = new FrameDecoder();
  const chunks =
    item.delivery === 'bytes' ? Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)) : splitAt(bytes, item.delivery);
  const units: LinkUnit[] = [];
  let maxHeld = 0;
  const run = (step: () => LinkUnit[], what: string): void => {
    try {
      units.push(...step());
    } catch (error) {
      const thrown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new PropertyFailure(`FrameDecoder.${what} threw ${thrown}; it must never throw on input bytes`);
    }
    maxHeld = Math.max(maxHeld, decoder.pendingBytes);
    holds(
      decoder.pendingBytes < FRAME_LIMIT,
      () => `decoder holds ${decoder.pendingBytes} bytes after ${what}, limit ${FRAME_LIMIT - 1}`,
    );
    holds(decoder.pending === decoder.pendingBytes > 0, 'pending disagrees with pendingBytes');
  };
  for (const chunk of chunks) run(() => decoder.push(chunk), 'push');
  if (item.flush) {
    run(() => decoder.flush(), 'flush');
    holds(decoder.pendingBytes === 0, () => `decoder still holds ${decoder.pendingBytes} bytes after flush`);
  }
  let lastFault = -1;
  for (const unit of units) {
    if (unit.kind === 'fault') {
      const e = unit.error;
      holds(
        e instanceof FrameError && CODES.has(e.code),
        () => `fault is not a FrameError with a known code: ${String(e)}`,
      );
      holds(
        Number.isInteger(e.offset) && e.offset > lastFault && e.offset < bytes.length,
        () => `fault offset ${e.offset} out of order (previous ${lastFault}, stream ${bytes.length} bytes)`,
      );
      lastFault = e.offset;
    } else {
      holds(Number.isInteger(unit.seq) && unit.seq >= 0 && unit.seq <= 255, `unit with SEQ ${unit.seq}`);
      if (unit.kind === 'frame') holds(unit.payload.length <= MAX_PAYLOAD, `frame of ${unit.payload.length} bytes`);
    }
  }
  return { units, maxHeld };
}

function check(item: FrameInput): number {
  const bytes = concatBytes(item.segments.map(segmentBytes));
  const { units, maxHeld } = decodeStream(item, bytes);
  const got = units.map(summary);
  if (item.kind === 'clean') {
    const want = cleanExpectation(item.segments);
    holds(isDeepStrictEqual(got, want), () => `clean stream decoded as ${show(got)}, expected ${show(want)}`);
  } else if (item.kind === 'recoverable') {
    const want = cleanExpectation(item.segments).filter((u) => u.startsWith('frame:'));
    const frames = got.filter((u) => u.startsWith('frame:'));
    const collision = frames.some((f) => !want.includes(f)); // garbage whose CRC happened to match
    if (!collision) holds(isDeepStrictEqual(frames, want), () => `frames ${show(frames)}, expected ${show(want)}`);
    const damagedSegments = item.segments.some((s) => s.kind === 'cut' || s.kind === 'corrupt');
    const reported = units.some((u) => u.kind === 'fault' && u.error.code !== 'noise');
    holds(!damagedSegments || reported || collision, 'a damaged frame went unreported');
  } else {
    const whole = decodeStream({ ...item, delivery: [] }, bytes).units.map(summary);
    holds(isDeepStrictEqual(got, whole), () => `split delivery decoded as ${show(got)}, in one push as ${show(whole)}`);
  }
  return maxHeld;
}

function show(units: string[]): string {
  const text = units.map((u) => (u.length > 40 ? `${u.slice(0, 40)}…` : u)).join(', ');
  return `[${text}]`;
}

export const ecrFrameTarget: FuzzTarget<FrameInput> = {
  name: 'ecr.frame',
  what: 'byte streams (frames, ACK/NAK, noise, cut/corrupt/oversize/mutated frames) split anyhow → FrameDecoder',
  arbitrary: input,
  check,
  bufferLimit: FRAME_LIMIT,
};
