// The payment-truth invariant (docs/architecture.md): what the terminal said must agree with what the bank's ledger did.
// Pure: the caller gathers the terminal's transactions, the journal and every balance before and after the scenario.
//   const violations = checkPaymentTruth({ transactions, journal, balancesBefore, balancesAfter, pendingReversals });
//   if (violations.length > 0) throw new Error([...violations.map((v) => v.message), ledgerDiff(input)].join('\n'));
// Rules, each finding naming the STAN and TID like a certification report:
//   net-effect           each transaction nets (purchase minus its reversals) to exactly 0 or exactly its amount
//   approved-not-posted  approved ⇒ its amount posted
//   failed-not-zero      declined / failed / timeout / cancelled ⇒ nets to 0; so does a request the terminal never reported
//   reprint-moved-money  a scenario with reprints has no posted request beyond the terminal's transactions
//   pending-reversal     no reversal is left unconfirmed (approved + receipt ⇒ none at all)
//   money-not-conserved  the sum of balance changes = the sum of 'adjustment' entries; each account = its postings
//   stan-reused          a STAN is unique per TID among the scenario's 0200s and the terminal's transactions

import type { Money } from '../../protocols/domain/money.ts';
import type { Outcome } from '../../protocols/ecr/index.ts';
import type { BankJournalEntry } from '../bank/bankProbe.ts';
import { isRequest, type LedgerEffect, ledgerEffects, transactionKey } from './ledgerEffect.ts';
import { moneyCheck } from './moneyConservation.ts';
import { moneyText } from './moneyText.ts';

export { ledgerDiff } from './ledgerDiff.ts';

/** One transaction as the terminal reported it (see transactionsFrom). */
export interface TerminalTransaction {
  stan: string;
  tid: string;
  outcome: Outcome;
  amount: Money;
  receiptPrinted: boolean; // a cardholder or merchant copy (not a reprint) came before the result
  reprints: number;
}

export interface TruthInput {
  transactions: TerminalTransaction[]; // from the terminal's result/print events in the scenario
  journal: BankJournalEntry[]; // the scenario's journal, from BankProbe.journal()
  balancesBefore: Map<string, Money>; // every account, keyed 'card:alice' / 'merchant:<mid>'
  balancesAfter: Map<string, Money>;
  pendingReversals: string[]; // STANs the terminal reported 'stored'/'sent' but not 'confirmed'
  /** false when other terminals move money in the same bank meanwhile (a pool's shared bank): balance changes then
   * cannot be matched to this scenario's journal, and money conservation is not judged (default true). */
  conservation?: boolean;
}

/** The invariant's rules, in the order of the header above. */
export const TRUTH_RULES = [
  'net-effect',
  'approved-not-posted',
  'failed-not-zero',
  'reprint-moved-money',
  'pending-reversal',
  'money-not-conserved',
  'stan-reused',
] as const;

export type TruthRule = (typeof TRUTH_RULES)[number];

export interface Violation {
  rule: TruthRule;
  message: string;
}

/** Every way the ledger and the terminal disagree, in rule order; [] when the payment truth holds. */
export function checkPaymentTruth(input: TruthInput): Violation[] {
  const effects = ledgerEffects(input.journal);
  return [
    ...stanReuse(input),
    ...input.transactions.flatMap((t) => {
      const key = transactionKey(t.tid, t.stan);
      // a reused STAN mixes two transactions in one ledger effect: the stan-reused finding speaks for both
      if (input.transactions.filter((other) => transactionKey(other.tid, other.stan) === key).length > 1) return [];
      return transactionTruth(t, effects.get(key));
    }),
    ...unreportedRequests(input, effects),
    ...pendingReversals(input, effects),
    ...(input.conservation === false ? [] : moneyCheck(input.journal, input.balancesBefore, input.balancesAfter)),
  ];
}

/** 'STAN 000012 (T0000001)' */
function label(stan: string, tid: string | undefined): string {
  return tid === undefined ? `STAN ${stan}` : `STAN ${stan} (${tid})`;
}

