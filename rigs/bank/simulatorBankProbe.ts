// The BankProbe of a simulated acquirer: reads and sets the SQLite ledger directly.

import type { Money } from '../../protocols/domain/money.ts';
import type { Ledger } from '../../simulators/acquirer/index.ts';
import type { TestCard } from '../file/cardBook.ts';
import type { BankJournalEntry, BankPosting, BankProbe } from './bankProbe.ts';

export class SimulatorBankProbe implements BankProbe {
  constructor(
    private readonly ledger: Ledger,
    private readonly mid: string,
  ) {}

  async setBalance(card: TestCard, amount: Money): Promise<void> {
    this.ledger.setCardBalance(card.alias, amount);
  }

  async balance(card: TestCard): Promise<Money> {
    return this.ledger.cardBalance(card.alias);
  }

  async merchantBalance(): Promise<Money> {
    return this.ledger.merchantBalance(this.mid);
  }

  async balances(): Promise<Map<string, Money>> {
    return this.ledger.balances();
  }

  async journal(): Promise<BankJournalEntry[]> {
    const postings = new Map<number, BankPosting[]>();
    for (const p of this.ledger.postings()) {
      const list = postings.get(p.journalId) ?? [];
      list.push({ account: p.account, amount: p.amount });
      postings.set(p.journalId, list);
    }
    return this.ledger.journal().map((e) => ({
      id: e.id,
      kind: e.kind,
      tid: e.tid,
      stan: e.stan,
      responseCode: e.responseCode,
      amount: e.amount,
      maskedPan: e.maskedPan,
      posted: e.posted,
      reverses: e.reverses,
      transmission: e.transmission,
      mti: e.mti,
      postings: postings.get(e.id) ?? [],
    }));
  }

  async declineNextPurchase(responseCode: string): Promise<void> {
    this.ledger.declineNextPurchase(responseCode);
  }

  async reset(): Promise<void> {
    this.ledger.reset();
  }
}
