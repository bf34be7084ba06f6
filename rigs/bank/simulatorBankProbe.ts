// The BankProbe of a simulated acquirer: reads and sets the SQLite ledger directly.

import type { Money } from '../../protocols/domain/money.ts';
import type { Ledger } from '../../simulators/acquirer/index.ts';
import type { TestCard } from '../file/cardBook.ts';
import type { BankJournalEntry, BankProbe } from './bankProbe.ts';

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

  async journal(): Promise<BankJournalEntry[]> {
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
    }));
  }

  async reset(): Promise<void> {
    this.ledger.reset();
  }
}