function transactionTruth(t: TerminalTransaction, effect: LedgerEffect | undefined): Violation[] {
  const charged = effect?.charged ?? 0;
  const credited = effect?.credited ?? 0;
  const { currency } = t.amount;
  const amount = moneyText(t.amount);
  const where = label(t.stan, t.tid);
  const said = `the terminal reported "${t.outcome}"${t.receiptPrinted ? ' and printed a receipt' : ''}`;
  if (effect && effect.currency !== currency && (charged !== 0 || credited !== 0)) {
    const moved = moneyText({ minor: charged, currency: effect.currency });
    return [{ rule: 'net-effect', message: `${where}: ${said} in ${currency} but the ledger moved ${moved}` }];
  }
  const legal = (n: number) => n === 0 || n === t.amount.minor;
  if (!legal(charged) || !legal(credited) || charged !== credited) {
    const net =
      charged === credited
        ? `the ledger's net effect is ${moneyText({ minor: charged, currency })}`
        : `the ledger charged the cardholder ${moneyText({ minor: charged, currency })} but credited the merchant ${moneyText({ minor: credited, currency })}`;
    const message = `${where}: ${net}; it must be exactly 0 or exactly ${amount} (${said})`;
    return [{ rule: 'net-effect', message }];
  }
  if (t.outcome === 'approved' && charged !== t.amount.minor) {
    const message = `${where}: ${said} for ${amount} but the ledger moved ${moneyText({ minor: charged, currency })} (expected ${amount} posted)`;
    return [{ rule: 'approved-not-posted', message }];
  }
  if (t.outcome !== 'approved' && charged !== 0) {
    const expected = t.outcome === 'declined' ? 'expected 0: a decline posts nothing' : 'expected 0 once reversed';
    const message = `${where}: ${said} but the ledger moved ${moneyText({ minor: charged, currency })} (${expected})`;
    return [{ rule: 'failed-not-zero', message }];
  }
  return [];
}

/** Requests the host saw (and moved money for) that the terminal never reported as a transaction. */
function unreportedRequests(input: TruthInput, effects: Map<string, LedgerEffect>): Violation[] {
  const reported = new Set(input.transactions.map((t) => transactionKey(t.tid, t.stan)));
  const reprints = input.transactions.reduce((sum, t) => sum + t.reprints, 0);
  const violations: Violation[] = [];
  for (const [key, effect] of effects) {
    if (reported.has(key) || (effect.charged === 0 && effect.credited === 0)) continue;
    const moved = moneyText({ minor: effect.charged, currency: effect.currency });
    const where = label(effect.stan, effect.tid);
    if (reprints > 0) {
      const message = `${where}: the ledger moved ${moved} for a request the terminal never reported as a transaction, in a scenario with ${reprints} reprint(s) (a reprint must never move money)`;
      violations.push({ rule: 'reprint-moved-money', message });
    } else {
      const message = `${where}: the ledger moved ${moved} for a request the terminal never reported an outcome for (expected 0 once reversed)`;
      violations.push({ rule: 'failed-not-zero', message });
    }
  }
  return violations;
}

function pendingReversals(input: TruthInput, effects: Map<string, LedgerEffect>): Violation[] {
  return input.pendingReversals.map((stan) => {
    const transaction = input.transactions.find((t) => t.stan === stan);
    const tid = transaction?.tid ?? [...effects.values()].find((e) => e.stan === stan)?.tid;
    const receipt =
      transaction?.outcome === 'approved' && transaction.receiptPrinted
        ? ' although it printed an approved receipt for it'
        : '';
    const message = `${label(stan, tid)}: the terminal still holds a reversal the host never confirmed${receipt} (reported stored/sent, never confirmed)`;
    return { rule: 'pending-reversal', message };
  });
}

/** A STAN used for two different requests of one TID: two terminal transactions, or two 0200s with different DE7. */
function stanReuse(input: TruthInput): Violation[] {
  const uses = new Map<string, { tid: string; stan: string; outcomes: Outcome[]; sent: Set<string> }>();
  const use = (tid: string, stan: string) => {
    const key = transactionKey(tid, stan);
    const found = uses.get(key) ?? { tid, stan, outcomes: [], sent: new Set<string>() };
    uses.set(key, found);
    return found;
  };
  for (const t of input.transactions) use(t.tid, t.stan).outcomes.push(t.outcome);
  for (const entry of input.journal) {
    if (!isRequest(entry) || entry.tid === null || entry.stan === null) continue;
    use(entry.tid, entry.stan).sent.add(entry.transmission ?? `journal ${entry.id}`);
  }
  const violations: Violation[] = [];
  for (const { tid, stan, outcomes, sent } of uses.values()) {
    if (outcomes.length < 2 && sent.size < 2) continue;
    const how: string[] = [];
    if (outcomes.length > 1)
      how.push(`the terminal reported ${outcomes.length} transactions with it (${outcomes.join(', ')})`);
    if (sent.size > 1) how.push(`the host received ${sent.size} different 0200s with it (DE7 ${[...sent].join(', ')})`);
    const message = `${label(stan, tid)} was used more than once: ${how.join('; ')}; a STAN must be unique per terminal within a batch`;
    violations.push({ rule: 'stan-reused', message });
  }
  return violations;
}
