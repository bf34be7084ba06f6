// BankProbe: what steps may ask of the bank side — set a test balance, read balances, see the journal.
//   await bank.setBalance(card, parseMoney('500.00 CNY'));  const now = await bank.balance(card);
//   const before = await bank.balances();   // every account, for the payment-truth invariant (rigs/truth)

import type { Money } from '../../protocols/domain/money.ts';
import type { TestCard } from '../file/cardBook.ts';

/** One side of a double-entry posting; amount is negative when money left the account. */
export interface BankPosting {
  readonly account: string; // 'card:alice', 'merchant:104110045110012', 'system:adjustments:CNY'
  readonly amount: Money;
}

/** One journal line as the bank reports it; PANs masked. */
export interface BankJournalEntry {
  readonly id: number;
  readonly kind: 'purchase' | 'reversal' | 'balance-inquiry' | 'adjustment';
  readonly tid: string | null;
  readonly stan: string | null; // a reversal carries its original's STAN (DE11 of the 0400)
  readonly responseCode: string;
  readonly amount: Money; // adjustments: the signed change of the card balance
  readonly maskedPan: string | null;
  readonly posted: boolean; // true when this entry moved money
  readonly reverses: number | null; // journal id of the original
  readonly transmission?: string | null; // DE7 MMDDhhmmss as received; absent where the bank does not say
  readonly mti?: string | null; // '0200', '0400'; null for adjustments; absent where the bank does not say
  readonly postings?: readonly BankPosting[]; // what the entry moved, account by account; absent where unknown
}

export interface BankProbe {
  /** Sets a card's balance (simulated bank) — a real host refuses with a clear reason. */
  setBalance(card: TestCard, amount: Money): Promise<void>;
  /** A card's available balance now. */
  balance(card: TestCard): Promise<Money>;
  /** The merchant account's balance now. */
  merchantBalance(): Promise<Money>;
  /** Every account's balance now, keyed 'card:<alias>' / 'merchant:<mid>'; undefined where the probe cannot see them. */
  balances(): Promise<Map<string, Money> | undefined>;
  /** The bank's journal, oldest first; undefined where the probe cannot see it (a real host). */
  journal(): Promise<BankJournalEntry[] | undefined>;
  /** The issuer declines the next purchase with this response code (simulated bank); a real host refuses. */
  declineNextPurchase(responseCode: string): Promise<void>;
  /** Back to the seeded state between scenarios, where the bank allows it. */
  reset(): Promise<void>;
  /** Set when other terminals (a pool's other workers) use the same bank at the same time: the journal is this
   * terminal's only, and money conservation cannot be judged per scenario. */
  readonly sharedBy?: string;
}
