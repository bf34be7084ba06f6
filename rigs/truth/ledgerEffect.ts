// What the bank's journal did to each terminal transaction (TID + STAN): the purchase postings minus its reversal
// postings, seen from the cardholder (charged) and from the merchant (credited).
//   ledgerEffects(journal).get('T0000001/000012') → { charged: 10000, credited: 10000, currency: 'CNY', ... }
// Postings are used when the bank reports them (a double-posted reversal shows up there); otherwise the posted amount.

import type { BankJournalEntry } from '../bank/bankProbe.ts';

export interface LedgerEffect {
  readonly tid: string;
  readonly stan: string;
  readonly currency: string;
  charged: number; // minor units taken out of cardholder accounts, net
  credited: number; // minor units put into merchant accounts, net
  readonly entries: BankJournalEntry[]; // the 0200s and 0400s of this TID + STAN, oldest first
}

/** The key of a terminal transaction: 'TID/STAN'. */
export function transactionKey(tid: string, stan: string): string {
  return `${tid}/${stan}`;
}

/** The net effect of every TID + STAN in the journal; a reversal counts against the original it reverses. */
export function ledgerEffects(journal: readonly BankJournalEntry[]): Map<string, LedgerEffect> {
  const byId = new Map(journal.map((entry) => [entry.id, entry]));
  const effects = new Map<string, LedgerEffect>();
  for (const entry of journal) {
    if (entry.kind === 'adjustment') continue;
    const original = entry.reverses === null ? entry : (byId.get(entry.reverses) ?? entry);
    if (original.tid === null || original.stan === null) continue;
    const key = transactionKey(original.tid, original.stan);
    let effect = effects.get(key);
    if (!effect) {
      effect = {
        tid: original.tid,
        stan: original.stan,
        currency: original.amount.currency,
        charged: 0,
        credited: 0,
        entries: [],
      };
      effects.set(key, effect);
    }
    effect.entries.push(entry);
    const moved = entryEffect(entry);
    effect.charged += moved.charged;
    effect.credited += moved.credited;
  }
  return effects;
}

/** What one journal entry took from cardholders and gave to merchants, in minor units. */
export function entryEffect(entry: BankJournalEntry): { charged: number; credited: number } {
  if (entry.postings) {
    let charged = 0;
    let credited = 0;
    for (const posting of entry.postings) {
      if (posting.account.startsWith('card:')) charged -= posting.amount.minor;
      if (posting.account.startsWith('merchant:')) credited += posting.amount.minor;
    }
    return { charged, credited };
  }
  if (!entry.posted) return { charged: 0, credited: 0 };
  const sign = entry.kind === 'purchase' ? 1 : entry.kind === 'reversal' ? -1 : 0;
  return { charged: sign * entry.amount.minor, credited: sign * entry.amount.minor };
}

/** Total money an entry moved (the sum of its positive postings); undefined when the bank does not report postings. */
export function movedBy(entry: BankJournalEntry): number | undefined {
  if (!entry.postings) return undefined;
  return entry.postings.reduce((sum, p) => sum + Math.max(p.amount.minor, 0), 0);
}

/** True for a request that reached the host as a 0200 (purchase or balance inquiry). */
export function isRequest(entry: BankJournalEntry): boolean {
  if (entry.mti !== undefined && entry.mti !== null) return entry.mti === '0200';
  return entry.kind === 'purchase' || entry.kind === 'balance-inquiry';
}
