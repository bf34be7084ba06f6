// Reversals (0400): idempotent, and recorded even when the original is unknown.
//   original found, posted, not yet reversed → money moves back (debit merchant, credit cardholder), answer 00
//   original found but declined, or already reversed → journalled with posted: false, answer 00, no money moves
//   original not found (by TID + original MTI + STAN + DE7) → journalled, answer 25; a late original is then declined
// The original's full amount is reversed whatever DE4 of the 0400 says (no partial reversals).
// Seeded defect 'double-post-reversal' (hostPolicy.ts): a reversal that moves money posts its postings twice.

import { CURRENCIES } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import type { HostDefect } from './hostPolicy.ts';
import type { LedgerStore } from './ledgerStore.ts';

/** The original data elements of DE90. */
export interface OriginalKey {
  mti: string;
  stan: string;
  transmission: string;
}

/** What the host read from a 0400. */
export interface ReversalRequest {
  at: Date;
  mti: string;
  tid: string | null;
  stan: string | null;
  transmission: string | null;
  original: OriginalKey | null; // null when DE90 is missing or unreadable
  pan: string | null;
  mid: string | null;
  amountMinor: number | null;
  currency: string | null;
}

/** The reversal's outcome, as journalled. */
export interface ReversalOutcome {
  journalId: number;
  responseCode: '00' | '25';
  reverses: number | null; // journal id of the original
  posted: boolean;
}

/** Finds the original and reverses it at most once. Run inside a transaction. */
export function reverseIn(
  store: LedgerStore,
  request: ReversalRequest,
  defects: readonly HostDefect[] = [],
): ReversalOutcome {
  const key = request.original;
  const original =
    key && request.tid !== null ? store.requestRow(key.mti, request.tid, key.stan, key.transmission) : undefined;
  const common = {
    at: request.at,
    kind: 'reversal' as const,
    tid: request.tid,
    stan: request.stan,
    transmission: request.transmission,
    mti: request.mti,
    originalMti: key?.mti ?? null,
    originalStan: key?.stan ?? null,
    originalTransmission: key?.transmission ?? null,
  };
  if (original?.kind !== 'purchase') {
    const currency = request.currency !== null && CURRENCIES[request.currency] ? request.currency : 'XXX';
    const journalId = store.insertJournal({
      ...common,
      responseCode: '25',
      amount: { minor: request.amountMinor ?? 0, currency },
      maskedPan: request.pan === null ? null : maskPan(request.pan),
      mid: request.mid,
      posted: false,
    });
    return { journalId, responseCode: '25', reverses: null, posted: false };
  }
  const movesMoney =
    original.posted === 1 &&
    original.reversed_by === null &&
    original.debit_account !== null &&
    original.credit_account !== null;
  const journalId = store.insertJournal({
    ...common,
    responseCode: '00',
    amount: { minor: original.amount_minor, currency: original.currency },
    cardAlias: original.card_alias,
    maskedPan: original.masked_pan,
    mid: original.mid,
    rrn: original.rrn,
    authCode: original.auth_code,
    reverses: original.id,
    posted: movesMoney,
    debitAccount: movesMoney ? original.credit_account : null,
    creditAccount: movesMoney ? original.debit_account : null,
  });
  if (movesMoney && original.debit_account !== null && original.credit_account !== null) {
    const merchant = store.accountById(original.credit_account);
    const card = store.accountById(original.debit_account);
    const amount = { minor: original.amount_minor, currency: original.currency };
    store.transfer(journalId, merchant, card, amount);
    if (defects.includes('double-post-reversal')) store.transfer(journalId, merchant, card, amount);
    store.markReversed(original.id, journalId);
  }
  return { journalId, responseCode: '00', reverses: original.id, posted: movesMoney };
}
