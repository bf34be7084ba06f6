// BankProbe: what steps may ask of the bank side — set a test balance, read balances, see the journal.
//   await bank.setBalance(card, parseMoney('500.00 CNY'));  const now = await bank.balance(card);

import type { Money } from '../../protocols/domain/money.ts';
import type { TestCard } from '../file/cardBook.ts';

/** One journal line as the bank reports it; PANs masked. */
export interface BankJournalEntry {
  readonly id: number;
  readonly kind: 'purchase' | 'reversal' | 'balance-inquiry' | 'adjustment';
  readonly tid: string | null;
  readonly stan: string | null;
  readonly responseCode: string;
  readonly amount: Money;
  readonly maskedPan: string | null;
  readonly posted: boolean;
  readonly reverses: number | null;
}

export interface BankProbe {
  /** Sets a card's balance (simulated bank) — a real host refuses with a clear reason. */
  setBalance(card: TestCard, amount: Money): Promise<void>;
  /** A card's available balance now. */
  balance(card: TestCard): Promise<Money>;
  /** The merchant account's balance now. */
  merchantBalance(): Promise<Money>;
  /** The bank's journal, oldest first; undefined where the probe cannot see it (a real host). */
  journal(): Promise<BankJournalEntry[] | undefined>;
  /** Back to the seeded state between scenarios, where the bank allows it. */
  reset(): Promise<void>;
}
