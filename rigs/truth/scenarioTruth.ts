// The payment-truth invariant over one scenario of a started rig: the terminal's transactions since a history cursor
// against the bank's journal and balances. Shared by the After hook (steps/support/truthCheck.ts) and `posrig explore`.
//   const span = { from: rig.terminal.history.mark(), balancesBefore: await rig.bank.balances() };
//   …  const violation = await judgeTruth(rig, span);  if (violation) throw violation;

import type { Money } from '../../protocols/domain/money.ts';
import type { Rig } from '../rig.ts';
import { checkPaymentTruth, ledgerDiff, pendingReversalsFrom, type TruthInput, transactionsFrom } from './index.ts';

/** Where a scenario starts: the terminal's history cursor and every balance then (undefined: the bank cannot say). */
export interface TruthSpan {
  readonly from: number;
  readonly balancesBefore: Map<string, Money> | undefined;
}

/** A scenario whose terminal and ledger disagree; the message lists the findings and the ledger diff. */
export class PaymentTruthError extends Error {
  override name = 'PaymentTruthError';
}

/** The invariant's violation, if any; undefined where it holds or the bank probe cannot see the ledger. Call once the
 * scenario's transactions have ended. */
export async function judgeTruth(rig: Rig, span: TruthSpan): Promise<PaymentTruthError | undefined> {
  const input = await truthInput(rig, span);
  if (!input) return undefined;
  const violations = checkPaymentTruth(input);
  if (violations.length === 0) return undefined;
  const findings = violations.map((v) => `  - [${v.rule}] ${v.message}`).join('\n');
  return new PaymentTruthError(`payment-truth invariant violated:\n${findings}\n\n${ledgerDiff(input)}`);
}

/** What the invariant judges: the terminal's transactions of the scenario against the bank's journal and balances;
 * undefined where the bank probe cannot see the ledger. */
export async function truthInput(rig: Rig, span: TruthSpan): Promise<TruthInput | undefined> {
  const { balancesBefore } = span;
  if (!balancesBefore) return undefined;
  const events = rig.terminal.history.events(span.from).map((r) => r.message);
  const journal = await rig.bank.journal();
  const balancesAfter = journal && (await rig.bank.balances());
  if (!journal || !balancesAfter) return undefined;
  return {
    transactions: transactionsFrom(events, rig.terminal.id),
    journal,
    balancesBefore,
    balancesAfter,
    pendingReversals: pendingReversalsFrom(events),
    // other terminals of a pool move money in the same bank meanwhile: only this terminal's journal is judged
    conservation: rig.bank.sharedBy === undefined,
  };
}
