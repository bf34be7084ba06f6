// Fuzz target 'iso8583.de54': DE54 additional amounts (the balance a host answers) through parseAdditionalAmounts.
//   runTarget(isoDe54Target, { inputs: 1000, seed: 1 })
// Properties: valid blocks round-trip through formatAdditionalAmounts; mutated blocks and any text give amounts or an
// AdditionalAmountsError, never another error; no amount is -0; what parses formats back to the same text (a debit
// of zero, 'D0…0', comes back as a credit 'C0…0').

import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { CURRENCIES } from '../../protocols/domain/money.ts';
import {
  type AdditionalAmount,
  AdditionalAmountsError,
  formatAdditionalAmounts,
  parseAdditionalAmounts,
} from '../../protocols/iso8583/index.ts';
import { type Mutation, mutate, mutations } from './bytes.ts';
import { type FuzzTarget, holds, typedOutcome } from './target.ts';

export type De54Input =
  | { readonly kind: 'valid'; readonly amounts: AdditionalAmount[] }
  | { readonly kind: 'mutated'; readonly amounts: AdditionalAmount[]; readonly edits: Mutation[] }
  | { readonly kind: 'text'; readonly text: string };

const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
const plain = { noNullPrototype: true } as const; // compared with what parseAdditionalAmounts builds
const amount: fc.Arbitrary<AdditionalAmount> = fc.record(
  {
    accountType: twoDigits,
    amountType: twoDigits,
    amount: fc.record(
      {
        minor: fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }),
        currency: fc.constantFrom(...Object.keys(CURRENCIES)),
      },
      plain,
    ),
  },
  plain,
);
const amounts = fc.array(amount, { minLength: 1, maxLength: 6 });

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
/** Blocks written field by field: any currency number (known or not), either sign, amounts often all zeros. */
const block = fc
  .tuple(
    twoDigits,
    twoDigits,
    fc.oneof(fc.constantFrom(...Object.values(CURRENCIES).map((c) => c.numeric)), digits(3)),
    fc.constantFrom('C', 'D'),
    fc.oneof(fc.constant('000000000000'), digits(12)),
  )
  .map((parts) => parts.join(''));
const blocks = fc.array(block, { minLength: 1, maxLength: 6 }).map((b) => b.join(''));

const de54Input: fc.Arbitrary<De54Input> = fc.oneof(
  fc.record({ kind: fc.constant('valid'), amounts }),
  fc.record({ kind: fc.constant('mutated'), amounts, edits: mutations }),
  fc.record({
    kind: fc.constant('text'),
    text: fc.oneof(fc.string({ maxLength: 130 }), fc.string({ unit: 'binary', maxLength: 40 }), blocks),
  }),
) as fc.Arbitrary<De54Input>;

function checkDe54(item: De54Input): undefined {
  const text =
    item.kind === 'text'
      ? item.text
      : item.kind === 'valid'
        ? formatAdditionalAmounts(item.amounts)
        : Buffer.from(mutate(Buffer.from(formatAdditionalAmounts(item.amounts), 'latin1'), item.edits)).toString(
            'latin1',
          );
  const outcome = typedOutcome(() => parseAdditionalAmounts(text), AdditionalAmountsError, 'parseAdditionalAmounts');
  if (item.kind === 'valid') {
    holds(!outcome.error, () => `valid DE54 refused: ${outcome.error?.message}`);
    holds(isDeepStrictEqual(outcome.value, item.amounts), () => `DE54 round trip changed ${text}`);
  }
  if (!outcome.error) holds(!outcome.value.some((a) => Object.is(a.amount.minor, -0)), `${text}: an amount of -0`);
  if (!outcome.error)
    holds(formatAdditionalAmounts(outcome.value) === text || /D0{12}/.test(text), 'parse → format changed a DE54');
  return undefined;
}

export const isoDe54Target: FuzzTarget<De54Input> = {
  name: 'iso8583.de54',
  what: 'DE54 additional amounts (valid blocks, mutated, any text) → parseAdditionalAmounts',
  arbitrary: de54Input,
  check: checkDe54,
};
