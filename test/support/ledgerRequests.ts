// Ledger-level purchase and reversal requests (what the host hands the ledger), for the ledger unit tests.
import type { CardAccountSeed, PurchaseRequest, ReversalRequest } from '../../simulators/acquirer/index.ts';
import { MID, TID } from './bankFixture.ts';

/** When the ledger requests happen. */
export const AT = new Date('2026-05-04T10:00:00Z');

/** A purchase with this card's PAN, expiry and PIN at the test merchant and terminal; `over` replaces any field. */
export function ledgerPurchase(
  card: CardAccountSeed,
  stan: string,
  amountMinor: number,
  over: Partial<PurchaseRequest> = {},
): PurchaseRequest {
  return {
    at: AT,
    mti: '0200',
    tid: TID,
    stan,
    transmission: '0504100000',
    pan: card.pan,
    expiry: card.expiry,
    pinEntered: card.pin,
    mid: MID,
    currency: 'CNY',
    asOf: '2605',
    amountMinor,
    ...over,
  };
}

/** The reversal of a purchase, sent at this transmission time. */
export function ledgerReversalOf(request: PurchaseRequest, transmission = '0504100130'): ReversalRequest {
  return {
    at: AT,
    mti: '0400',
    tid: request.tid,
    stan: request.stan,
    transmission,
    original: { mti: request.mti, stan: request.stan ?? '', transmission: request.transmission ?? '' },
    pan: request.pan,
    mid: request.mid,
    amountMinor: request.amountMinor,
    currency: 'CNY',
  };
}
