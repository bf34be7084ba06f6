// What the terminal said about its transactions, read from its ECR events (result, print, reversal).
//   transactionsFrom(events, 'T0000001') → [{ stan: '000012', outcome: 'approved', amount, receiptPrinted: true, reprints: 1 }]
//   pendingReversalsFrom(events)         → ['000013']   (reported 'stored' or 'sent', never 'confirmed')
// A result with a STAN is one transaction; a repeated result (lastResult, same ref) counts once. A non-reprint print
// belongs to the next result (prints since the previous result); a reprint belongs to the transaction before it.

import type { Outcome, TerminalEvent } from '../../protocols/ecr/index.ts';
import type { TerminalTransaction } from './paymentTruth.ts';

/** The terminal's transactions in the order their results came, with receipts and reprints counted. */
export function transactionsFrom(events: readonly TerminalEvent[], tid: string): TerminalTransaction[] {
  const transactions: TerminalTransaction[] = [];
  const identities = new Set<string>();
  let printed = 0;
  let reprintsBeforeFirst = 0;
  let last: TerminalTransaction | undefined;
  for (const event of events) {
    if (event.type === 'print') {
      if (!event.reprint) printed += 1;
      else if (last) last.reprints += 1;
      else reprintsBeforeFirst += 1;
      continue;
    }
    if (event.type !== 'result' || event.stan === undefined) continue;
    const identity =
      event.ref !== undefined
        ? `ref:${event.ref}`
        : `stan:${event.stan}|${event.outcome}|${event.rrn ?? ''}|${event.amount ?? ''}`;
    if (identities.has(identity)) continue; // the same result again (lastResult): not a new transaction
    identities.add(identity);
    last = {
      stan: event.stan,
      tid,
      outcome: event.outcome satisfies Outcome,
      amount: { minor: event.amount ?? 0, currency: event.currency ?? 'XXX' },
      receiptPrinted: printed > 0,
      reprints: reprintsBeforeFirst,
    };
    transactions.push(last);
    printed = 0;
    reprintsBeforeFirst = 0;
  }
  return transactions;
}

/** STANs whose reversal the terminal reported 'stored' or 'sent' and, last we heard, not 'confirmed'; oldest first. */
export function pendingReversalsFrom(events: readonly TerminalEvent[]): string[] {
  const status = new Map<string, string>();
  for (const event of events) {
    // read structurally: the 'reversal' event is newer than some TerminalEvent unions this may compile against
    const reversal = event as { type: string; stan?: unknown; status?: unknown };
    if (reversal.type !== 'reversal' || typeof reversal.stan !== 'string' || typeof reversal.status !== 'string')
      continue;
    status.set(reversal.stan, reversal.status);
  }
  return [...status].filter(([, last]) => last !== 'confirmed').map(([stan]) => stan);
}
