// Valid ECR test link messages of every type (docs/protocol.md sections 8 and 9), as fast-check arbitraries that follow
// the field table of protocols/ecr/messages.ts: what the fuzzers encode, frame, mutate and round-trip.
//   fc.sample(ecrMessage, 1) → [{ type: 'sale', id: 'k', amount: 1, currency: 'QZA' }]
// Keyed by type with `satisfies`, so a message type added to the protocol fails the type check here until it has one.

import fc from 'fast-check';
import type { EcrMessage } from '../../protocols/ecr/index.ts';

const chars = (alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM_SPACE = `${DIGITS}${UPPER}abcdefghijklmnopqrstuvwxyz `;

/** Any text: ASCII mostly, sometimes any code point (lone surrogates included), which JSON carries escaped. */
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
);
const word = fc.oneof(
  fc.string({ minLength: 1, maxLength: 16 }),
  fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }),
);
/** 1..64 UTF-16 code units (32 code points at most take 64 units). */
const messageId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ minLength: 1, maxLength: 32, unit: 'binary' }),
  fc.string({ minLength: 64, maxLength: 64 }),
);
const minorUnits = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }),
  fc.maxSafeNat().map((n) => Math.max(1, n)),
);
const currency = chars(UPPER, 3, 3);
const stan = chars(DIGITS, 6, 6);
const rrn = chars(ALNUM_SPACE, 1, 12);
const authCode = chars(ALNUM_SPACE, 1, 6);
const responseCode = chars(`${DIGITS}${UPPER}`, 2, 2);
const clearPan = chars(DIGITS, 12, 19);
const maskedPan = fc
  .tuple(chars(DIGITS, 0, 6), chars('*Xx', 1, 9), chars(DIGITS, 0, 4))
  .map(([first, stars, last]) => `${first}${stars}${last}`);
const expiry = fc
  .tuple(chars(DIGITS, 2, 2), fc.integer({ min: 1, max: 12 }))
  .map(([yy, mm]) => `${yy}${String(mm).padStart(2, '0')}`);
const track2 = fc
  .tuple(clearPan, fc.constantFrom('=', 'D'), chars(DIGITS, 4, 4), chars(DIGITS, 0, 12))
  .map((parts) => parts.join(''));
const key = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'ENTER', 'CANCEL', 'CLEAR');
const lines = fc.array(text, { maxLength: 6 });

/** A message of one type: `type` and `id`, the required fields, and any of the optional ones. */
function message<
  T extends string,
  R extends Record<string, fc.Arbitrary<unknown>>,
  O extends Record<string, fc.Arbitrary<unknown>>,
>(type: T, required: R, optional = {} as O): fc.Arbitrary<EcrMessage> {
  const model = { type: fc.constant(type), id: messageId, ...required, ...optional };
  const requiredKeys = ['type', 'id', ...Object.keys(required)];
  return fc.record(model as Record<string, fc.Arbitrary<unknown>>, {
    requiredKeys,
  }) as unknown as fc.Arbitrary<EcrMessage>;
}

/** One arbitrary per message type, harness commands then terminal events. */
export const ECR_MESSAGE_VALUES = {
  hello: message('hello', { protocol: fc.constant('1') }),
  sale: message('sale', { amount: minorUnits, currency }),
  refund: message('refund', { amount: minorUnits, currency }, { originalRrn: rrn }),
  void: message('void', { stan }),
  reprint: message('reprint', {}),
  settle: message('settle', {}),
  lastResult: message('lastResult', {}),
  abort: message('abort', {}),
  'input.card': message(
    'input.card',
    { method: fc.constantFrom('swipe', 'chip', 'tap', 'qr'), pan: clearPan, expiry },
    { track2, qr: word },
  ),
  'input.keys': message('input.keys', { keys: fc.array(key, { minLength: 1, maxLength: 8 }) }),
  'printer.set': message(
    'printer.set',
    { state: fc.constantFrom('ok', 'paper-out', 'jam') },
    { after: fc.constantFrom('now', 'first-copy') },
  ),
  info: message(
    'info',
    {
      model: text,
      serial: text,
      firmware: text,
      protocol: word,
      capabilities: fc.array(word, { maxLength: 5 }),
      language: word,
      tid: text,
    },
    { ref: word },
  ),
  display: message('display', { lines }),
  voice: message('voice', { text }),
  print: message('print', { lines, copy: fc.constantFrom('merchant', 'cardholder'), reprint: fc.boolean() }),
  result: message(
    'result',
    { command: word, outcome: fc.constantFrom('approved', 'declined', 'failed', 'timeout', 'cancelled') },
    {
      ref: word,
      responseCode,
      amount: minorUnits,
      currency,
      stan,
      rrn,
      authCode,
      pan: maskedPan,
      message: text,
    },
  ),
  state: message('state', { state: word }),
  error: message('error', { code: word, message: text }, { ref: word }),
  reversal: message('reversal', { stan, status: fc.constantFrom('stored', 'sent', 'confirmed') }, { responseCode }),
} satisfies Record<EcrMessage['type'], fc.Arbitrary<EcrMessage>>;

/** A valid message of any type. */
export const ecrMessage: fc.Arbitrary<EcrMessage> = fc.oneof(...Object.values(ECR_MESSAGE_VALUES));

/** Keys a newer peer might add, and keys JavaScript treats specially. */
const extraKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }).map((k) => `x-${k}`),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'),
);

/** Unknown fields a newer peer adds (forward compatibility: the receiver keeps them). */
export const extraFields: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  extraKey,
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);
