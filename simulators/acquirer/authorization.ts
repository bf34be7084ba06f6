// The issuer's decision on a card request (purchase or balance inquiry), journalled and posted by the caller's
// transaction. Checks run in this order; the first that fails gives the response code:
//   merchant MID unknown → 05 · PAN unknown or card lost/stolen/blocked → 14 · DE14 expiry ≠ card expiry → 14 ·
//   card expired as of the transmission month → 54 · DE49 currency ≠ card or merchant currency → 05 ·
//   PIN (only when one was entered): tries already at the limit → 75, wrong → 55 and one more try (75 at the limit),
//   right → tries back to 0 · purchase only: original already reversed → 05, funds short → 51 · else 00.
// Seeded defect 'post-declined' (hostPolicy.ts): a declined purchase whose card and merchant are known still posts.
// posrig's merchant balance inquiry (a balance inquiry with no card, DE42 a MID): MID unknown → 05 · DE49 ≠ the
// merchant's currency → 05 · else 00 with the merchant account's balance. Balance inquiries never move money.

import { CURRENCIES, type Money } from '../../protocols/domain/money.ts';
import { maskPan } from '../../protocols/domain/pan.ts';
import type { HostDefect } from './hostPolicy.ts';
import type { AccountRow, JournalKind, LedgerStore } from './ledgerStore.ts';
import { approvalCode, retrievalReference } from './referenceNumbers.ts';

/** Wrong PINs allowed before the card answers 75. */
export const MAX_PIN_TRIES = 3;

/** What the host read from a 0200 about the card and the merchant. */
export interface CardRequest {
  at: Date;
  mti: string;
  tid: string | null;
  stan: string | null;
  transmission: string | null; // DE7 MMDDhhmmss
  pan: string;
  expiry: string | null; // DE14 YYMM; null when not sent
  pinEntered: string | null; // PIN from DE52; null = no PIN (tap, no CVM); an unreadable block is passed as ''
  mid: string | null;
  currency: string | null; // alpha code from DE49; null when not sent (then the card's currency); unknown → any other text
  asOf: string; // YYMM of the transmission date, for the expiry check
}

/** What the host read from posrig's merchant balance inquiry: no card, the merchant in DE42. */
export type MerchantRequest = Pick<CardRequest, 'at' | 'mti' | 'tid' | 'stan' | 'transmission' | 'mid' | 'currency'>;

export interface PurchaseRequest extends CardRequest {
  amountMinor: number;
}

/** The decision, as journalled. */
export interface Authorization {
  journalId: number;
  responseCode: string;
  rrn: string;
  authCode: string | null;
  posted: boolean;
  balance: Money | null; // balance inquiries that were approved: the card's (or merchant's) available balance
}

/** Decides, journals and (if approved) posts a purchase: debit cardholder, credit merchant. Run inside a transaction. */
export function authorizePurchaseIn(
  store: LedgerStore,
  request: PurchaseRequest,
  defects: readonly HostDefect[] = [],
  scriptedDecline?: string,
): Authorization {
  return decide(store, request, 'purchase', request.amountMinor, defects, scriptedDecline);
}

/** Decides and journals a balance inquiry (PIN checked, no money moves). Run inside a transaction. */
export function inquireBalanceIn(store: LedgerStore, request: CardRequest): Authorization {
  return decide(store, request, 'balance-inquiry', 0, []);
}

/** Decides and journals posrig's merchant balance inquiry (no money moves). Run inside a transaction. */
export function inquireMerchantBalanceIn(store: LedgerStore, request: MerchantRequest): Authorization {
  const merchant = request.mid === null ? undefined : store.account('merchant', request.mid);
  const sequence = store.nextCounter('rrn');
  const rrn = retrievalReference(request.at, sequence);
  const currency = journalCurrency(request.currency, undefined, merchant);
  const approved = merchant !== undefined && (request.currency ?? merchant.currency) === merchant.currency;
  const responseCode = approved ? '00' : '05';
  const authCode = approved ? approvalCode(sequence) : null;
  const journalId = store.insertJournal({
    at: request.at,
    kind: 'balance-inquiry',
    tid: request.tid,
    stan: request.stan,
    transmission: request.transmission,
    mti: request.mti,
    responseCode,
    amount: { minor: 0, currency },
    mid: request.mid,
    rrn,
    authCode,
    posted: false,
  });
  const balance = approved ? { minor: merchant.balance_minor, currency: merchant.currency } : null;
  return { journalId, responseCode, rrn, authCode, posted: false, balance };
}

