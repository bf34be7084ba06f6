// The test cards a rig can present, by alias, from a cards fixture (fixtures/cards.yaml).
//   const cards = loadCardBook('fixtures/cards.yaml'); cards.get('alice').pan

import { z } from 'zod';
import { type Money, parseMoney } from '../../protocols/domain/money.ts';
import { closestWords } from '../verdict/closest.ts';
import { loadYamlFile, strictObject } from './yamlFile.ts';

export interface TestCard {
  readonly alias: string;
  readonly pan: string;
  readonly expiry: string;
  readonly pin: string;
  readonly balance: Money;
  readonly status: 'active' | 'lost' | 'stolen' | 'blocked';
}

const CardSchema = strictObject({
  pan: z.string().regex(/^\d{12,19}$/, 'a PAN is 12 to 19 digits'),
  expiry: z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/, 'expiry is YYMM'),
  pin: z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits'),
  balance: z.string().transform((text, ctx) => {
    try {
      return parseMoney(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  status: z.enum(['active', 'lost', 'stolen', 'blocked']).default('active'),
});

const CardsFileSchema = strictObject({
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('CNY'),
  cards: z.record(z.string().regex(/^[\w-]+$/, 'a card alias is letters, digits, _ or -'), CardSchema),
});

/** A card alias that is not in the fixture. */
export class UnknownCardError extends Error {
  override name = 'UnknownCardError';
}

/** The cards of one fixture file, looked up by alias. */
export class CardBook {
  constructor(
    readonly file: string,
    private readonly cards: ReadonlyMap<string, TestCard>,
  ) {}

  /** The card with this alias; an unknown alias is an error listing the known ones. */
  get(alias: string): TestCard {
    const card = this.cards.get(alias);
    if (!card) {
      const known = [...this.cards.keys()];
      const near = closestWords(alias, known);
      const hint = near.length > 0 ? `; did you mean ${near.map((a) => `"${a}"`).join(' or ')}?` : '';
      throw new UnknownCardError(`unknown card "${alias}"${hint} (${this.file} has: ${known.join(', ')})`);
    }
    return card;
  }

  /** Every card, in file order. */
  all(): TestCard[] {
    return [...this.cards.values()];
  }
}

/** Loads a cards fixture; problems name the file, line and key. */
export function loadCardBook(file: string): CardBook {
  const parsed = loadYamlFile(file, CardsFileSchema);
  const cards = new Map(Object.entries(parsed.cards).map(([alias, c]) => [alias, { alias, ...c }] as const));
  return new CardBook(file, cards);
}
