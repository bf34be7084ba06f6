// The requirements no other table words: the four success signals (docs/architecture.md) and the payment-truth
// invariant's rules (rigs/truth/paymentTruth.ts names them; here each gets its clause and one line).
//   SIGNALS[0] → { id: 'signal-display', clause: '§9 display, §10.7', text: 'the terminal shows …' }
//   TRUTH_WORDING['reprint-moved-money'] → { clause: '§15.4', text: 'a reprint never moves money' }

import type { TruthRule } from '../truth/paymentTruth.ts';

export interface Wording {
  readonly clause: string;
  readonly text: string;
}

/** The four success signals: what the terminal shows, prints and says, and how the bank's balances moved. */
export const SIGNALS = [
  {
    id: 'signal-display',
    clause: '§9 display, §10.7',
    text: 'the terminal shows the outcome: the approval, or the reason it was not approved, and no approval otherwise',
  },
  {
    id: 'signal-receipt',
    clause: '§9 print, §10.3, §10.7',
    text: 'an approved sale prints its copies (amount, masked card, TID and MID, time); one not approved prints none',
  },
  {
    id: 'signal-voice',
    clause: '§9 voice, §10.7',
    text: 'the terminal says the outcome: 交易成功 when approved, 交易失败 when not',
  },
  {
    id: 'signal-balances',
    clause: '§9 result, §15.2',
    text: 'an approved sale debits the cardholder and credits the merchant its amount; otherwise neither balance moves',
  },
] as const satisfies ReadonlyArray<Wording & { id: string }>;

/** The payment-truth invariant's rules, each with its clause and one line. */
export const TRUTH_WORDING: Readonly<Record<TruthRule, Wording>> = {
  'net-effect': {
    clause: '§15.2',
    text: 'each transaction (TID + STAN) nets to exactly 0 or exactly its amount, cardholder and merchant agreeing',
  },
  'approved-not-posted': {
    clause: '§9 result',
    text: 'a transaction the terminal reports approved has its amount posted',
  },
  'failed-not-zero': {
    clause: '§15.2.2',
    text: 'a declined, failed, timed-out or cancelled transaction, or a request never reported, nets to 0 once reversed',
  },
  'reprint-moved-money': { clause: '§15.4', text: 'a reprint never moves money' },
  'pending-reversal': {
    clause: '§15.2.3, §15.2.4',
    text: 'no reversal is left unconfirmed at the end of the scenario (none at all after an approval with receipt)',
  },
  'money-not-conserved': {
    clause: 'host.md §10, §12',
    text: 'money is conserved: balances change only by postings, and only test adjustments create money',
  },
  'stan-reused': { clause: '§15.1, §15.3', text: 'a STAN is never reused by a terminal (TID), also after a power cut' },
};