function decide(
  store: LedgerStore,
  request: CardRequest,
  kind: JournalKind,
  amountMinor: number,
  defects: readonly HostDefect[],
  scriptedDecline?: string,
): Authorization {
  const merchant = request.mid === null ? undefined : store.account('merchant', request.mid);
  const card = store.cardByPan(request.pan);
  const sequence = store.nextCounter('rrn');
  const rrn = retrievalReference(request.at, sequence);
  const currency = journalCurrency(request.currency, card, merchant);
  const amount: Money = { minor: amountMinor, currency };
  const code =
    scriptedDecline ??
    checkCard(store, request, card, merchant) ??
    (kind === 'purchase' ? checkPurchase(store, request, card, amount) : null);
  const approved = code === null && card !== undefined && merchant !== undefined;
  const responseCode = code ?? '00';
  const authCode = approved ? approvalCode(sequence) : null;
  const posts =
    kind === 'purchase' && (approved || (defects.includes('post-declined') && canPost(card, merchant, amount)));
  const journalId = store.insertJournal({
    at: request.at,
    kind,
    tid: request.tid,
    stan: request.stan,
    transmission: request.transmission,
    mti: request.mti,
    responseCode,
    amount,
    cardAlias: card?.ref ?? null,
    maskedPan: maskPan(request.pan),
    mid: request.mid,
    rrn,
    authCode,
    posted: posts,
    debitAccount: posts ? (card?.id ?? null) : null,
    creditAccount: posts ? (merchant?.id ?? null) : null,
  });
  if (posts && card && merchant) store.transfer(journalId, card, merchant, amount);
  const balance =
    approved && kind === 'balance-inquiry' ? { minor: card.balance_minor, currency: card.currency } : null;
  return { journalId, responseCode, rrn, authCode, posted: posts, balance };
}

/** Whether money could move from this card to this merchant (the 'post-declined' defect posts only then). */
function canPost(card: AccountRow | undefined, merchant: AccountRow | undefined, amount: Money): boolean {
  if (!card || !merchant || !Number.isSafeInteger(amount.minor) || amount.minor <= 0) return false;
  return card.currency === amount.currency && merchant.currency === amount.currency;
}

function journalCurrency(requested: string | null, card?: AccountRow, merchant?: AccountRow): string {
  if (requested !== null && CURRENCIES[requested]) return requested;
  return card?.currency ?? merchant?.currency ?? 'XXX';
}

/** Merchant, card, expiry, currency and PIN checks; updates the PIN try counter. Null when all pass. */
function checkCard(
  store: LedgerStore,
  request: CardRequest,
  card: AccountRow | undefined,
  merchant: AccountRow | undefined,
): string | null {
  if (!merchant) return '05';
  if (card?.status !== 'active') return '14';
  if (request.expiry !== null && request.expiry !== card.expiry) return '14';
  if ((card.expiry ?? '0000') < request.asOf) return '54';
  const currency = request.currency ?? card.currency;
  if (currency !== card.currency || currency !== merchant.currency) return '05';
  if (request.pinEntered === null) return null;
  if (card.pin_tries >= MAX_PIN_TRIES) return '75';
  if (request.pinEntered !== card.pin) {
    const tries = card.pin_tries + 1;
    store.setPinTries(card.id, tries);
    return tries >= MAX_PIN_TRIES ? '75' : '55';
  }
  if (card.pin_tries !== 0) store.setPinTries(card.id, 0);
  return null;
}

/** Purchase-only checks: a late original whose reversal already arrived, amount, funds. Null when all pass. */
function checkPurchase(
  store: LedgerStore,
  request: CardRequest,
  card: AccountRow | undefined,
  amount: Money,
): string | null {
  if (!card) return '14';
  if (request.tid !== null && request.stan !== null && request.transmission !== null) {
    if (store.reversalSeenFor(request.tid, request.mti, request.stan, request.transmission)) return '05';
  }
  if (!Number.isSafeInteger(amount.minor) || amount.minor <= 0) return '05';
  if (card.balance_minor < amount.minor) return '51';
  return null;
}
