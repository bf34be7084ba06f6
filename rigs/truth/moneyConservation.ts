// Conservation of money: card and merchant balances only change through 'adjustment' entries (test set-up), and
// every account's change is what its journal postings say.
//   moneyCheck(journal, before, after) → [] when conserved, else 'money-not-conserved' findings

import type { Money } from '../../protocols/domain/money.ts';
import type { BankJournalEntry } from '../bank/bankProbe.ts';
import { changeText } from './moneyText.ts';
import type { Violation } from './paymentTruth.ts';

/** Card and merchant accounts only (a bank's own system accounts balance the adjustments). */
function isCustomerAccount(account: string): boolean {
  return account.startsWith('card:') || account.startsWith('merchant:');
}

/** Each account's change from before to after (a missing side counts as 0), card and merchant accounts only. */
export function balanceChanges(before: Map<string, Money>, after: Map<string, Money>): Map<string, Money> {
  const changes = new Map<string, Money>();
  for (const account of new Set([...before.keys(), ...after.keys()])) {
    if (!isCustomerAccount(account)) continue;
    const from = before.get(account);
    const to = after.get(account);
    const currency = to?.currency ?? from?.currency ?? 'XXX';
    changes.set(account, { minor: (to?.minor ?? 0) - (from?.minor ?? 0), currency });
  }
  return changes;
}

/** 'money-not-conserved' findings: per currency total vs adjustments, then per account change vs postings. */
export function moneyCheck(
  journal: readonly BankJournalEntry[],
  before: Map<string, Money>,
  after: Map<string, Money>,
): Violation[] {
  const changes = balanceChanges(before, after);
  const totals = new Map<string, { changed: number; adjusted: number }>();
  const total = (currency: string) => {
    const found = totals.get(currency) ?? { changed: 0, adjusted: 0 };
    totals.set(currency, found);
    return found;
  };
  for (const change of changes.values()) total(change.currency).changed += change.minor;
  for (const entry of journal)
    if (entry.kind === 'adjustment') total(entry.amount.currency).adjusted += entry.amount.minor;
  const violations: Violation[] = [];
  for (const [currency, { changed, adjusted }] of totals) {
    if (changed === adjusted) continue;
    const message = `money is not conserved: card and merchant balances changed by ${changeText({ minor: changed, currency })} in total, but adjustments account for ${changeText({ minor: adjusted, currency })}`;
    violations.push({ rule: 'money-not-conserved', message });
  }
  if (!journal.every((entry) => entry.postings)) return violations; // the bank does not report postings
  const posted = new Map<string, number>();
  for (const entry of journal) {
    for (const p of entry.postings ?? []) posted.set(p.account, (posted.get(p.account) ?? 0) + p.amount.minor);
  }
  for (const [account, change] of changes) {
    const sum = posted.get(account) ?? 0;
    if (sum === change.minor) continue;
    const message = `money is not conserved: ${account} changed by ${changeText(change)} but its journal postings sum to ${changeText({ minor: sum, currency: change.currency })}`;
    violations.push({ rule: 'money-not-conserved', message });
  }
  return violations;
}
