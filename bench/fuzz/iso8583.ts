// Fuzz target 'iso8583.unpack': ISO 8583 message bodies through unpackMessage, ASCII-87 and binary ISO87B.
//   runTarget(isoUnpackTarget, { inputs: 1000, seed: 1 })
// Inputs: valid messages drawn from the packager's field table; messages with LL/LLL fields over their maximum
// (packed with a loosened table); valid messages mutated byte by byte; random bytes. Properties: valid messages
// round-trip (unpack(pack(m)) = m, hex upper-cased, binary track 2 'D' as '='); a field over its maximum is refused;
// anything gives a message or an IsoError (offset inside the body), never another error; whatever unpacks also packs
// and unpacks to the same message again, and can be described and masked for logs (DE2 never in clear, no DE52).

import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  describeIso,
  IsoError,
  type IsoMessage,
  maskIsoMessage,
  type Packaging,
  packagerFor,
  packIso,
  packMessage,
  unpackMessage,
} from '../../protocols/iso8583/index.ts';
import { largeBytes, type Mutation, mutate, mutations, someBytes } from './bytes.ts';
import { isoMessage, LOOSE_FIELDS, roundTripped } from './isoValues.ts';
import { type FuzzTarget, holds, typedOutcome } from './target.ts';

const packaging: fc.Arbitrary<Packaging> = fc.constantFrom('ascii', 'binary');

export type UnpackInput =
  | { readonly kind: 'valid' | 'overlong'; readonly packaging: Packaging; readonly message: IsoMessage }
  | {
      readonly kind: 'mutated';
      readonly packaging: Packaging;
      readonly message: IsoMessage;
      readonly edits: Mutation[];
    }
  | { readonly kind: 'bytes'; readonly packaging: Packaging; readonly bytes: Uint8Array };

const MESSAGES = { ascii: isoMessage('ascii'), binary: isoMessage('binary') };
const LOOSE_MESSAGES = { ascii: isoMessage('ascii', LOOSE_FIELDS), binary: isoMessage('binary', LOOSE_FIELDS) };
const withMessage = <K extends string>(kind: K) =>
  fc.oneof(
    ...(['ascii', 'binary'] as const).map((p) =>
      fc.record({
        kind: fc.constant(kind),
        packaging: fc.constant(p),
        message: kind === 'overlong' ? LOOSE_MESSAGES[p] : MESSAGES[p],
      }),
    ),
  );

/** A packager that writes the loose table (LL up to 99, LLL up to 999) in the packaging's wire encoding. */
const loosePackager = (p: Packaging) => ({ ...packagerFor(p), fields: LOOSE_FIELDS });

const unpackInput: fc.Arbitrary<UnpackInput> = fc.oneof(
  { weight: 2, arbitrary: withMessage('valid') },
  { weight: 1, arbitrary: withMessage('overlong') },
  {
    weight: 4,
    arbitrary: fc.tuple(withMessage('mutated'), mutations).map(([m, edits]) => ({ ...m, edits })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes'),
      packaging,
      bytes: fc.oneof(someBytes(48), largeBytes(0, 3000)),
    }),
  },
) as fc.Arbitrary<UnpackInput>;

function body(item: UnpackInput): Uint8Array {
  if (item.kind === 'bytes') return item.bytes;
  if (item.kind === 'overlong') return packIso(item.message, loosePackager(item.packaging));
  const packed = packMessage(item.message, item.packaging);
  return item.kind === 'mutated' ? mutate(packed, item.edits) : packed;
}

function checkUnpack(item: UnpackInput): undefined {
  const spec = packagerFor(item.packaging);
  const bytes = body(item);
  const outcome = typedOutcome(
    () => unpackMessage(bytes, item.packaging),
    IsoError,
    `unpackMessage(${item.packaging})`,
  );
  if (item.kind === 'valid') {
    holds(!outcome.error, () => `a valid message did not unpack: ${outcome.error?.message}`);
    const want = roundTripped(item.message, item.packaging);
    holds(
      isDeepStrictEqual(outcome.value, want),
      () => `round trip changed the message: ${JSON.stringify(outcome.value)}`,
    );
  }
  if (item.kind === 'overlong') {
    const over = Object.entries(item.message.fields).find(([n, v]) => {
      const field = spec.fields[Number(n)];
      const units = field?.content === 'b' ? (v ?? '').length / 2 : (v ?? '').length;
      return field !== undefined && field.kind !== 'fixed' && units > field.length;
    });
    if (over) holds(outcome.error !== undefined, () => `DE${over[0]} over its maximum length was accepted`);
    else {
      const want = roundTripped(item.message, item.packaging);
      holds(!outcome.error && isDeepStrictEqual(outcome.value, want), 'a message within the maxima did not round-trip');
    }
  }
  if (outcome.error) {
    const e = outcome.error;
    holds(
      Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= bytes.length,
      () => `IsoError offset ${e.offset} outside the ${bytes.length}-byte body`,
    );
    return undefined;
  }
  const message = outcome.value;
  const repacked = typedOutcome(() => packMessage(message, item.packaging), IsoError, 'packMessage');
  holds(!repacked.error, () => `an unpacked message does not pack: ${repacked.error?.message}`);
  const again = unpackMessage(repacked.value, item.packaging);
  holds(isDeepStrictEqual(again, message), 'unpack → pack → unpack changed the message');
  const lines = describeIso(message, spec);
  const masked = maskIsoMessage(message, spec);
  const pan = message.fields[2];
  if (pan !== undefined && pan.length >= 13) {
    holds(!lines.some((l) => l.includes(pan)) && masked.fields[2] !== pan, 'DE2 shown in clear in a description');
  }
  holds(masked.fields[52] === undefined, 'the PIN block survived masking');
  return undefined;
}

export const isoUnpackTarget: FuzzTarget<UnpackInput> = {
  name: 'iso8583.unpack',
  what: 'ASCII-87 and ISO87B bodies (valid from the field table, mutated, random) → unpackMessage, describe, mask',
  arbitrary: unpackInput,
  check: checkUnpack,
};
