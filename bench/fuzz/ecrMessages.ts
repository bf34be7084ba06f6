// Fuzz target 'ecr.message': JSON payloads through parseEcrMessage (the frame payload, and the MQTT payload as is).
//   runTarget(ecrMessageTarget, { inputs: 1000, seed: 1 })
// Inputs: valid messages of every type with unknown fields added (forward compatibility), valid messages with one
// field dropped or replaced by any JSON value, their JSON text mutated byte by byte, any JSON, deep nesting, any bytes.
// Properties: a value or an EcrMessageError (with a string path), never another error; a value is a plain object that
// validates again and survives encode → parse unchanged; a valid message comes back equal to what was sent (unknown
// fields kept; a top-level `__proto__` key, which no message has, is dropped rather than becoming the prototype).
// Nesting deeper than fits a 4096-byte payload (frames and MQTT carry no more) is only parsed, not re-encoded: V8's
// JSON.parse reads 50,000 levels (in ~100 ms: it grows faster than linearly, hence at most 20,000 here) but
// JSON.stringify overflows the stack from about 4,000.

import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  type EcrMessage,
  EcrMessageError,
  encodeEcrMessage,
  MAX_PAYLOAD,
  parseEcrMessage,
  validateEcrMessage,
} from '../../protocols/ecr/index.ts';
import { mutate, mutations, someBytes } from './bytes.ts';
import { ecrMessage, extraFields } from './ecrMessageValues.ts';
import { type FuzzTarget, holds, typedOutcome } from './target.ts';

export type MessageInput =
  | { readonly kind: 'valid'; readonly message: EcrMessage; readonly extra: Record<string, unknown> }
  | { readonly kind: 'field'; readonly message: EcrMessage; readonly field: number; readonly value: unknown }
  | { readonly kind: 'drop'; readonly message: EcrMessage; readonly field: number }
  | { readonly kind: 'text'; readonly bytes: Uint8Array }
  | { readonly kind: 'json'; readonly json: string }
  | { readonly kind: 'deep'; readonly depth: number; readonly open: string; readonly inField: boolean }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

const input: fc.Arbitrary<MessageInput> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('valid'), message: ecrMessage, extra: extraFields }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('field'),
      message: ecrMessage,
      field: fc.nat(),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop'), message: ecrMessage, field: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.tuple(ecrMessage, mutations).map(([message, edits]) => ({
      kind: 'text' as const,
      bytes: mutate(Buffer.from(JSON.stringify(message)), edits),
    })),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('json'), json: fc.json({ maxDepth: 3 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep'),
      depth: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 1, max: 2_000 }) },
        fc.integer({ min: 2_001, max: 20_000 }),
      ),
      open: fc.constantFrom('[', '{"a":'),
      inField: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes'), bytes: someBytes(64) }) },
) as fc.Arbitrary<MessageInput>;

/** The payload an input stands for. */
export function messagePayload(item: MessageInput): string | Uint8Array {
  switch (item.kind) {
    case 'valid':
      return JSON.stringify({ ...item.message, ...item.extra });
    case 'field':
    case 'drop': {
      const fields = Object.entries(item.message);
      const at = item.field % fields.length;
      const edited =
        item.kind === 'drop'
          ? fields.filter((_, i) => i !== at)
          : fields.map(([k, v], i): [string, unknown] => [k, i === at ? item.value : v]);
      return JSON.stringify(Object.fromEntries(edited));
    }
    case 'json':
      return item.json;
    case 'deep': {
      const close = item.open === '[' ? ']' : '}';
      const nested = `${item.open.repeat(item.depth)}1${close.repeat(item.depth)}`;
      return item.inField ? `{"type":"display","id":"d1","lines":["a"],"x":${nested}}` : nested;
    }
    case 'text':
    case 'bytes':
      return item.bytes;
  }
}

/** What a valid message with unknown fields must come back as: the same object, minus a top-level `__proto__` key
 * (zod leaves it out; one nested in an unknown field's value is kept as it came). */
function expected(payload: string): unknown {
  const value = JSON.parse(payload);
  Reflect.deleteProperty(value, '__proto__'); // the own property JSON.parse made, not the prototype
  return value;
}

function check(item: MessageInput): undefined {
  const payload = messagePayload(item);
  const outcome = typedOutcome(() => parseEcrMessage(payload), EcrMessageError, 'parseEcrMessage');
  // Nesting deeper than a 4096-byte payload can carry: V8's JSON.stringify cannot write it back, so parsing is all.
  if (item.kind === 'deep' && payload.length > MAX_PAYLOAD) return undefined;
  if (outcome.error) {
    const e = outcome.error;
    holds(typeof e.path === 'string' && typeof e.unknownType === 'boolean', 'EcrMessageError without path/unknownType');
    holds(
      item.kind !== 'valid',
      () => `a valid "${item.kind === 'valid' ? item.message.type : ''}" was refused: ${e.message}`,
    );
    return undefined;
  }
  const message = outcome.value;
  holds(
    Object.getPrototypeOf(message) === Object.prototype,
    () => `parsed message is not a plain object: prototype ${describePrototype(message)}`,
  );
  const again = typedOutcome(() => validateEcrMessage(message), EcrMessageError, 'validateEcrMessage');
  holds(!again.error, () => `a parsed message fails validation again: ${again.error?.message}`);
  const encoded = typedOutcome(() => encodeEcrMessage(message), EcrMessageError, 'encodeEcrMessage');
  holds(!encoded.error, () => `a parsed message cannot be encoded: ${encoded.error?.message}`);
  const reparsed = parseEcrMessage(encoded.value);
  holds(encodeEcrMessage(reparsed).equals(encoded.value), 'encode → parse changed a parsed message');
  if (item.kind === 'valid') {
    holds(isDeepStrictEqual(message, expected(payload as string)), 'a valid message came back changed');
  }
  return undefined;
}

function describePrototype(value: object): string {
  const proto = Object.getPrototypeOf(value);
  return proto === null ? 'null' : JSON.stringify(proto);
}

export const ecrMessageTarget: FuzzTarget<MessageInput> = {
  name: 'ecr.message',
  what: 'JSON payloads (valid + unknown fields, one field changed, mutated text, any JSON, deep nesting, bytes) → parseEcrMessage',
  arbitrary: input,
  check,
};
